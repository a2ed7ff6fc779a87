"""Fixtures for tito's own tests: small courses built in tmp_path."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mini_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty course (configuration only) in tmp_path, made the working directory."""
    root = tmp_path / "mini"
    root.mkdir()
    for name in ("pyproject.toml", "settings.ini", "jupytext.toml"):
        shutil.copy2(ROOT / name, root / name)
    (root / "modules" / "source").mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)
    return root


@pytest.fixture
def write_module(mini_course: Path) -> Callable[..., Path]:
    """Write `modules/source/NN_name/name_dev.py` into the mini course."""

    def write(name: str, source: str, number: int = 1, *, dedent: bool = True) -> Path:
        folder = mini_course / "modules" / "source" / f"{number:02d}_{name}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}_dev.py"
        path.write_text(textwrap.dedent(source) if dedent else source, encoding="utf-8")
        return path

    return write
