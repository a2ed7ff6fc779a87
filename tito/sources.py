"""Reading a module's percent source into notebook cells with file line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tito.textfiles import read_text

PERCENT = "py:percent"


@dataclass
class Source:
    """A percent source: its path, text, notebook and each cell's first file line."""

    path: Path
    text: str
    notebook: object  # nbformat.NotebookNode
    cell_lines: list[int | None]

    def line_of(self, cell_index: int, line_in_cell: int = 1) -> int | None:
        """Return the file line of line `line_in_cell` (1-based) of a cell."""
        start = self.cell_lines[cell_index]
        return None if start is None else start + line_in_cell - 1


def read_source(path: Path) -> Source:
    """Read a Jupytext percent source file into a notebook with jupytext."""
    import jupytext

    text = read_text(path)
    notebook = jupytext.reads(text, fmt=PERCENT)
    return Source(Path(path), text, notebook, locate_cells(text, notebook.cells))


def _file_forms(cell) -> list[str]:
    """Return the ways the first line of `cell` can appear in a percent file."""
    first = next((line for line in cell.source.split("\n") if line.strip()), None)
    if first is None:
        return []
    if cell.cell_type == "code":
        # jupytext comments out magics such as `%matplotlib inline` in .py files.
        return [first.rstrip(), f"# {first}".rstrip()]
    return [f"# {first}".rstrip(), f"#{first}".rstrip()]


def locate_cells(text: str, cells: list) -> list[int | None]:
    """Find the 1-based file line where each cell's content starts.

    jupytext does not report positions, so each cell's first non-blank line is
    searched for after the previous cell. A cell that is not found gets None.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    cursor = 0
    found: list[int | None] = []
    for cell in cells:
        forms = _file_forms(cell)
        leading_blank = next(
            (i for i, line in enumerate(cell.source.split("\n")) if line.strip()), 0
        )
        hit = next(
            (i for i in range(cursor, len(lines)) if forms and lines[i] in forms),
            None,
        )
        if hit is None:
            found.append(None)
            continue
        found.append(hit + 1 - leading_blank)
        cursor = hit + 1
    return found
