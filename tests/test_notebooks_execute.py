"""Run each module notebook top to bottom in a real IPython kernel.

The kernel is ipykernel's built-in `python3` kernel, which runs
`sys.executable`. The tests install no kernelspec, and a `python3` kernelspec
installed elsewhere on the machine cannot take its place.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from tito.notebooks import COLAB_TAG
from tito.project import Project

ROOT = Path(__file__).resolve().parents[1]
MODULES = Project(ROOT).modules
# Printed to stderr by matplotlib the first time it runs on a machine.
_HARMLESS_STDERR = ("Matplotlib is building the font cache",)

pytestmark = pytest.mark.slow


def this_interpreter_kernel_manager():
    """Return a kernel manager class that starts ipykernel with sys.executable."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisInterpreterKernelManager(AsyncKernelManager):
        # With no kernel folders to search, "python3" can only be ipykernel's
        # built-in spec, whose command line starts with sys.executable.
        @default("kernel_spec_manager")
        def _no_kernel_folders(self):
            return KernelSpecManager(kernel_dirs=[])

    return ThisInterpreterKernelManager


@pytest.fixture
def kernel_manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The kernel manager class for the notebooks, with IPython files in tmp_path."""
    # The inline backend, which makes image/png outputs, is ipykernel's
    # default only when MPLBACKEND is unset (tito test sets it to Agg).
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    manager_class = this_interpreter_kernel_manager()
    assert manager_class(kernel_name="python3").kernel_spec.argv[0] == sys.executable
    return manager_class


def run_notebook(path: Path, manager_class, cells=None):
    """Execute a notebook (or only `cells` of it) and return it with outputs."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    if cells is not None:
        notebook.cells = cells(notebook)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=manager_class,
        timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def outputs_of(notebook) -> list:
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    ]


def stream_text(notebook, name: str) -> str:
    return "".join(
        output.text
        for output in outputs_of(notebook)
        if output.output_type == "stream" and output.name == name
    )


def test_course_has_modules():
    assert MODULES, f"no module sources under {ROOT / 'modules/source'}"


@pytest.mark.parametrize("module", MODULES, ids=[module.name for module in MODULES])
def test_notebook_runs_without_errors(module, kernel_manager):
    notebook = run_notebook(module.notebook, kernel_manager)

    errors = [out for out in outputs_of(notebook) if out.output_type == "error"]
    assert not errors, f"{module.notebook.name}: {errors[0].ename}: {errors[0].evalue}"
    stderr = [
        line
        for line in stream_text(notebook, "stderr").splitlines()
        if line.strip() and not line.startswith(_HARMLESS_STDERR)
    ]
    assert not stderr, f"{module.notebook.name} wrote to stderr:\n" + "\n".join(stderr)
    if "def test_unit_" in module.source.read_text(encoding="utf-8"):
        assert "🔬 Unit Test" in stream_text(notebook, "stdout")


def test_activations_notebook_plots_and_tests(kernel_manager):
    module = Project(ROOT).module("activations")

    notebook = run_notebook(module.notebook, kernel_manager)

    images = [
        output
        for output in outputs_of(notebook)
        if output.output_type in ("display_data", "execute_result")
        and "image/png" in output.get("data", {})
    ]
    stdout = stream_text(notebook, "stdout")
    assert len(images) >= 5, f"expected at least 5 plots, got {len(images)}"
    assert "🔬 Unit Test" in stdout
    assert "📈 Progress" in stdout


def test_colab_cell_installs_course_on_colab(kernel_manager):
    """Does the Colab cell pip-install the repository named in settings.ini?

    A stand-in `google.colab` module makes the cell take its Colab branch, and
    a stand-in `subprocess.run` records the command instead of running pip.
    """
    module = Project(ROOT).module("activations")
    user, name, branch = (
        Project(ROOT).setting("repository", key) for key in ("user", "name", "branch")
    )
    fake_colab = nbformat.v4.new_code_cell(
        "import subprocess, sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "commands = []\n"
        "subprocess.run = lambda command, **options: commands.append(command)"
    )
    report = nbformat.v4.new_code_cell("print(commands == [EXPECTED])")

    def colab_cells(notebook):
        tagged = [
            cell
            for cell in notebook.cells
            if COLAB_TAG in cell.metadata.get("tags", [])
        ]
        assert len(tagged) == 1, f"expected one {COLAB_TAG} cell, got {len(tagged)}"
        return [fake_colab, *tagged, report]

    url = f"git+https://github.com/{user}/{name}@{branch}"
    expected = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", url]
    report.source = report.source.replace("EXPECTED", repr(expected))

    notebook = run_notebook(module.notebook, kernel_manager, cells=colab_cells)

    stdout = stream_text(notebook, "stdout")
    assert "TinyTorch is installed for this Colab session." in stdout
    assert stdout.endswith("True\n"), stdout


def test_colab_cell_does_nothing_elsewhere(kernel_manager):
    module = Project(ROOT).module("activations")

    def colab_cells(notebook):
        return [c for c in notebook.cells if COLAB_TAG in c.metadata.get("tags", [])]

    notebook = run_notebook(module.notebook, kernel_manager, cells=colab_cells)

    assert outputs_of(notebook) == []
