"""Tests of `tito notebooks` and of keeping each .py source and .ipynb in step."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest

from tito.cli import main
from tito.notebooks import COLAB_TAG
from tito.project import Project, find_project, repository
from tito.readme import HEADER_END, HEADER_START

MODULE = Path("modules/source/03_activations")
SOURCE = MODULE / "activations_dev.py"
NOTEBOOK = MODULE / "activations_dev.ipynb"
README = MODULE / "README.md"

SMALL_SOURCE = '''\
# %% [markdown]
# # Module 3: Activations
#
# > Small activation functions for the notebook tests.

# %%
#| default_exp core.activations

# %%
#| export
import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    """Return max(0, x) element by element."""
    ### BEGIN SOLUTION
    return np.maximum(x, 0)
    ### END SOLUTION


# %%
def test_unit_relu():
    assert relu(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]


test_unit_relu()
'''

SMALL_README = f"""\
# Module 3: Activations
{HEADER_START}

Build ReLU.
"""


@pytest.fixture
def small_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path):
    """A course with one small module, made the working directory."""
    root = tmp_path / "course"
    (root / MODULE).mkdir(parents=True)
    (root / "tinytorch").mkdir()
    for name in ("pyproject.toml", "settings.ini", "jupytext.toml"):
        shutil.copy(repo_root / name, root / name)
    (root / SOURCE).write_text(SMALL_SOURCE, encoding="utf-8")
    (root / README).write_text(SMALL_README, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)
    return root


@pytest.fixture
def generated(small_course: Path, capsys: pytest.CaptureFixture) -> Path:
    """The small course after `tito notebooks --all`."""
    assert main(["notebooks", "--all"]) == 0
    capsys.readouterr()
    return small_course


def set_mtime(path: Path, seconds_from_now: float) -> None:
    stamp = int((os.stat(path).st_mtime + seconds_from_now) * 1e9)
    os.utime(path, ns=(stamp, stamp))


def snapshot(root: Path) -> dict:
    """Map each file under `root` to its bytes and modification time."""
    return {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def edit_notebook_cell(path: Path, old: str, new: str) -> None:
    """Replace text in the notebook's cells, as an edit made in Jupyter would."""
    notebook = nbformat.read(path, as_version=4)
    hits = [cell for cell in notebook.cells if old in cell.source]
    assert hits, f"no cell of {path} contains {old!r}"
    for cell in hits:
        cell.source = cell.source.replace(old, new)
    nbformat.write(notebook, path)


# Generating -----------------------------------------------------------------


def test_notebooks_writes_pair_colab_cell_and_links(generated: Path):
    notebook = nbformat.read(generated / NOTEBOOK, as_version=4)
    source = (generated / SOURCE).read_text(encoding="utf-8")
    readme = (generated / README).read_text(encoding="utf-8")

    assert f'# %% tags=["{COLAB_TAG}"]' in source
    user, name, branch = repository(Project(generated))
    assert notebook.cells[1].metadata["tags"] == [COLAB_TAG]
    assert f"github.com/{user}/{name}@{branch}" in notebook.cells[1].source
    assert f"{HEADER_START}\n" in readme
    assert f"\n{HEADER_END}\n" in readme
    assert "?labpath=modules/source/03_activations/activations_dev.py" in readme


def test_notebook_has_stable_ids_and_no_outputs(generated: Path):
    data = json.loads((generated / NOTEBOOK).read_text(encoding="utf-8"))

    ids = [cell["id"] for cell in data["cells"]]
    assert ids == [f"cell-{number}" for number in range(1, len(ids) + 1)]
    code_cells = [cell for cell in data["cells"] if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] for cell in code_cells)
    assert all(cell["execution_count"] is None for cell in code_cells)
    assert data["metadata"]["kernelspec"]["name"] == "python3"


def test_notebook_regenerates_byte_for_byte(generated: Path):
    first = (generated / NOTEBOOK).read_bytes()
    (generated / NOTEBOOK).unlink()

    assert main(["notebooks", "--all"]) == 0

    assert (generated / NOTEBOOK).read_bytes() == first


def test_notebooks_second_run_writes_nothing(generated: Path, capsys):
    before = snapshot(generated)

    assert main(["notebooks", "activations"]) == 0

    assert snapshot(generated) == before
    assert "(unchanged)" in capsys.readouterr().out


def test_source_round_trips_through_notebook(generated: Path):
    config = find_project().root / "jupytext.toml"
    from jupytext.config import load_jupytext_configuration_file

    notebook = jupytext.read(generated / NOTEBOOK)
    text = jupytext.writes(
        notebook, fmt="py:percent", config=load_jupytext_configuration_file(str(config))
    )

    assert text == (generated / SOURCE).read_text(encoding="utf-8")


def test_jupytext_cli_writes_same_source(generated: Path):
    """Does `jupytext --to py:percent`, reading jupytext.toml, keep the .py as is?"""
    from jupytext.cli import jupytext as jupytext_cli

    copy = generated / "copy_dev.ipynb"
    shutil.copy(generated / NOTEBOOK, copy)

    jupytext_cli([str(copy), "--to", "py:percent", "--quiet"])

    expected = (generated / SOURCE).read_text(encoding="utf-8")
    assert (generated / "copy_dev.py").read_text(encoding="utf-8") == expected


def test_notebooks_without_links_marker_warns(small_course: Path, capsys):
    (small_course / README).write_text("# Module 3\n\nNo marker.\n", encoding="utf-8")

    assert main(["notebooks", "--all"]) == 0

    assert "has no `<!-- tito:module-header -->` line" in capsys.readouterr().err
    assert (small_course / README).read_text(encoding="utf-8").endswith("No marker.\n")


def test_header_block_replaced_between_markers(generated: Path):
    readme = generated / README
    text = readme.read_text(encoding="utf-8")
    user, _, _ = repository(Project(generated))
    stale = text.replace(f"/{user}/", "/someone-else/")
    assert stale != text
    readme.write_text(stale, encoding="utf-8")

    assert main(["notebooks", "--all"]) == 0

    assert readme.read_text(encoding="utf-8") == text


# Checking ------------------------------------------------------------------


def test_check_passes_after_generating(generated: Path, capsys):
    assert main(["notebooks", "--all", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_lists_stale_notebook_and_writes_nothing(generated: Path, capsys):
    source = generated / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("max(0, x)", "the positive part"),
        encoding="utf-8",
    )
    before = snapshot(generated)

    assert main(["notebooks", "--all", "--check"]) == 1

    output = capsys.readouterr()
    assert f"{NOTEBOOK.as_posix()}: notebook out of date" in output.out
    assert SOURCE.as_posix() + ":" not in output.out
    assert "run `tito notebooks --all`" in output.err
    assert snapshot(generated) == before


def test_check_lists_every_file_after_repository_change(generated: Path, capsys):
    settings = generated / "settings.ini"
    text = settings.read_text(encoding="utf-8")
    user, _, _ = repository(Project(generated))
    changed = text.replace(f"user = {user}", "user = fork", 1)
    assert changed != text
    settings.write_text(changed, "utf-8")

    assert main(["notebooks", "--all", "--check"]) == 1

    out = capsys.readouterr().out
    assert f"{SOURCE.as_posix()}: `colab-setup` cell out of date" in out
    assert f"{NOTEBOOK.as_posix()}: notebook out of date" in out
    assert f"{README.as_posix()}: header out of date" in out


def test_check_lists_missing_notebook_and_colab_cell(small_course: Path, capsys):
    assert main(["notebooks", "--all", "--check"]) == 1

    out = capsys.readouterr().out
    assert f"{NOTEBOOK.as_posix()}: notebook missing" in out
    assert f"{SOURCE.as_posix()}: `colab-setup` cell missing" in out
    assert not (small_course / NOTEBOOK).exists()


def test_check_lists_readme_without_marker(generated: Path, capsys):
    (generated / README).write_text("# Module 3\n", encoding="utf-8")

    assert main(["notebooks", "--all", "--check"]) == 1

    assert "README.md: no `<!-- tito:module-header -->` line" in capsys.readouterr().out


def test_check_lists_source_jupyter_reads_as_hydrogen(generated: Path, capsys):
    source = generated / SOURCE
    text = source.read_text(encoding="utf-8")
    indented_magic = "    # %timeit relu(x)\n    return np.maximum(x, 0)"
    source.write_text(
        text.replace("    return np.maximum(x, 0)", indented_magic), "utf-8"
    )

    assert main(["notebooks", "--all", "--check"]) == 1

    out = capsys.readouterr().out
    assert (
        f'{SOURCE.as_posix()}: jupytext in Jupyter would read it as "hydrogen"' in out
    )


# Never losing edits ------------------------------------------------------------


def test_export_takes_newer_notebook_edit(generated: Path, capsys):
    edit_notebook_cell(generated / NOTEBOOK, "np.maximum(x, 0)", "np.maximum(x, 0.0)")
    set_mtime(generated / NOTEBOOK, 10)
    edited_notebook = (generated / NOTEBOOK).read_bytes()

    assert main(["export", "--module", "activations"]) == 0

    source = (generated / SOURCE).read_text(encoding="utf-8")
    package = (generated / "tinytorch/core/activations.py").read_text(encoding="utf-8")
    assert "return np.maximum(x, 0.0)" in source
    assert "### BEGIN SOLUTION" in source
    assert "return np.maximum(x, 0.0)" in package
    assert (generated / NOTEBOOK).read_bytes() == edited_notebook


def test_export_takes_newer_source_edit(generated: Path):
    source = generated / SOURCE
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("np.maximum(x, 0)", "np.maximum(0, x)"), "utf-8")
    set_mtime(source, 10)

    assert main(["export", "--module", "activations"]) == 0

    notebook = nbformat.read(generated / NOTEBOOK, as_version=4)
    assert any("np.maximum(0, x)" in cell.source for cell in notebook.cells)
    assert (generated / SOURCE).read_text(encoding="utf-8") == source.read_text(
        encoding="utf-8"
    )
    assert main(["notebooks", "--all", "--check"]) == 0


def test_notebooks_takes_newer_notebook_edit(generated: Path):
    edit_notebook_cell(generated / NOTEBOOK, "max(0, x)", "max(0, x), kept")
    set_mtime(generated / NOTEBOOK, 10)

    assert main(["notebooks", "--all"]) == 0

    assert "max(0, x), kept" in (generated / SOURCE).read_text(encoding="utf-8")
    assert main(["notebooks", "--all", "--check"]) == 0


def test_notebook_edited_outside_jupytext_keeps_source_clean(generated: Path):
    """Does metadata from Colab or JupyterLab stay out of the .py?"""
    path = generated / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["colab"] = {"provenance": []}
    notebook.metadata.pop("jupytext")
    notebook.cells[2].metadata.update({"editable": True, "id": "x1", "tags": []})
    notebook.cells[3].source += "\n\n\ndef identity(x):\n    return x"
    nbformat.write(notebook, path)
    set_mtime(path, 10)

    assert main(["export", "--module", "activations"]) == 0

    source = (generated / SOURCE).read_text(encoding="utf-8")
    assert source.startswith("# %% [markdown]\n")
    assert "def identity(x):" in source
    assert "editable" not in source
    assert "colab" not in source.split("# %%")[1]


def test_export_keeps_notebook_outputs_when_cells_match(generated: Path):
    path = generated / NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[3].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="ran\n")
    ]
    nbformat.write(notebook, path)
    set_mtime(path, 10)
    with_outputs = path.read_bytes()

    assert main(["export", "--module", "activations"]) == 0

    assert path.read_bytes() == with_outputs


def test_equal_mtimes_with_different_cells_stop(generated: Path, capsys):
    edit_notebook_cell(generated / NOTEBOOK, "max(0, x)", "max(0, x) from the notebook")
    source = generated / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("max(0, x)", "max(0, x) from py"),
        encoding="utf-8",
    )
    stamp = os.stat(source).st_mtime_ns
    os.utime(generated / NOTEBOOK, ns=(stamp, stamp))
    before = snapshot(generated)

    assert main(["export", "--module", "activations"]) == 1

    err = capsys.readouterr().err
    assert SOURCE.as_posix() in err
    assert NOTEBOOK.as_posix() in err
    assert "tito notebooks activations --from py" in err
    assert "tito notebooks activations --from ipynb" in err
    assert snapshot(generated) == before


@pytest.mark.parametrize(
    ("side", "kept"), [("ipynb", "from the notebook"), ("py", "from py")]
)
def test_from_option_resolves_conflict(generated: Path, side: str, kept: str):
    edit_notebook_cell(generated / NOTEBOOK, "max(0, x)", "max(0, x) from the notebook")
    source = generated / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("max(0, x)", "max(0, x) from py"),
        encoding="utf-8",
    )
    stamp = os.stat(source).st_mtime_ns
    os.utime(generated / NOTEBOOK, ns=(stamp, stamp))

    assert main(["notebooks", "activations", "--from", side]) == 0

    notebook = nbformat.read(generated / NOTEBOOK, as_version=4)
    assert f"max(0, x) {kept}" in source.read_text(encoding="utf-8")
    assert any(f"max(0, x) {kept}" in cell.source for cell in notebook.cells)


def test_invalid_notebook_is_reported(generated: Path, capsys):
    (generated / NOTEBOOK).write_text("{not json", encoding="utf-8")

    assert main(["export", "--module", "activations"]) == 1

    err = capsys.readouterr().err
    assert f"{NOTEBOOK.as_posix()}: not a valid notebook" in err
    assert "tito notebooks" in err
    assert (generated / NOTEBOOK).read_text(encoding="utf-8") == "{not json"


def test_missing_jupytext_settings_are_reported(generated: Path, capsys):
    (generated / "jupytext.toml").unlink()

    assert main(["notebooks", "--all"]) == 1

    err = capsys.readouterr().err
    assert "jupytext.toml: jupytext settings not found" in err
    assert "git checkout -- jupytext.toml" in err


# tito system jupyter ------------------------------------------------------------


def test_start_jupyter_command(small_course: Path, monkeypatch, capsys):
    import subprocess

    from tito.jupyter import start_jupyter

    calls = []

    class FakeProcess:
        def __init__(self, command, cwd, env):
            calls.append((command, cwd, env))

        def wait(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)

    status = start_jupyter(
        find_project(), port=9999, no_browser=True, extra_args=["-y"]
    )

    command, cwd, env = calls[0]
    assert status == 0
    assert command[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={small_course}" in command
    assert "--port=9999" in command
    assert command[-2:] == ["--no-browser", "-y"]
    assert cwd == small_course
    assert env["JUPYTER_TOKEN"] not in " ".join(command)
    url = f"http://localhost:9999/lab?token={env['JUPYTER_TOKEN']}"
    assert url in capsys.readouterr().out


# The real course ----------------------------------------------------------------


def test_course_notebooks_are_up_to_date(course_copy: Path, capsys):
    assert find_project().modules, "the course has no modules"

    status = main(["notebooks", "--all", "--check"])

    assert status == 0, capsys.readouterr().out


def test_course_sources_round_trip(course_copy: Path):
    from jupytext.config import load_jupytext_configuration_file

    config = load_jupytext_configuration_file(str(course_copy / "jupytext.toml"))
    for module in find_project().modules:
        notebook = jupytext.read(module.notebook)
        text = jupytext.writes(notebook, fmt="py:percent", config=config)
        assert text == module.source.read_text(encoding="utf-8"), module.source


def test_course_notebook_edit_reaches_package(course_copy: Path):
    module = find_project().module("activations")
    notebook = nbformat.read(module.notebook, as_version=4)
    exported = next(cell for cell in notebook.cells if "#| export" in cell.source)
    exported.source += "\n\n\ndef notebook_edit_marker():\n    return 42"
    nbformat.write(notebook, module.notebook)
    set_mtime(module.notebook, 10)

    assert main(["export", "--module", "activations"]) == 0

    package = course_copy / "tinytorch/core/activations.py"
    assert "def notebook_edit_marker():" in module.source.read_text(encoding="utf-8")
    assert "def notebook_edit_marker():" in package.read_text(encoding="utf-8")
    assert (
        "notebook_edit_marker"
        in nbformat.read(module.notebook, as_version=4)
        .cells[notebook.cells.index(exported)]
        .source
    )


def test_course_source_edit_reaches_notebook(course_copy: Path):
    module = find_project().module("activations")
    text = module.source.read_text(encoding="utf-8")
    module.source.write_text(text + "\n# %%\nsource_edit_marker = 1\n", "utf-8")
    set_mtime(module.source, 10)

    assert main(["export", "--module", "activations"]) == 0

    cells = nbformat.read(module.notebook, as_version=4).cells
    assert cells[-1].source == "source_edit_marker = 1"


@pytest.mark.parametrize(
    ("cell", "culprit"),
    [
        (nbformat.v4.new_markdown_cell("%% of students pass.\nMore."), "%% of"),
        (
            nbformat.v4.new_code_cell("x = 1\n# %% [markdown]\ny = 2"),
            "# %% [markdown]",
        ),
    ],
    ids=["markdown-percent-line", "code-cell-header-comment"],
)
def test_notebook_cell_that_would_split_is_reported(
    generated: Path, capsys, cell, culprit
):
    notebook = nbformat.read(generated / NOTEBOOK, as_version=4)
    notebook.cells.append(cell)
    nbformat.write(notebook, generated / NOTEBOOK)
    set_mtime(generated / NOTEBOOK, 10)
    source_before = (generated / SOURCE).read_bytes()

    assert main(["export", "--module", "activations"]) == 1

    err = capsys.readouterr().err
    assert "cannot be stored in the .py file" in err
    assert culprit in err
    assert (generated / SOURCE).read_bytes() == source_before


@pytest.mark.parametrize(
    "text",
    ["{}", '{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'],
    ids=["empty-object", "cells-not-a-list"],
)
def test_malformed_notebook_is_reported(generated: Path, capsys, text):
    (generated / NOTEBOOK).write_text(text, encoding="utf-8")
    set_mtime(generated / NOTEBOOK, 10)

    assert main(["export", "--module", "activations"]) == 1

    assert "not a valid notebook" in capsys.readouterr().err


def test_empty_newer_notebook_keeps_source(generated: Path, capsys):
    empty = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (generated / NOTEBOOK).write_text(json.dumps(empty), encoding="utf-8")
    set_mtime(generated / NOTEBOOK, 10)
    source_before = (generated / SOURCE).read_bytes()

    assert main(["export", "--module", "activations"]) == 1

    assert "has no cells" in capsys.readouterr().err
    assert (generated / SOURCE).read_bytes() == source_before


def test_second_command_waits_for_lock(generated: Path):
    import subprocess
    import sys

    project = find_project()
    with project.lock():
        waiting = subprocess.Popen(
            [sys.executable, "-m", "tito", "export", "activations"],
            cwd=generated,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        first_line = waiting.stderr.readline()
        assert "waiting for another tito command" in first_line
        assert waiting.poll() is None

    out, _ = waiting.communicate(timeout=60)
    assert waiting.returncode == 0
    assert "activations_dev.py → tinytorch/core/activations.py" in out


def test_both_sides_edited_stops_and_keeps_both(generated: Path, capsys):
    source = generated / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("max(0, x)", "max(0, x) (py)"),
        encoding="utf-8",
    )
    edit_notebook_cell(generated / NOTEBOOK, "np.maximum(x, 0)", "np.maximum(x, 0.0)")
    set_mtime(generated / NOTEBOOK, 10)
    before = snapshot(generated / MODULE)

    assert main(["export", "--module", "activations"]) == 1

    err = capsys.readouterr().err
    assert "changed since they were last in step" in err
    assert "--from py" in err
    assert "--from ipynb" in err
    assert snapshot(generated / MODULE) == before


def test_notebook_edit_wins_over_touched_source(generated: Path):
    edit_notebook_cell(generated / NOTEBOOK, "np.maximum(x, 0)", "np.maximum(x, 0.0)")
    set_mtime(generated / SOURCE, 20)

    assert main(["export", "--module", "activations"]) == 0

    source = (generated / SOURCE).read_text(encoding="utf-8")
    assert "return np.maximum(x, 0.0)" in source


def test_notebook_file_ends_with_newline(generated: Path):
    assert (generated / NOTEBOOK).read_bytes().endswith(b"}\n")


def test_module_info_comes_from_module_toml(generated: Path, capsys):
    folder = generated / MODULE
    (folder / "module.toml").write_text(
        'title = "Activations"\ndifficulty = 3\ntime_estimate = "2 hours"\n'
        'prerequisites = []\nnext = "layers"\n',
        encoding="utf-8",
    )

    assert main(["notebooks", "--all", "--check"]) == 1
    assert "README.md: header out of date" in capsys.readouterr().out

    assert main(["notebooks", "--all"]) == 0
    readme = (generated / README).read_text(encoding="utf-8")
    assert "- **Difficulty**: ⭐⭐⭐ Advanced" in readme
    assert "- **Time Estimate**: 2 hours" in readme
    assert "- **Prerequisites**: none" in readme
    assert "- **Next Steps**: Layers module (not in this repository yet)" in readme


def test_hand_formatted_source_stays_in_step(generated: Path, capsys):
    source = generated / SOURCE
    # jupytext would put a blank line before the cell marker; this edit has none.
    source.write_text(
        source.read_text(encoding="utf-8") + "y = 1\n# %%\nz = 2\n", encoding="utf-8"
    )
    assert main(["export", "--module", "activations"]) == 0
    written = source.read_text(encoding="utf-8")

    source.write_text(written.replace("z = 2", "z = 3"), encoding="utf-8")
    assert main(["export", "--module", "activations"]) == 0
    assert main(["export", "--module", "activations"]) == 0

    out = capsys.readouterr().out
    assert "source updated from the notebook" not in out
    assert source.read_text(encoding="utf-8").endswith("y = 1\n# %%\nz = 3\n")


def test_committed_source_decides_without_record(generated: Path, private_cache):
    import subprocess

    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(command, cwd=generated, check=True)
    shutil.rmtree(private_cache / "tinytorch", ignore_errors=True)
    source = generated / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8") + "\nstudent_work = 42\n", encoding="utf-8"
    )
    # An autosave rewrites the unchanged notebook, so it is now the newer file.
    (generated / NOTEBOOK).write_bytes((generated / NOTEBOOK).read_bytes())
    set_mtime(generated / NOTEBOOK, 10)

    assert main(["export", "--module", "activations"]) == 0

    assert "student_work = 42" in source.read_text(encoding="utf-8")
    notebook = nbformat.read(generated / NOTEBOOK, as_version=4)
    assert any("student_work = 42" in cell.source for cell in notebook.cells)


@pytest.mark.parametrize("content", ["[1, 2]", '"x"', "null", "{not json"])
def test_damaged_sync_record_is_ignored(generated: Path, private_cache, content):
    for record in (private_cache / "tinytorch" / "sync").glob("*.json"):
        record.write_text(content, encoding="utf-8")

    assert main(["export", "--module", "activations"]) == 0


def test_notebook_with_invalid_cell_is_reported(generated: Path, capsys):
    data = json.loads((generated / NOTEBOOK).read_text(encoding="utf-8"))
    data["cells"][0]["source"] = 5
    (generated / NOTEBOOK).write_text(json.dumps(data), encoding="utf-8")
    set_mtime(generated / NOTEBOOK, 10)
    before = (generated / SOURCE).read_bytes()

    assert main(["export", "--module", "activations"]) == 1

    assert "not a valid notebook" in capsys.readouterr().err
    assert (generated / SOURCE).read_bytes() == before


@pytest.mark.parametrize(
    ("key", "value"),
    [("name", 'Tiny Torch"x'), ("user", "a/b"), ("branch", "main; rm")],
    ids=["quote-and-space", "slash-in-user", "semicolon-in-branch"],
)
def test_invalid_repository_setting_is_error(generated: Path, capsys, key, value):
    settings = generated / "settings.ini"
    text = settings.read_text(encoding="utf-8")
    user, name, branch = repository(Project(generated))
    old = {"user": user, "name": name, "branch": branch}[key]
    settings.write_text(
        text.replace(f"{key} = {old}", f"{key} = {value}", 1), encoding="utf-8"
    )

    assert main(["notebooks", "--all"]) == 1

    err = capsys.readouterr().err
    assert f"invalid [repository] {key}" in err


@pytest.mark.parametrize("name", ["layers", "activations"], ids=["unknown", "itself"])
def test_prerequisite_must_be_another_module(generated: Path, capsys, name):
    folder = generated / MODULE
    (folder / "module.toml").write_text(
        f'title = "Activations"\ndifficulty = 2\nprerequisites = ["{name}"]\n',
        encoding="utf-8",
    )

    assert main(["notebooks", "--all"]) == 1

    assert f"prerequisite '{name}' is not another module" in capsys.readouterr().err


def test_deleted_source_is_rebuilt_from_notebook(generated: Path, capsys):
    expected = (generated / SOURCE).read_text(encoding="utf-8")
    (generated / SOURCE).unlink()

    assert main(["export", "--module", "activations"]) == 0

    assert "source created from the notebook" in capsys.readouterr().out
    assert (generated / SOURCE).read_text(encoding="utf-8") == expected
