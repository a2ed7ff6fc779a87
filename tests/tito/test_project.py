"""Tests of the project model: reading and checking each module's module.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from tito.errors import TitoError
from tito.project import Project, read_module_meta

VALID = """\
title = "Tensor"
difficulty = 2
time_estimate = "2 hours"
prerequisites = ["setup"]
next = "activations"
"""


def write_meta(folder: Path, text: str) -> Path:
    path = folder / "module.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_meta_is_returned(tmp_path):
    path = write_meta(tmp_path, VALID)

    meta = read_module_meta(path)

    assert meta == {
        "title": "Tensor",
        "difficulty": 2,
        "time_estimate": "2 hours",
        "prerequisites": ["setup"],
        "next": "activations",
    }


def test_missing_meta_file_is_empty(tmp_path):
    assert read_module_meta(tmp_path / "module.toml") == {}


def test_every_key_is_optional(tmp_path):
    assert read_module_meta(write_meta(tmp_path, "")) == {}


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_difficulty_levels_are_accepted(tmp_path, difficulty):
    path = write_meta(tmp_path, f"difficulty = {difficulty}\n")

    assert read_module_meta(path) == {"difficulty": difficulty}


def test_empty_prerequisites_are_accepted(tmp_path):
    path = write_meta(tmp_path, "prerequisites = []\n")

    assert read_module_meta(path) == {"prerequisites": []}


@pytest.mark.parametrize(
    ("line", "key", "shown", "expected"),
    [
        ('difficulty = "high"', "difficulty", '"high"', "whole number from 1 to 3"),
        ("difficulty = 0", "difficulty", "0", "whole number from 1 to 3"),
        ("difficulty = -1", "difficulty", "-1", "whole number from 1 to 3"),
        ("difficulty = 99", "difficulty", "99", "whole number from 1 to 3"),
        ("difficulty = 2.5", "difficulty", "2.5", "whole number from 1 to 3"),
        ("difficulty = true", "difficulty", "true", "whole number from 1 to 3"),
        ("title = 5", "title", "5", "a string"),
        ("title = []", "title", "[]", "a string"),
        ("time_estimate = 2", "time_estimate", "2", "a string"),
        ("prerequisites = [1]", "prerequisites", "[1]", "list of module names"),
        (
            'prerequisites = "tensor"',
            "prerequisites",
            '"tensor"',
            "list of module names",
        ),
        ("next = 7", "next", "7", "a module name"),
        ('next = ["tensor"]', "next", '["tensor"]', "a module name"),
    ],
)
def test_invalid_value_names_file_key_value_and_type(
    tmp_path, line, key, shown, expected
):
    path = write_meta(tmp_path, line + "\n")

    with pytest.raises(TitoError) as caught:
        read_module_meta(path)

    message = str(caught.value)
    assert caught.value.path == path
    assert f"invalid {key} = {shown}" in message
    assert expected in message
    assert f"{key} = " in caught.value.hint


def test_unknown_key_lists_known_keys(tmp_path):
    path = write_meta(tmp_path, VALID + "dificulty = 2\n")

    with pytest.raises(TitoError, match="unknown key 'dificulty'") as caught:
        read_module_meta(path)

    assert caught.value.path == path
    for known in ("title", "difficulty", "time_estimate", "prerequisites", "next"):
        assert known in caught.value.hint


def test_invalid_toml_names_file(tmp_path):
    path = write_meta(tmp_path, "title = \n")

    with pytest.raises(TitoError, match="invalid module metadata") as caught:
        read_module_meta(path)

    assert caught.value.path == path


def test_project_modules_check_meta(write_module, mini_course):
    folder = write_module("demo", "# %%\nx = 1\n").parent
    write_meta(folder, "difficulty = 5\n")

    with pytest.raises(TitoError, match="invalid difficulty = 5") as caught:
        _ = Project(mini_course).modules

    assert caught.value.path == folder / "module.toml"


def test_real_course_meta_is_valid(repo_root):
    modules = Project(repo_root).modules

    assert modules
    for module in modules:
        assert module.meta, f"{module.folder} has no module.toml"
