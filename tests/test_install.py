"""A fresh, non-editable install runs every command's help and the module tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tito.commands import COMMANDS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

HELP_COMMANDS = [[name] for name in COMMANDS] + [
    ["system", action] for action in ("info", "doctor", "jupyter")
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A clean virtual environment with `pip install <copy of the course>`.

    The copy contains the files git tracks or would track, so the build never
    writes into the repository.
    """
    base = tmp_path_factory.mktemp("install")
    course = base / "course"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (course / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, course / relative)

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(course)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return python, course


def run_tito(python: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "TINYTORCH_ROOT")
    }
    env["NO_COLOR"] = "1"
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(python.parent / "tito"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_install_is_not_editable(installed):
    python, course = installed
    code = "import tinytorch, tito; print(tinytorch.__file__); print(tito.__file__)"

    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd="/"
    ).stdout

    assert "site-packages" in out
    assert str(course) not in out


@pytest.mark.parametrize("argv", HELP_COMMANDS, ids=" ".join)
def test_installed_help_runs(installed, argv):
    python, course = installed

    result = run_tito(python, [*argv, "--help"], cwd=course)

    assert result.returncode == 0, result.stderr
    assert f"usage: tito {' '.join(argv)}" in result.stdout


def test_installed_tito_test_passes(installed):
    python, course = installed

    result = run_tito(python, ["test", "--module", "activations"], cwd=course)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed, 0 failed" in result.stdout
