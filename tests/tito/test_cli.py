"""Tests of tito's command line: help, usage errors, and finding the repository."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tito
from tito.cli import build_parser, main
from tito.commands import COMMANDS

SUBCOMMANDS = [[name] for name in COMMANDS] + [
    ["system", action] for action in ("info", "doctor", "jupyter")
]


def test_every_tito_module_imports():
    names = [info.name for info in pkgutil.walk_packages(tito.__path__, prefix="tito.")]

    for name in names:
        if name != "tito.__main__":
            importlib.import_module(name)

    assert "tito.exporter" in names


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_subcommand_help_works(argv, capsys):
    assert main([*argv, "--help"]) == 0

    assert f"usage: tito {' '.join(argv)}" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 2

    assert "usage: tito" in capsys.readouterr().out


def test_unknown_command_suggests_closest(capsys):
    assert main(["exprot", "activations"]) == 2

    err = capsys.readouterr().err
    assert "unknown command 'exprot' (did you mean export?)" in err


def test_unknown_flag_is_usage_error(capsys):
    assert main(["export", "--bogus"]) == 2

    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_module_and_all_together_is_usage_error(course_copy, capsys):
    assert main(["export", "activations", "--all"]) == 2

    assert "not both" in capsys.readouterr().err


def test_missing_module_lists_available(course_copy, capsys):
    assert main(["export"]) == 2

    err = capsys.readouterr().err
    assert "no module given" in err
    assert "activations" in err


def test_tito_finds_root_from_subfolder(course_copy, monkeypatch, capsys):
    monkeypatch.chdir(course_copy / "modules" / "source")

    assert main(["system", "info"]) == 0

    assert f"Repository  {course_copy}" in capsys.readouterr().out


def test_tito_outside_repository_names_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)

    assert main(["export", "activations"]) == 1

    err = capsys.readouterr().err
    assert "not inside a TinyTorch repository" in err
    assert "settings.ini" in err
    assert "pyproject.toml" in err


def test_parser_builds_without_heavy_imports():
    code = (
        "import sys\n"
        "from tito.cli import build_parser\n"
        "build_parser()\n"
        "heavy = [m for m in ('numpy', 'nbdev', 'jupytext', 'matplotlib') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""


def test_console_script_runs_help():
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tito", "--help"],
        capture_output=True,
        text=True,
        env=env,
    )

    assert result.returncode == 0
    assert "usage: tito" in result.stdout


def test_build_parser_registers_each_command():
    parser = build_parser()

    actions = [a for a in parser._actions if a.dest == "command"]
    assert set(actions[0].choices) == set(COMMANDS)


def test_version_prints_package_version(capsys):
    import tinytorch

    assert main(["--version"]) == 0

    assert capsys.readouterr().out.strip() == f"tito {tinytorch.__version__}"


def test_jupyter_passes_unknown_options(course_copy, monkeypatch):
    import tito.jupyter

    calls = []

    def fake_start(project, port=None, no_browser=False, extra_args=()):
        calls.append((port, no_browser, list(extra_args)))
        return 0

    monkeypatch.setattr(tito.jupyter, "start_jupyter", fake_start)

    assert main(["system", "jupyter", "--port", "9999", "--allow-root"]) == 0
    assert main(["system", "jupyter", "--no-browser", "--", "--ip=127.0.0.1"]) == 0

    assert calls == [(9999, False, ["--allow-root"]), (None, True, ["--ip=127.0.0.1"])]


def test_closed_pipe_is_not_a_traceback():
    # The reader exits at once, so tito writes into a closed pipe.
    result = subprocess.run(
        f'{sys.executable} -m tito system info | {sys.executable} -c "pass"',
        shell=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr


def test_missing_package_is_short_error(course_copy, monkeypatch, capsys):
    import tito.exporter

    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'jupytext'", name="jupytext")

    monkeypatch.setattr(tito.exporter, "export_module", missing)

    assert main(["export", "setup"]) == 1

    err = capsys.readouterr().err
    assert "jupytext is not installed for" in err
    assert "source bin/activate-tinytorch.sh" in err
    assert "Traceback" not in err


def test_doctor_skips_modules_outside_environment(course_copy, monkeypatch, capsys):
    from tito.commands import system

    monkeypatch.setattr(system, "_version", lambda name: None)

    assert main(["system", "doctor"]) == 1

    out = capsys.readouterr().out
    assert "FAIL tinytorch installed" in out
    assert "FAIL module exports" in out
    assert "not checked" in out


def test_doctor_reports_hand_edited_export(course_copy, capsys):
    target = course_copy / "tinytorch" / "core" / "tensor.py"
    target.write_text(target.read_text() + "\n# edited by hand\n")

    assert main(["system", "doctor"]) == 1

    out = capsys.readouterr().out
    assert "tinytorch/core/tensor.py does not match what its source exports" in out
