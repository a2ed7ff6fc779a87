"""nbgrader's solution markers: find the blocks, strip the markers, write stubs.

A solution block is the lines between `### BEGIN SOLUTION` and
`### END SOLUTION` in a code cell. The instructor's package keeps the body and
drops the two marker lines. The student's copy replaces the whole block with a
stub at the marker's indentation.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import NamedTuple

from tito.errors import TitoError

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

# A line in an exported cell that marks its functions and classes as given to
# the student complete, so the cell needs no solution block.
NO_SOLUTION = "# tito: no-solution"

# The letter count of a marker-length comment. `### BEGIN SOLUTION` has 13
# letters, so a comment this short that contains BEGIN or END and a word close
# to SOLUTION is a marker with a typo, not prose.
_MARKER_LETTERS = 24
# The minimum difflib ratio between a word and SOLUTION for a typo of it.
_CLOSE = 0.75
_KEYWORDS = ("BEGIN", "END")


class Block(NamedTuple):
    """One solution block: 0-based indexes of its marker lines within a cell."""

    begin: int
    end: int
    indent: str


def _marker_kind(line: str) -> str | None:
    """Return "begin" or "end" for a marker line, None for any other line."""
    stripped = line.strip()
    if stripped == BEGIN:
        return "begin"
    if stripped == END:
        return "end"
    return None


def _is_close_to_solution(letters: str) -> bool:
    return difflib.SequenceMatcher(None, letters, "SOLUTION").ratio() >= _CLOSE


def _attempted_keyword(line: str) -> str | None:
    """Return BEGIN or END when a comment line that is not a marker looks like one.

    Only the letters count, upper-cased, so separators such as `_`, `-`, `:`
    and extra `#` make no difference. A comment is a near miss when:

    - one word joins BEGIN or END to a word close to SOLUTION
      (`BEGINSOLUTION`, `SOLUTIONEND`);
    - its first two words are BEGIN or END and a word close to SOLUTION, in
      either order (`BEGIN SOLUTON`, `SOLUTION BEGIN`), whatever follows;
    - it is marker-length and, beside a word BEGIN or END, its other letters
      are close to SOLUTION (`# ## BEGIN - SOLUTION`).

    Prose such as `# End of the solution loop` or `# Begin solving` matches
    none of these rules.
    """
    stripped = line.strip()
    if not stripped.startswith("#"):
        return None
    words = re.findall(r"[A-Z]+", stripped.upper())
    for word in words:
        for keyword in _KEYWORDS:
            if word == keyword:
                continue
            if word.startswith(keyword) and _is_close_to_solution(word[len(keyword) :]):
                return keyword
            if word.endswith(keyword) and _is_close_to_solution(word[: -len(keyword)]):
                return keyword
    first_two = words[:2]
    for keyword in _KEYWORDS:
        if keyword not in first_two or len(first_two) < 2:
            continue
        other = first_two[1] if first_two[0] == keyword else first_two[0]
        if _is_close_to_solution(other):
            return keyword
    if len("".join(words)) > _MARKER_LETTERS:
        return None
    for index, word in enumerate(words):
        if word in _KEYWORDS:
            rest = "".join(words[:index] + words[index + 1 :])
            if _is_close_to_solution(rest):
                return word
    return None


def _check_spelling(line: str, path: Path, number: int) -> None:
    """Raise when a comment line is a near miss of a marker, such as SOLUTON."""
    keyword = _attempted_keyword(line)
    if keyword is None:
        return
    expected = BEGIN if keyword == "BEGIN" else END
    raise TitoError(
        f"malformed solution marker {line.strip()!r}: tito reads only the exact "
        f"line `{expected}`, so it would not hide this solution from students",
        path=path,
        line=number,
        hint=f"write the marker exactly as `{expected}`",
    )


def find_blocks(code: str, path: Path, first_line: int = 1) -> list[Block]:
    """Find the solution blocks of one code cell and check that they are well formed.

    `first_line` is the file line of the cell's first line, so that errors
    name the line in the source file. Raises TitoError for an unclosed block,
    an END without BEGIN, a nested BEGIN and a misspelled marker.
    """
    blocks = []
    open_at: int | None = None
    indent = ""
    for index, line in enumerate(code.split("\n")):
        number = first_line + index
        kind = _marker_kind(line)
        if kind is None:
            _check_spelling(line, path, number)
        elif kind == "begin":
            if open_at is not None:
                raise TitoError(
                    f"nested {BEGIN}: the block opened at line "
                    f"{first_line + open_at} is still open",
                    path=path,
                    line=number,
                    hint=f"close the first block with `{END}` before opening another",
                )
            open_at, indent = index, line[: len(line) - len(line.lstrip())]
        else:
            if open_at is None:
                raise TitoError(
                    f"{END} without a matching {BEGIN}",
                    path=path,
                    line=number,
                    hint=f"add `{BEGIN}` above the solution, or delete this line",
                )
            blocks.append(Block(open_at, index, indent))
            open_at = None
    if open_at is not None:
        raise TitoError(
            f"unclosed solution block: {BEGIN} has no {END} in the same cell",
            path=path,
            line=first_line + open_at,
            hint=f"add `{END}` after the last line of the solution",
        )
    return blocks


def strip_markers(code: str, blocks: list[Block]) -> str:
    """Return `code` without its marker and `NO_SOLUTION` lines, keeping the bodies."""
    markers = {index for block in blocks for index in (block.begin, block.end)}
    lines = code.split("\n")
    return "\n".join(
        line
        for index, line in enumerate(lines)
        if index not in markers and line.strip() != NO_SOLUTION
    )


def stub_solutions(code: str, blocks: list[Block]) -> str:
    """Return `code` with each solution block replaced by the student stub."""
    lines = code.split("\n")
    for block in reversed(blocks):
        stub = [block.indent + line for line in STUB]
        lines[block.begin : block.end + 1] = stub
    return "\n".join(lines)
