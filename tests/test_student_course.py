"""End to end: release the course, fail on the stubs, pass with the solutions.

The test releases the whole course into a temporary folder and searches it
for solution lines. It pastes back the solutions of the modules before
activations, as a student who finished them would have them, and runs
`tito test --module activations` there. Then it pastes back the activation
solutions and runs the command again.

A student release has no reference solutions, so there the test is skipped:
the release writes a `.tito-release` stamp file at its root.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tito import solutions
from tito.project import Project, repository
from tito.release import (
    INSTRUCTOR_END,
    INSTRUCTOR_START,
    STAMP,
    release_course,
    release_repository,
)

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        (ROOT / STAMP).exists(),
        reason="instructor-only test: a student release has no reference "
        "solutions to release",
    ),
]

ACTIVATIONS = ("ReLU", "Sigmoid", "Tanh", "Softmax")
STUB = list(solutions.STUB)


def solution_bodies(path: Path) -> list[list[str]]:
    """Return the lines of each solution block of a source, in file order."""
    bodies, current = [], None
    for line in path.read_text(encoding="utf-8").split("\n"):
        marker = line.strip()
        if marker == solutions.BEGIN:
            current = []
        elif marker == solutions.END:
            bodies.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return bodies


def paste_solutions(path: Path, bodies: list[list[str]]) -> None:
    """Replace each stub of a student source, in order, with a solution body."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out, index, used = [], 0, 0
    while index < len(lines):
        pair = [line.strip() for line in lines[index : index + 2]]
        if pair == STUB:
            out.extend(bodies[used])
            used += 1
            index += 2
        else:
            out.append(lines[index])
            index += 1
    assert used == len(bodies), f"{path}: {used} stubs for {len(bodies)} solutions"
    path.write_text("\n".join(out), encoding="utf-8")


def public_lines(project: Project) -> set[str]:
    """Return the stripped lines of the module sources outside solution blocks."""
    found = set()
    for module in project.modules:
        inside = False
        for line in module.source.read_text(encoding="utf-8").split("\n"):
            marker = line.strip()
            if marker in (solutions.BEGIN, solutions.END):
                inside = marker == solutions.BEGIN
            elif not inside:
                found.add(marker)
    return found


def copied_verbatim(relative: Path, student_root: Path, root: Path) -> bool:
    """Return True for a file the release copied unchanged from the repository."""
    original = root / relative
    if relative.suffix == ".ipynb" or relative.parts[0] in ("tinytorch", "modules"):
        return False
    return (
        original.is_file()
        and original.read_bytes() == (student_root / relative).read_bytes()
    )


def file_lines(path: Path) -> list[str]:
    """Return the lines of a text file, or of every cell source of a notebook."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return text.splitlines()
    cells = json.loads(text)["cells"]
    return [line for cell in cells for line in "".join(cell["source"]).splitlines()]


def run_tito(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "TINYTORCH_ROOT"}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tito", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def instructor() -> Project:
    project = Project(ROOT)
    if not any(solution_bodies(module.source) for module in project.modules):
        pytest.skip("the module sources hold no solutions: this is a student course")
    return project


def test_stubs_fail_then_solutions_pass(instructor, tmp_path):
    student_root = tmp_path / "student"
    release_course(instructor, student_root)
    student = Project(student_root)

    # No solution line anywhere, except lines that are public in the sources
    # and files the release copied unchanged from the repository.
    solution_lines = {
        line.strip()
        for module in instructor.modules
        for body in solution_bodies(module.source)
        for line in body
        if line.strip()
    } - public_lines(instructor)
    assert solution_lines
    for path in sorted(p for p in student_root.rglob("*") if p.is_file()):
        relative = path.relative_to(student_root)
        if relative.parts[0] == ".git" or copied_verbatim(
            relative, student_root, instructor.root
        ):
            continue
        found = {line.strip() for line in file_lines(path)}
        assert not found & solution_lines, f"{relative} contains a solution line"
    for module in student.modules:
        assert solution_bodies(module.source) == []

    # Markdown keeps no instructor-only block, nor its marker lines.
    for path in sorted(student_root.rglob("*.md")):
        markers = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() in (INSTRUCTOR_START, INSTRUCTOR_END)
        ]
        assert markers == [], f"{path.relative_to(student_root)} keeps {markers}"

    # The student course has no solutions, so it cannot be released again.
    again = run_tito("release", "--all", cwd=student_root)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "this is a student release" in again.stderr

    # Links and Colab cells point at the student repository, and are current.
    assert repository(student) == release_repository(instructor)[0]
    checked = run_tito("notebooks", "--all", "--check", cwd=student_root)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # A student who finished the modules before activations: their solutions
    # pasted back and exported, so the activations use a working Tensor.
    activations = instructor.module("activations")
    for module in instructor.modules:
        if module.number < activations.number:
            paste_solutions(
                student.module(module.name).source, solution_bodies(module.source)
            )
    exported = run_tito("export", "--all", cwd=student_root)
    assert exported.returncode == 0, exported.stdout + exported.stderr

    # Untouched activation stubs: the test fails and names each activation on
    # a short line of its own.
    failed = run_tito("test", "--module", "activations", cwd=student_root)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    for name in ACTIVATIONS:
        pattern = rf"^.*\b{name}\b.*not implemented yet.*$"
        lines = re.findall(pattern, output, flags=re.MULTILINE)
        assert lines, f"no line reports {name} as not implemented:\n{output}"
        assert all(len(line) <= 120 for line in lines), lines

    # The activation solutions pasted back, in order: the same command passes.
    paste_solutions(
        student.module("activations").source, solution_bodies(activations.source)
    )
    passed = run_tito("test", "--module", "activations", cwd=student_root)
    assert passed.returncode == 0, passed.stdout + passed.stderr
