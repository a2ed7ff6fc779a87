"""Tests of the solution markers: finding blocks, their errors, and the stubs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tito import solutions
from tito.errors import TitoError

PATH = Path("demo_dev.py")

FUNCTION = """\
def double(x):
    \"\"\"Return x times two.\"\"\"
    ### BEGIN SOLUTION
    y = x * 2
    return y
    ### END SOLUTION"""

METHOD_IN_CLASS = """\
class Scale:
    def forward(self, x):
        if x is None:
            ### BEGIN SOLUTION
            return 0
            ### END SOLUTION
        ### BEGIN SOLUTION
        return x * self.factor
        ### END SOLUTION"""


def test_find_blocks_reports_marker_lines_and_indent():
    blocks = solutions.find_blocks(METHOD_IN_CLASS, PATH)

    assert blocks == [
        solutions.Block(3, 5, " " * 12),
        solutions.Block(6, 8, " " * 8),
    ]


def test_find_blocks_accepts_cell_without_markers():
    assert solutions.find_blocks("x = 1\n# BEGIN here\n", PATH) == []


@pytest.mark.parametrize(
    ("code", "line", "message"),
    [
        ("def f():\n    ### BEGIN SOLUTION\n    return 1", 11, "unclosed"),
        ("def f():\n    return 1\n    ### END SOLUTION", 12, "without a matching"),
        (
            "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n",
            12,
            "nested",
        ),
        ("def f():\n    ### BEGIN SOLUTON\n    return 1", 11, "malformed"),
        ("def f():\n    ## end  solution\n", 11, "malformed"),
        ("def f():\n    ### BEGIN SOLUTION:\n    return 1", 11, "malformed"),
        ("def f():\n    ### BEGIN SOLUTION # the answer\n", 11, "malformed"),
    ],
    ids=[
        "unclosed",
        "end-without-begin",
        "nested",
        "misspelled",
        "lower-case",
        "trailing-colon",
        "trailing-comment",
    ],
)
def test_find_blocks_rejects_bad_markers(code, line, message):
    with pytest.raises(TitoError, match=message) as caught:
        solutions.find_blocks(code, PATH, first_line=10)

    assert caught.value.path == PATH
    assert caught.value.line == line
    assert caught.value.hint


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("### BEGIN_SOLUTION", solutions.BEGIN),
        ("### END_SOLUTION", solutions.END),
        ("### BEGIN-SOLUTION", solutions.BEGIN),
        ("### BEGINSOLUTION", solutions.BEGIN),
        ("### SOLUTIONEND", solutions.END),
        ("# ## BEGIN SOLUTION", solutions.BEGIN),
        ("### SOLUTION BEGIN", solutions.BEGIN),
        ("### SOLUTION_END", solutions.END),
        ("### Begin Solution", solutions.BEGIN),
        ("### END SOLUTIONS", solutions.END),
        ("#BEGIN SOLUTION", solutions.BEGIN),
        ("### BEGIN - SOLUTION ###", solutions.BEGIN),
        ("### BEGIN SOLUTION # the answer to the exercise below", solutions.BEGIN),
    ],
)
def test_find_blocks_rejects_near_miss_markers(line, expected):
    code = f"def f():\n    {line}\n    return 1"

    with pytest.raises(TitoError, match="malformed solution marker") as caught:
        solutions.find_blocks(code, PATH, first_line=10)

    assert caught.value.path == PATH
    assert caught.value.line == 11
    assert f"`{expected}`" in caught.value.hint


@pytest.mark.parametrize(
    "line",
    [
        "# End of the solution loop",
        "# Begin solving",
        "# Beginning of the solution",
        "# Ends the solution early",
        "# Begin the solution with a check on the shape",
        "# Append the solution",
        "# Depend on solution",
        "# Send solution",
        "# Endorse solution",
        "# The end",
        "# solution",
    ],
)
def test_find_blocks_accepts_ordinary_comments(line):
    code = f"def f():\n    {line}\n    return 1"

    assert solutions.find_blocks(code, PATH) == []


def test_course_sources_have_no_near_miss_markers(repo_root):
    sources = sorted((repo_root / "modules" / "source").glob("*/*_dev.py"))

    assert sources
    for path in sources:
        # The whole file counts, markdown cells included, as one cell would.
        solutions.find_blocks(path.read_text(encoding="utf-8"), path)


@pytest.mark.slow
def test_release_of_course_copy_succeeds(course_copy, tmp_path):
    from tito.cli import main

    destination = tmp_path / "student"

    assert main(["release", "--all", "--to", str(destination)]) == 0
    assert list(destination.glob("modules/source/*/*_dev.py"))


def test_stub_replaces_block_at_its_indentation():
    blocks = solutions.find_blocks(FUNCTION, PATH)

    stubbed = solutions.stub_solutions(FUNCTION, blocks)

    assert stubbed.split("\n") == [
        "def double(x):",
        '    """Return x times two."""',
        "    # YOUR CODE HERE",
        "    raise NotImplementedError()",
    ]


def test_stub_keeps_nested_indentation_and_parses():
    blocks = solutions.find_blocks(METHOD_IN_CLASS, PATH)

    stubbed = solutions.stub_solutions(METHOD_IN_CLASS, blocks)

    lines = stubbed.split("\n")
    assert lines[3:5] == [
        "            # YOUR CODE HERE",
        "            raise NotImplementedError()",
    ]
    assert lines[5:] == [
        "        # YOUR CODE HERE",
        "        raise NotImplementedError()",
    ]
    ast.parse(stubbed)


def test_strip_markers_keeps_bodies():
    blocks = solutions.find_blocks(FUNCTION, PATH)

    stripped = solutions.strip_markers(FUNCTION, blocks)

    assert "BEGIN SOLUTION" not in stripped
    assert "END SOLUTION" not in stripped
    assert "    y = x * 2\n    return y" in stripped
