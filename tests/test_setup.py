"""Tests of tinytorch.core.setup: personal info, system info and environment checks."""

import doctest
import platform
import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import tinytorch
from tinytorch.core import setup
from tinytorch.core.setup import (
    EnvironmentCheck,
    check_environment,
    personal_info,
    system_info,
)


def test_setup_exports_public_names():
    assert sorted(setup.__all__) == [
        "EnvironmentCheck",
        "check_environment",
        "personal_info",
        "system_info",
    ]


def test_personal_info_has_filled_in_fields():
    info = personal_info()

    assert set(info) == {"name", "email", "institution"}
    for key, value in info.items():
        assert isinstance(value, str), key
        assert value.strip(), key


def test_personal_info_email_contains_at():
    assert "@" in personal_info()["email"]


def test_system_info_reports_this_environment():
    info = system_info()

    assert info == {
        "python": platform.python_version(),
        "system": platform.system(),
        "machine": platform.machine(),
        "numpy": np.__version__,
    }


def test_check_environment_order_and_types():
    checks = check_environment()

    assert [check.name for check in checks] == [
        "python",
        "numpy",
        "matplotlib",
        "tinytorch",
    ]
    assert all(isinstance(check, EnvironmentCheck) for check in checks)


def test_check_environment_passes_here():
    failed = [check for check in check_environment() if not check.passed]

    assert failed == []


def test_check_environment_names_tinytorch_folder():
    tinytorch_check = check_environment()[-1]

    assert str(Path(tinytorch.__file__).parent) in tinytorch_check.detail
    assert tinytorch.__version__ in tinytorch_check.detail


def test_check_python_accepts_current_interpreter():
    result = setup._check_python(sys.version_info)

    assert result.passed
    assert platform.python_version() in result.detail


@pytest.mark.parametrize("version", [(3, 10, 0), (3, 13, 1), (4, 0, 0)])
def test_check_python_accepts_supported_versions(version):
    assert setup._check_python(version).passed


@pytest.mark.parametrize("version", [(3, 9, 18), (2, 7, 18)])
def test_check_python_rejects_old_versions(version):
    result = setup._check_python(version)

    assert not result.passed
    assert "is too old: TinyTorch needs 3.10 or newer" in result.detail
    assert "activate-tinytorch.sh" in result.detail


def test_check_package_missing_module_fails_with_fix():
    result = setup._check_package("tinytorch_package_that_does_not_exist")

    assert not result.passed
    assert "cannot import tinytorch_package_that_does_not_exist" in result.detail
    assert "source bin/activate-tinytorch.sh" in result.detail


def test_check_package_old_version_fails(monkeypatch):
    fake = types.ModuleType("fake_numpy")
    fake.__version__ = "1.26.4"
    monkeypatch.setitem(sys.modules, "fake_numpy", fake)

    result = setup._check_package("fake_numpy", minimum=(2, 0))

    assert not result.passed
    assert "fake_numpy 1.26.4 is installed, but TinyTorch needs 2.0" in result.detail


@pytest.mark.parametrize("version", ["2.0.0", "2.1.0rc1", "10.0.dev0+abc"])
def test_check_package_new_enough_version_passes(monkeypatch, version):
    fake = types.ModuleType("fake_numpy")
    fake.__version__ = version
    monkeypatch.setitem(sys.modules, "fake_numpy", fake)

    result = setup._check_package("fake_numpy", minimum=(2, 0))

    assert result.passed
    assert f"fake_numpy {version}" in result.detail


def test_check_package_unreadable_version_fails(monkeypatch):
    fake = types.ModuleType("fake_numpy")
    monkeypatch.setitem(sys.modules, "fake_numpy", fake)

    result = setup._check_package("fake_numpy", minimum=(2, 0))

    assert not result.passed
    assert "fake_numpy unknown is installed" in result.detail


def test_check_package_without_file_reports_unknown_location(monkeypatch):
    fake = types.ModuleType("fake_namespace")
    monkeypatch.setitem(sys.modules, "fake_namespace", fake)

    result = setup._check_package("fake_namespace")

    assert result.passed
    assert "from an unknown location" in result.detail


def test_environment_check_is_frozen():
    check = EnvironmentCheck("python", True, "Python 3.11.0")

    with pytest.raises(AttributeError):
        check.passed = False


def test_readme_examples_produce_what_they_show(repo_root):
    readme = repo_root / "modules" / "source" / "01_setup" / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text("utf-8"), re.S)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner()

    for number, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README block {number}", None, 0))

    assert blocks
    assert runner.summarize(verbose=False).failed == 0
