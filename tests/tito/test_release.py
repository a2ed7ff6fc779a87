"""Tests of `tito release` on tiny courses built from the fixture sources."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tito import notebooks, release, solutions
from tito.cli import main
from tito.errors import TitoError
from tito.project import Project, repository
from tito.readme import HEADER_START

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "release"
SOURCE = Path("modules/source/01_demo/demo_dev.py")
README = SOURCE.parent / "README.md"

# The tiny courses' settings: the instructor repository is teacher/course and
# the student repository students/course-student.
SETTINGS = """\
[course]
title = Demo
version = 0.1.0
release_path = release/student

[repository]
# Links point here.
user = teacher
name = course
branch = main

# The student repository.
[release]
user = students
name = course-student
branch = spring
"""
INSTRUCTOR_URL = "github.com/teacher/course"
STUDENT_URL = "github.com/students/course-student"
INSTRUCTOR_ONLY = (
    "instructor-only test: a student release has no reference solutions to release"
)

# nbgrader's cell metadata, schema version 3: every key it allows and its type.
NBGRADER_V3_TYPES = {
    "schema_version": int,
    "grade": bool,
    "locked": bool,
    "solution": bool,
    "task": bool,
    "grade_id": str,
    "points": (int, float),
    "checksum": str,
    "cell_type": str,
}
NBGRADER_V3_REQUIRED = {"schema_version", "grade", "locked", "solution"}


def nbgrader_v3_problems(notebook: dict) -> list[str]:
    """Return every way the notebook's nbgrader metadata breaks schema version 3."""
    problems, ids = [], set()
    for number, cell in enumerate(notebook["cells"], start=1):
        meta = cell["metadata"].get("nbgrader")
        if meta is None:
            continue
        where = f"cell {number}"
        problems += [
            f"{where}: unknown key {k}" for k in meta.keys() - NBGRADER_V3_TYPES
        ]
        problems += [
            f"{where}: missing {k}" for k in NBGRADER_V3_REQUIRED - meta.keys()
        ]
        for key, value in meta.items():
            expected = NBGRADER_V3_TYPES.get(key)
            # bool is a subclass of int, but nbgrader's JSON schema distinguishes them.
            wrong_bool = (
                key != "grade" and isinstance(value, bool) and expected is not bool
            )
            if expected and (not isinstance(value, expected) or wrong_bool):
                problems.append(f"{where}: {key}={value!r} is not {expected}")
        if meta.get("schema_version") != 3:
            problems.append(f"{where}: schema_version is not 3")
        grade, solution = meta.get("grade"), meta.get("solution")
        if grade or solution or meta.get("locked"):
            grade_id = meta.get("grade_id", "")
            if not re.fullmatch(r"[a-zA-Z0-9_\-]+", grade_id):
                problems.append(f"{where}: invalid grade_id {grade_id!r}")
            if grade_id in ids:
                problems.append(f"{where}: duplicate grade_id {grade_id!r}")
            ids.add(grade_id)
        if grade and not (
            isinstance(meta.get("points"), int | float) and meta["points"] >= 0
        ):
            problems.append(f"{where}: a grade cell needs points >= 0")
        if cell["cell_type"] == "markdown" and bool(grade) != bool(solution):
            problems.append(f"{where}: a markdown cell must be both grade and solution")
        if meta.get("task") and cell["cell_type"] != "markdown":
            problems.append(f"{where}: a task cell must be markdown")
    return problems


def make_course(root: Path, fixture: str = "demo_dev.py") -> Project:
    """Write a one-module course whose source is a fixture file."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "jupytext.toml"):
        shutil.copy(ROOT / name, root / name)
    (root / "settings.ini").write_text(SETTINGS)
    (root / SOURCE).parent.mkdir(parents=True)
    shutil.copy(FIXTURES / fixture, root / SOURCE)
    (root / "tinytorch").mkdir()
    (root / "tinytorch" / "__init__.py").write_text('"""TinyTorch."""\n')
    return Project(root)


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    project = make_course(tmp_path / "course")
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)
    return project


def expected_student_text(text: str) -> str:
    """Replace each marked block by the two stub lines, leaving every other line."""
    out, inside = [], False
    for line in text.split("\n"):
        marker = line.strip()
        if marker == solutions.BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + "# YOUR CODE HERE", indent + "raise NotImplementedError()"]
            inside = True
        elif marker == solutions.END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# The student source ------------------------------------------------------------


def test_student_source_changes_only_solution_blocks(course):
    module = course.module("demo")

    student = release.student_module(course, module)

    assert student.text == expected_student_text(module.source.read_text())
    ast.parse(student.text)


def test_student_source_keeps_stub_indentation(course):
    student = release.student_module(course, course.module("demo"))

    lines = student.text.split("\n")
    method = lines.index("    def forward(self, x):")
    assert lines[method + 2 : method + 4] == [
        "        # YOUR CODE HERE",
        "        raise NotImplementedError()",
    ]


def test_student_source_holds_no_solution_line(course):
    student = release.student_module(course, course.module("demo"))

    assert student.solution_lines == {
        "values = _as_array(x)",
        "return values * 2",
        "if self.factor == 0:",
        "return np.zeros_like(_as_array(x))",
        "return _as_array(x) * self.factor",
    }
    stripped = {line.strip() for line in student.text.split("\n")}
    assert not stripped & student.solution_lines


# Marker errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("solution_unclosed_dev.py", 7, "unclosed solution block"),
        ("solution_end_without_begin_dev.py", 8, "without a matching"),
        ("solution_nested_dev.py", 8, "nested"),
        ("solution_misspelled_dev.py", 7, "malformed solution marker"),
        ("solution_marker_punctuation_dev.py", 6, "malformed solution marker"),
        ("solution_missing_dev.py", 5, "defines `double` but has no solution block"),
        ("solution_in_test_cell_dev.py", 6, "a test cell contains a solution block"),
        ("solution_in_markdown_dev.py", 5, "in a markdown cell"),
        ("solution_with_opt_out_dev.py", 6, "`# tito: no-solution` in a cell"),
    ],
)
def test_release_stops_on_marker_error(
    tmp_path, monkeypatch, capsys, fixture, line, message
):
    project = make_course(tmp_path / "course", fixture)
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("TINYTORCH_ROOT", raising=False)
    destination = tmp_path / "out" / "student"

    code = main(["release", "--all", "--to", str(destination)])

    err = capsys.readouterr().err
    assert code == 1
    assert f"{SOURCE.as_posix()}:{line}: " in err
    assert message in err
    assert "hint: " in err
    assert not (tmp_path / "out").exists()


def test_opt_out_line_allows_code_without_solution(tmp_path):
    project = make_course(tmp_path / "course", "solution_missing_dev.py")
    text = (project.root / SOURCE).read_text()
    (project.root / SOURCE).write_text(
        text.replace("#| export\n", "#| export\n# tito: no-solution\n")
    )

    student = release.student_module(project, project.module("demo"))

    assert "return x * 2" in student.text


# The nbgrader metadata ---------------------------------------------------------


def test_notebook_metadata_follows_nbgrader_v3(course):
    student = release.student_module(course, course.module("demo"))

    notebook = json.loads(notebooks.notebook_text(student.notebook))

    assert nbgrader_v3_problems(notebook) == []
    assert all("nbgrader" in cell["metadata"] for cell in notebook["cells"])


def test_notebook_marks_solution_and_test_cells(course):
    student = release.student_module(course, course.module("demo"))

    by_id = {
        cell.metadata["nbgrader"]["grade_id"]: cell for cell in student.notebook.cells
    }
    solution = by_id["demo-double"].metadata["nbgrader"]
    assert solution["solution"] is True
    assert solution["grade"] is False
    assert solution["locked"] is False
    assert "raise NotImplementedError()" in by_id["demo-double"].source
    test = by_id["demo-double-test"].metadata["nbgrader"]
    assert test["grade"] is True
    assert test["locked"] is True
    assert test["points"] == 2
    others = [
        cell.metadata["nbgrader"]
        for grade_id, cell in by_id.items()
        if grade_id not in ("demo-double", "demo-double-test")
    ]
    assert others
    assert all(meta["locked"] and not meta["grade"] for meta in others)
    assert not any(meta["solution"] for meta in others)


def test_schema_check_catches_bad_metadata():
    cell = {"cell_type": "markdown", "metadata": {"nbgrader": {"grade": 1}}}

    problems = nbgrader_v3_problems({"cells": [cell]})

    assert "cell 1: missing schema_version" in problems
    assert any("grade=1" in problem for problem in problems)


# Whole-course releases ---------------------------------------------------------


def test_release_writes_student_course(course, capsys):
    assert main(["notebooks", "--all"]) == 0  # adds the Colab cell to the source
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    assert "released demo" in capsys.readouterr().out
    assert (destination / release.STAMP).is_file()
    assert (destination / "pyproject.toml").is_file()
    student_source = (destination / SOURCE).read_text()
    expected = expected_student_text((course.root / SOURCE).read_text())
    assert student_source == expected.replace(
        f"{INSTRUCTOR_URL}@main", f"{STUDENT_URL}@spring"
    )
    package = (destination / "tinytorch/core/demo.py").read_text()
    assert "raise NotImplementedError()" in package
    assert "return values * 2" not in package
    notebook = json.loads((destination / SOURCE.with_suffix(".ipynb")).read_text())
    assert nbgrader_v3_problems(notebook) == []


def test_release_is_deterministic(course):
    first, second = course.root.parent / "first", course.root.parent / "second"

    assert main(["release", "--all", "--to", str(first)]) == 0
    assert main(["release", "--all", "--to", str(second)]) == 0

    assert snapshot(first) == snapshot(second)


def test_release_uses_settings_folder_by_default(course, monkeypatch):
    monkeypatch.chdir(course.root / "modules")

    assert main(["release", "--all"]) == 0

    assert (course.root / "release/student" / SOURCE).is_file()


def test_release_takes_git_file_list(course):
    (course.root / ".gitignore").write_text("scratch.txt\n/release/\n")
    (course.root / "scratch.txt").write_text("notes\n")
    (course.root / "README.md").write_text("# Demo course\n")
    (course.root / ".ci").mkdir()
    (course.root / ".ci" / "run").write_text("pytest\n")
    subprocess.run(["git", "init", "-q"], cwd=course.root, check=True)
    destination = course.root / "release" / "student"

    assert main(["release", "--all"]) == 0

    assert (destination / "README.md").read_text() == "# Demo course\n"
    assert (destination / ".gitignore").is_file()
    assert not (destination / "scratch.txt").exists()
    assert not (destination / ".ci").exists()
    assert not (destination / "release").exists()


def test_release_replaces_earlier_release_keeping_git(course):
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    (destination / "old.txt").write_text("from the last release\n")
    (destination / ".git").mkdir()
    (destination / ".git" / "HEAD").write_text("ref: refs/heads/main\n")

    assert main(["release", "--all", "--force", "--to", str(destination)]) == 0

    assert not (destination / "old.txt").exists()
    assert (destination / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (destination / SOURCE).is_file()


def test_failed_release_leaves_earlier_release(course, capsys):
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    before = snapshot(destination)
    source = course.root / SOURCE
    source.write_text(source.read_text().replace("    ### END SOLUTION\n", "", 1))

    assert main(["release", "--all", "--to", str(destination)]) == 1

    assert "nested ### BEGIN SOLUTION" in capsys.readouterr().err
    assert snapshot(destination) == before
    assert sorted(p.name for p in destination.parent.iterdir()) == ["course", "student"]


def test_release_rejects_folder_it_did_not_write(course, capsys):
    destination = course.root.parent / "documents"
    destination.mkdir()
    (destination / "thesis.txt").write_text("keep me\n")

    assert main(["release", "--all", "--to", str(destination)]) == 1

    assert "not written by tito release" in capsys.readouterr().err
    assert snapshot(destination) == {"thesis.txt": b"keep me\n"}


def test_release_rejects_repository_itself(course, capsys):
    assert main(["release", "--all", "--to", "."]) == 2

    assert "contains the course repository" in capsys.readouterr().err


# The leak search ---------------------------------------------------------------


def test_release_fails_on_solution_in_package_file(course, capsys):
    (course.root / "tinytorch" / "helpers.py").write_text(
        "def double(values):\n    return values * 2\n"
    )
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 1

    err = capsys.readouterr().err
    assert "would contain solution lines" in err
    assert "tinytorch/helpers.py:2: return values * 2" in err
    assert not destination.exists()


def test_release_fails_on_solution_in_stray_notebook(course, capsys):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Notes"]},
            {
                "cell_type": "code",
                "metadata": {},
                "source": ["x = 1\n", "    if self.factor == 0:\n"],
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    stray = course.root / "modules/source/01_demo/old_demo.ipynb"
    stray.write_text(json.dumps(notebook))

    assert main(["release", "--all", "--to", str(course.root.parent / "out")]) == 1

    err = capsys.readouterr().err
    assert "old_demo.ipynb:2: if self.factor == 0:" in err


def test_find_leaks_ignores_lines_not_listed(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n  return values * 2  \n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")

    leaks = release.find_leaks(tmp_path, {"return values * 2"})

    assert leaks == [release.Leak(Path("a.py"), 2, "return values * 2")]


# Module releases ---------------------------------------------------------------


def test_module_release_writes_only_module_folder(course):
    (course.root / SOURCE.parent / "README.md").write_text("# Demo\n")
    destination = course.root.parent / "handout"

    assert main(["release", "demo", "--to", str(destination)]) == 0

    assert sorted(snapshot(destination)) == [
        release.STAMP,
        "modules/source/01_demo/README.md",
        "modules/source/01_demo/demo_dev.ipynb",
        "modules/source/01_demo/demo_dev.py",
    ]


def test_module_release_updates_course_release(course):
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    source = course.root / SOURCE
    source.write_text(source.read_text().replace("times two", "times 2"))

    assert main(["release", "demo", "--to", str(destination)]) == 0

    assert "times 2" in (destination / SOURCE).read_text()
    assert (destination / "tinytorch/core/demo.py").is_file()


def test_released_notebook_is_in_step_with_source(course):
    from tito.notebooks import sync_module

    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    student = Project(destination)

    result = sync_module(student, student.module("demo"))

    assert result.written is None
    assert result.reason == "in step"


def test_released_notebooks_pass_notebook_check(course, monkeypatch):
    destination = course.root.parent / "student"
    assert main(["notebooks", "--all"]) == 0
    assert main(["release", "--all", "--to", str(destination)]) == 0
    monkeypatch.chdir(destination)

    assert main(["notebooks", "--all", "--check"]) == 0


def test_student_edit_keeps_nbgrader_metadata(course, monkeypatch):
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    monkeypatch.chdir(destination)
    source = destination / SOURCE
    notebook_path = source.with_suffix(".ipynb")
    before = json.loads(notebook_path.read_text())
    source.write_text(
        source.read_text().replace(
            "raise NotImplementedError()", "return values * 2", 1
        )
    )

    assert main(["export", "demo"]) == 0

    after = json.loads(notebook_path.read_text())
    sources = ["".join(cell["source"]) for cell in after["cells"]]
    assert any("return values * 2" in text for text in sources)
    assert [cell["metadata"].get("nbgrader") for cell in after["cells"]] == [
        cell["metadata"].get("nbgrader") for cell in before["cells"]
    ]
    assert nbgrader_v3_problems(after) == []


# Links to the student repository ------------------------------------------------


def write_readme(project: Project) -> Path:
    readme = project.root / README
    readme.write_text(f"# Module 1: Demo\n{HEADER_START}\n\nDouble it.\n")
    assert main(["notebooks", "--all"]) == 0
    assert INSTRUCTOR_URL in readme.read_text()
    return readme


def test_release_links_point_at_student_repository(course):
    write_readme(course)
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    source = (destination / SOURCE).read_text()
    assert f'TINYTORCH_URL = "git+https://{STUDENT_URL}@spring"' in source
    notebook = json.loads((destination / SOURCE.with_suffix(".ipynb")).read_text())
    colab = [
        cell
        for cell in notebook["cells"]
        if notebooks.COLAB_TAG in cell["metadata"].get("tags", [])
    ]
    assert len(colab) == 1
    assert f"{STUDENT_URL}@spring" in "".join(colab[0]["source"])
    readme = (destination / README).read_text()
    notebook_path = SOURCE.with_suffix(".ipynb").as_posix()
    colab_url = "colab.research.google.com/github/students/course-student/blob/spring"
    assert f"{colab_url}/{notebook_path}" in readme
    assert "mybinder.org/v2/gh/students/course-student/spring" in readme
    for path in sorted(p for p in destination.rglob("*") if p.is_file()):
        assert "teacher" not in path.read_text(errors="replace"), path


def test_released_settings_name_student_repository(course):
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    student = Project(destination)
    assert repository(student) == ("students", "course-student", "spring")
    assert not student.settings.has_section(release.RELEASE_SECTION)
    text = (destination / "settings.ini").read_text()
    assert "# Links point here.\n" in text
    assert "# The student repository." not in text
    assert text.endswith("branch = spring\n")


def test_released_notebook_keeps_nbgrader_metadata_with_new_links(course):
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    notebook = json.loads((destination / SOURCE.with_suffix(".ipynb")).read_text())
    assert nbgrader_v3_problems(notebook) == []
    metadata = [cell["metadata"].get("nbgrader") for cell in notebook["cells"]]
    assert all(metadata), "every cell, the added Colab cell too, has nbgrader metadata"
    by_id = {meta["grade_id"]: meta for meta in metadata}
    assert by_id["demo-double"]["solution"] is True
    assert by_id["demo-double-test"]["points"] == 2


def test_module_release_links_point_at_student_repository(course):
    write_readme(course)
    destination = course.root.parent / "handout"

    assert main(["release", "demo", "--to", str(destination)]) == 0

    assert STUDENT_URL in (destination / SOURCE).read_text()
    assert "students/course-student/spring" in (destination / README).read_text()
    assert INSTRUCTOR_URL not in (destination / README).read_text()
    assert not (destination / "settings.ini").exists()


def test_release_without_release_section_warns(course, capsys):
    settings = course.root / "settings.ini"
    settings.write_text(settings.read_text().split("# The student repository.")[0])
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    err = capsys.readouterr().err
    assert "tito: warning: settings.ini has no [release] section" in err
    assert "point at the instructor repository teacher/course" in err
    assert f"{INSTRUCTOR_URL}@main" in (destination / SOURCE).read_text()
    assert repository(Project(destination)) == ("teacher", "course", "main")


def test_release_section_naming_instructor_warns(course, capsys):
    settings = course.root / "settings.ini"
    text = settings.read_text().replace("user = students", "user = teacher")
    text = text.replace("name = course-student", "name = course")
    settings.write_text(text.replace("branch = spring", "branch = main"))

    assert main(["release", "--all", "--to", str(course.root.parent / "out")]) == 0

    assert "[release] names the instructor repository" in capsys.readouterr().err


def test_release_rejects_empty_release_setting(course, capsys):
    settings = course.root / "settings.ini"
    settings.write_text(settings.read_text().replace("user = students", "user ="))

    assert main(["release", "--all", "--to", str(course.root.parent / "out")]) == 1

    err = capsys.readouterr().err
    assert "settings.ini: invalid [release] user ''" in err
    assert not (course.root.parent / "out").exists()


def test_student_settings_adds_missing_repository_keys():
    text = "[course]\ntitle = Demo\n\n[repository]\nUser: old\n\n[extra]\nkey = 1\n"

    student = release.student_settings(text, ("new", "course", "main"))

    assert student == (
        "[course]\ntitle = Demo\n\n[repository]\nUser: new\nname = course\n"
        "branch = main\n\n[extra]\nkey = 1\n"
    )


def test_student_settings_adds_repository_section():
    student = release.student_settings("[course]\ntitle = Demo\n", ("a", "b", "c"))

    assert student == (
        "[course]\ntitle = Demo\n\n[repository]\nuser = a\nname = b\nbranch = c\n"
    )


def test_repository_names_separate_student_repository():
    if (ROOT / release.STAMP).exists():
        pytest.skip("instructor-only test: a student course has no [release] section")
    project = Project(ROOT)

    student, warnings = release.release_repository(project)

    assert warnings == ()
    assert student != repository(project)


# Permissions ---------------------------------------------------------------------


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
    }


def test_release_has_clone_permissions(course, usual_umask):
    (course.root / "bin").mkdir()
    script = course.root / "bin" / "activate.sh"
    script.write_text("#!/bin/sh\necho ready\n")
    script.chmod(0o700)
    (course.root / "notes.txt").write_text("private\n")
    (course.root / "notes.txt").chmod(0o600)
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    found = modes(destination)
    assert stat.S_IMODE(destination.stat().st_mode) == 0o755
    assert found["bin/activate.sh"] == 0o755
    assert found["notes.txt"] == 0o644
    folders = [name for name in found if (destination / name).is_dir()]
    assert "tinytorch/core" in folders
    assert {found[name] for name in folders} == {0o755}
    files = [name for name in found if name not in folders]
    assert {found[name] for name in files if name != "bin/activate.sh"} == {0o644}


def test_module_release_has_clone_permissions(course, usual_umask):
    destination = course.root.parent / "handout"

    assert main(["release", "demo", "--to", str(destination)]) == 0

    assert stat.S_IMODE(destination.stat().st_mode) == 0o755
    assert set(modes(destination).values()) <= {0o755, 0o644}
    assert modes(destination)[SOURCE.as_posix()] == 0o644


def test_clone_modes_follow_umask(tmp_path):
    (tmp_path / "sub").mkdir(mode=0o700)
    (tmp_path / "sub" / "run.sh").write_text("")
    (tmp_path / "sub" / "run.sh").chmod(0o744)
    (tmp_path / "sub" / "data.txt").write_text("")
    previous = os.umask(0o027)
    try:
        release.set_clone_modes(tmp_path)
    finally:
        os.umask(previous)

    assert modes(tmp_path) == {"sub": 0o750, "sub/data.txt": 0o640, "sub/run.sh": 0o750}


# The end-to-end test in a student course ---------------------------------------


def test_end_to_end_test_skips_in_student_release(tmp_path):
    (tmp_path / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "test_student_course.py", tmp_path / "tests")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / release.STAMP).write_text("")
    command = [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider"]

    done = subprocess.run(
        [*command, "tests/test_student_course.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    assert INSTRUCTOR_ONLY in done.stdout


def test_release_section_differing_in_case_warns(course, capsys):
    settings = course.root / "settings.ini"
    text = settings.read_text().replace("user = students", "user = Teacher")
    settings.write_text(text.replace("name = course-student", "name = COURSE"))

    assert main(["release", "--all", "--to", str(course.root.parent / "out")]) == 0

    assert "[release] names the instructor repository" in capsys.readouterr().err


# Instructor-only markdown ------------------------------------------------------

COURSE_README = """\
# Demo course
<!-- instructor-only -->
This is the instructor's copy, with every solution.
<!-- /instructor-only -->

Build it yourself.

<!-- instructor-only -->
## For instructors

Run `tito release`.
<!-- /instructor-only -->

## Layout
First line.
<!-- instructor-only -->
`.ci/run` checks everything.
<!-- /instructor-only -->
Last line.

<!-- instructor-only -->
Grading notes.
<!-- /instructor-only -->
"""
STUDENT_README = """\
# Demo course

Build it yourself.

## Layout
First line.
Last line.
"""


def test_release_removes_instructor_only_blocks(course):
    (course.root / "README.md").write_text(COURSE_README)
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    released = (destination / "README.md").read_text()
    assert released == STUDENT_README
    assert "instructor-only" not in released


def test_release_keeps_markdown_without_blocks_unchanged(course):
    text = "# Demo\r\n\r\nNo instructor text here.\r\n"
    (course.root / "NOTES.md").write_bytes(text.encode())
    destination = course.root.parent / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0

    assert (destination / "NOTES.md").read_bytes() == text.encode()


def test_module_release_removes_instructor_only_blocks(course):
    readme = course.root / README
    readme.write_text(
        f"# Module 1: Demo\n{HEADER_START}\n\n<!-- instructor-only -->\n"
        "Grade with nbgrader.\n<!-- /instructor-only -->\n\nDouble it.\n"
    )
    (readme.parent / "HINTS.md").write_text(
        "Hints.\n\n<!-- instructor-only -->\nThe answer.\n<!-- /instructor-only -->\n"
    )
    destination = course.root.parent / "handout"

    assert main(["release", "demo", "--to", str(destination)]) == 0

    released = (destination / README).read_text()
    assert "Double it." in released
    assert "nbgrader" not in released
    assert "instructor-only" not in released
    assert (destination / README.parent / "HINTS.md").read_text() == "Hints.\n"


def test_release_stops_on_unclosed_instructor_block(course, capsys):
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    before = snapshot(destination)
    (course.root / "README.md").write_text(
        "# Demo\n\n<!-- instructor-only -->\nSecret.\n\nMore text.\n"
    )

    assert main(["release", "--all", "--to", str(destination)]) == 1

    err = capsys.readouterr().err
    assert "README.md:3:" in err
    assert "has no `<!-- /instructor-only -->` after it" in err
    assert snapshot(destination) == before


def test_release_stops_on_new_block_inside_open_block(tmp_path):
    text = "a\n<!-- instructor-only -->\nb\n<!-- instructor-only -->\nc\n"

    with pytest.raises(TitoError) as caught:
        release.strip_instructor_only(text, tmp_path / "README.md")

    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a\n<!-- /instructor-only -->\n", 2, "has no `<!-- instructor-only -->`"),
        ("a\n<!-- instructor-only --> b\n", 2, "must stand alone on its line"),
    ],
)
def test_strip_instructor_only_rejects_stray_marker(tmp_path, text, line, message):
    with pytest.raises(TitoError) as caught:
        release.strip_instructor_only(text, tmp_path / "README.md")

    assert caught.value.line == line
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!-- instructor-only -->\nx\n<!-- /instructor-only -->\n\n# A\n", "# A\n"),
        ("# A\n\n<!-- instructor-only -->\nx\n<!-- /instructor-only -->\n", "# A\n"),
        ("# A\n<!-- instructor-only -->\nx\n<!-- /instructor-only -->\nB", "# A\nB"),
        ("<!-- instructor-only -->\nx\n<!-- /instructor-only -->\n", ""),
        (
            "See `<!-- instructor-only -->` lines.\n",
            "See `<!-- instructor-only -->` lines.\n",
        ),
    ],
)
def test_strip_instructor_only_blank_lines(tmp_path, text, expected):
    assert release.strip_instructor_only(text, tmp_path / "README.md") == expected


# Releasing from a student course ----------------------------------------------


@pytest.mark.parametrize("selection", [["--all"], ["demo"]])
def test_release_in_student_course_stops(course, capsys, selection):
    (course.root / release.STAMP).write_text("written by tito release\n")

    assert main(["release", *selection, "--to", str(course.root.parent / "out")]) == 1

    err = capsys.readouterr().err
    assert "this is a student release; run tito release in the instructor's" in err
    assert "solution" not in err.split("hint:")[0]
    assert not (course.root.parent / "out").exists()


# A student's work in the release folder ----------------------------------------


@pytest.fixture
def released(course) -> Path:
    destination = course.root.parent / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    return destination


def test_stamp_lists_released_files(released):
    manifest = release.read_manifest(released)

    source = (released / SOURCE).read_bytes()
    assert manifest[SOURCE.as_posix()] == hashlib.sha256(source).hexdigest()
    assert release.STAMP not in manifest
    assert manifest == release.file_manifest(released)


def test_rerelease_into_unchanged_folder(course, released):
    (released / ".venv" / "bin").mkdir(parents=True)
    (released / ".venv" / "bin" / "python").write_text("#!/bin/sh\n")
    (released / "tinytorch" / "__pycache__").mkdir()
    (released / "tinytorch" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    source = course.root / SOURCE
    source.write_text(source.read_text().replace("times two", "times 2"))

    assert main(["release", "--all", "--to", str(released)]) == 0

    assert "times 2" in (released / SOURCE).read_text()
    assert (released / ".venv" / "bin" / "python").read_text() == "#!/bin/sh\n"
    assert not (released / "tinytorch" / "__pycache__").exists()
    assert release.read_manifest(released) == release.file_manifest(released)


def test_rerelease_rejects_edited_file(course, released, capsys):
    source = released / SOURCE
    source.write_text(source.read_text().replace("# YOUR CODE HERE", "x = 1", 1))
    before = snapshot(released)

    assert main(["release", "--all", "--to", str(released)]) == 1

    err = capsys.readouterr().err
    assert f"{SOURCE.as_posix()} (changed)" in err
    assert "--force" in err
    assert snapshot(released) == before


def test_rerelease_rejects_added_and_deleted_files(course, released, capsys):
    (released / "my_notes.txt").write_text("ideas\n")
    (released / "pyproject.toml").unlink()
    before = snapshot(released)

    assert main(["release", "--all", "--to", str(released)]) == 1

    err = capsys.readouterr().err
    assert "my_notes.txt (not written by tito release)" in err
    assert "pyproject.toml (deleted)" in err
    assert snapshot(released) == before


def test_rerelease_lists_ten_changes(course, released, capsys):
    for number in range(12):
        (released / f"notes_{number:02}.txt").write_text("ideas\n")

    assert main(["release", "--all", "--to", str(released)]) == 1

    err = capsys.readouterr().err
    assert "notes_09.txt" in err
    assert "notes_10.txt" not in err
    assert "and 2 more" in err


def test_force_replaces_student_work(course, released):
    source = released / SOURCE
    source.write_text(source.read_text().replace("# YOUR CODE HERE", "x = 1", 1))
    (released / "my_notes.txt").write_text("ideas\n")
    (released / ".venv").mkdir()
    (released / ".venv" / "pyvenv.cfg").write_text("home = /usr\n")

    assert main(["release", "--all", "--force", "--to", str(released)]) == 0

    assert "x = 1" not in source.read_text()
    assert not (released / "my_notes.txt").exists()
    assert (released / ".venv" / "pyvenv.cfg").read_text() == "home = /usr\n"
    assert main(["release", "--all", "--to", str(released)]) == 0


def test_module_release_rejects_edited_module_file(course, released, capsys):
    source = released / SOURCE
    source.write_text(source.read_text().replace("# YOUR CODE HERE", "x = 1", 1))
    before = snapshot(released)

    assert main(["release", "demo", "--to", str(released)]) == 1

    assert f"{SOURCE.as_posix()} (changed)" in capsys.readouterr().err
    assert snapshot(released) == before
    assert main(["release", "demo", "--force", "--to", str(released)]) == 0
    assert "x = 1" not in source.read_text()


def test_module_release_ignores_work_elsewhere(course, released):
    (released / "my_notes.txt").write_text("ideas\n")

    assert main(["release", "demo", "--to", str(released)]) == 0

    assert (released / "my_notes.txt").read_text() == "ideas\n"
    assert release.read_manifest(released) == {
        path: digest
        for path, digest in release.file_manifest(released).items()
        if path != "my_notes.txt"
    }


def test_rerelease_over_stamp_without_list(course, released, capsys):
    (released / release.STAMP).write_text("written by tito release\n")

    assert main(["release", "--all", "--to", str(released)]) == 1

    assert "lists no files" in capsys.readouterr().err
    assert main(["release", "--all", "--force", "--to", str(released)]) == 0
