"""Fixtures shared by the package tests and the tests of tito itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What a copy of the course needs for tito to work on it.
COURSE_FILES = ("pyproject.toml", "settings.ini", "jupytext.toml")
COURSE_FOLDERS = ("modules", "tinytorch", "tests", "bin")


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG_CACHE_HOME at a fresh folder, so tito's sync records stay private."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@pytest.fixture
def repo_root() -> Path:
    """The real repository root (read it, never write to it)."""
    return ROOT


@pytest.fixture
def course_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the course in tmp_path, made the working directory."""
    copy = tmp_path / "course"
    copy.mkdir()
    for name in COURSE_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, copy / name)
    ignore = shutil.ignore_patterns(
        "__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis"
    )
    for name in COURSE_FOLDERS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    monkeypatch.chdir(copy)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)
    return copy
