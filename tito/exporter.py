"""Export a module source into the tinytorch package.

The pipeline has four stages. jupytext reads the percent source. tito checks
it: solution markers, directives, syntax and the target module name. nbdev 3's
`NBProcessor`, `ExportModuleProc` and `ModuleMaker` select the exported cells
and render the module. Last, the result is written atomically, and only if it
changed. Every stage before the write is pure, so `render_module` also tells
`tito test` whether the package is older than the source.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tito import solutions
from tito.errors import TitoError
from tito.project import Module, Project
from tito.sources import Source, read_source
from tito.textfiles import read_text, write_atomic

EXPORT_DIRECTIVES = ("export", "exporti", "exports", "default_exp")


@dataclass(frozen=True)
class Rendered:
    """The package file a module source exports to, and its full text."""

    module: Module
    source: Path
    target: Path
    text: str


@dataclass(frozen=True)
class ExportResult:
    source: Path
    target: Path
    changed: bool


def export_module(project: Project, module: Module) -> ExportResult:
    """Write the package module for `module` and the package `__init__` files."""
    rendered = render_module(project, module)
    init_text = render_package_init(project)
    changed = write_atomic(rendered.target, rendered.text)
    write_package_init(project, init_text)
    return ExportResult(rendered.source, rendered.target, changed)


def is_stale(project: Project, module: Module) -> bool:
    """Return True when the package file differs from what the source exports."""
    rendered = render_module(project, module)
    if not rendered.target.exists():
        return True
    return read_text(rendered.target) != rendered.text


def render_module(project: Project, module: Module) -> Rendered:
    """Check the module source and render its package file, writing nothing."""
    source = read_source(module.source)
    cells = code_cells_with_directives(source)
    target_name = _default_exp(source, cells)
    target = _target_path(project, source, target_name)
    _check_exported_cells(source, cells)
    text = _make_module(project, source, cells, target_name)
    return Rendered(module, module.source, target, text)


def render_package_init(project: Project) -> str:
    """Return the text of the package's `__init__.py` from settings.ini."""
    from packaging.version import InvalidVersion, Version

    version = project.setting("course", "version")
    title = project.setting("course", "title")
    settings = project.root / "settings.ini"
    try:
        Version(version)
    except InvalidVersion:
        raise TitoError(
            f"invalid [course] version {version!r}: it must be a version number",
            path=settings,
            hint="write a version such as `version = 0.1.0`",
        ) from None
    if not title.isprintable() or '"' in title or "\\" in title:
        raise TitoError(
            f"invalid [course] title {title!r}: it must be one line without "
            "quotes or backslashes",
            path=settings,
            hint="write a plain title such as `title = TinyTorch`",
        )
    # A normalised version holds only digits, letters, dots and plus signs.
    return (
        f'"""{title}: a small deep-learning framework you build one module at a '
        f'time."""\n\n__version__ = "{Version(version)}"\n'
    )


def write_package_init(project: Project, text: str | None = None) -> None:
    """Write `__init__.py` for the package and each subpackage that has modules."""
    write_atomic(project.lib_path / "__init__.py", text or render_package_init(project))
    for folder in sorted({path.parent for path in project.lib_path.rglob("*.py")}):
        if folder != project.lib_path and not (folder / "__init__.py").exists():
            write_atomic(folder / "__init__.py", "")


# Stage 1: directives --------------------------------------------------------


def _directives_of_line(line: str) -> dict:
    """Return the nbdev directives on one line (empty when it is not a directive)."""
    from fastcore.nbio import mk_cell

    return mk_cell(line).directives


def code_cells_with_directives(source: Source) -> list[tuple[int, dict, str]]:
    """Return (cell index, directives, normalised source) for each code cell.

    nbdev reads directives only from the top of a cell. A directive below a
    leading comment is moved to the top; one that follows code is an error,
    because nbdev would silently ignore it.
    """
    found = []
    for index, cell in enumerate(source.notebook.cells):
        if cell.cell_type != "code":
            continue
        directive_lines, other_lines, seen_code = [], [], False
        directives: dict = {}
        for offset, line in enumerate(cell.source.split("\n"), start=1):
            parsed = _directives_of_line(line)
            if not parsed:
                _check_not_directive_like(line, source, index, offset)
                other_lines.append(line)
                stripped = line.strip()
                seen_code = seen_code or bool(stripped and not stripped.startswith("#"))
                continue
            name = next(iter(parsed))
            if seen_code:
                raise TitoError(
                    f"directive `{line.strip()}` comes after code in its cell, "
                    "so nbdev would ignore it",
                    path=source.path,
                    line=source.line_of(index, offset),
                    hint="move the directive to the first line of the cell",
                )
            _check_directive_name(name, source, index, offset)
            directives.update(parsed)
            directive_lines.append(line)
        found.append((index, directives, "\n".join(directive_lines + other_lines)))
    return found


def _check_not_directive_like(line: str, source: Source, index: int, offset: int):
    """Reject a comment that would be a directive with one `#`, such as `##| export`."""
    stripped = line.strip()
    if not stripped.startswith("##"):
        return
    candidate = "#" + stripped.lstrip("#")
    if _directives_of_line(candidate):
        raise TitoError(
            f"malformed directive `{stripped}`: nbdev reads only `#|` lines, so "
            "it would ignore this one",
            path=source.path,
            line=source.line_of(index, offset),
            hint=f"write `{candidate}`",
        )


def _check_directive_name(name: str, source: Source, index: int, offset: int) -> None:
    """Reject a near miss of an export directive, such as `#| exprot` or `#| EXPORT`."""
    if name in EXPORT_DIRECTIVES:
        return
    close = difflib.get_close_matches(name.lower(), EXPORT_DIRECTIVES, n=1, cutoff=0.75)
    if close:
        raise TitoError(
            f"unknown directive `#| {name}` (did you mean `#| {close[0]}`?)",
            path=source.path,
            line=source.line_of(index, offset),
            hint=f"write `#| {close[0]}`",
        )


def _default_exp(source: Source, cells: list[tuple[int, dict, str]]) -> str:
    """Return the one `#| default_exp` name, or raise naming what is wrong."""
    found = [
        (index, directives["default_exp"].strip())
        for index, directives, _ in cells
        if "default_exp" in directives
    ]
    if not found:
        raise TitoError(
            "no `#| default_exp` directive, so tito does not know which package "
            "module to write",
            path=source.path,
            hint="add `#| default_exp core.<name>` to the first code cell",
        )
    if len(found) > 1:
        lines = ", ".join(str(source.line_of(index)) for index, _ in found)
        raise TitoError(
            f"{len(found)} `#| default_exp` directives (cells starting at lines "
            f"{lines}); a source exports to exactly one module",
            path=source.path,
            line=source.line_of(found[1][0]),
            hint="keep one `#| default_exp` and delete the others",
        )
    return found[0][1]


def _target_path(project: Project, source: Source, name: str) -> Path:
    """Turn a dotted `default_exp` name into a path inside the package.

    The name must be dotted identifiers without dunders, and the file must not
    shadow a subpackage, be a symbolic link, or belong to another source.
    """
    parts = name.split(".")
    valid = all(
        part.isidentifier()
        and not keyword.iskeyword(part)
        and not (part.startswith("__") and part.endswith("__"))
        for part in parts
    )
    if not valid:
        raise _invalid_target(project, source, name, "dotted Python identifiers")
    if parts[0] == project.lib_name:
        raise _invalid_target(
            project, source, name, f"relative to the {project.lib_name} package"
        )

    target = (project.lib_path / Path(*parts)).with_suffix(".py")
    if target.with_suffix("").is_dir():
        raise _invalid_target(project, source, name, "a module, not a subpackage")
    _check_no_module_in_path(project, source, name, parts)
    if target.is_symlink():
        raise TitoError(
            f"{project.relative(target)} is a symbolic link, so tito will not "
            "write through it",
            path=source.path,
            hint=f"delete the link ({target}) and export again",
        )
    owner = _exported_from(target)
    if target.is_file() and owner is None:
        raise TitoError(
            f"`#| default_exp {name}` names {project.relative(target)}, a file "
            "tito did not generate (it has no `AUTOGENERATED! DO NOT EDIT!` "
            "header), so exporting would overwrite it",
            path=source.path,
            hint="give this module a name of its own, such as core.<name>, or "
            f"move {project.relative(target)} out of the way if it is an old copy",
        )
    if owner is not None and owner != project.relative(source.path):
        raise TitoError(
            f"`#| default_exp {name}` names {project.relative(target)}, which "
            f"{owner} exports to",
            path=source.path,
            hint="give this module a name of its own, such as core.<name>",
        )
    return target


def _check_no_module_in_path(
    project: Project, source: Source, name: str, parts: list[str]
) -> None:
    """Reject a name whose parent package is a module file, such as core.tensor.sub.

    Exporting core.tensor.sub would create the folder core/tensor/, and Python
    imports that package instead of core/tensor.py, so
    `from tinytorch.core.tensor import Tensor` would break.
    """
    for length in range(1, len(parts)):
        module_file = (project.lib_path / Path(*parts[:length])).with_suffix(".py")
        if module_file.is_file():
            package = ".".join(parts[:length])
            raise TitoError(
                f"invalid `#| default_exp {name}`: {package} is the module "
                f"{project.relative(module_file)}, so a package of that name "
                "would hide it from imports",
                path=source.path,
                hint=f"export to a name beside it, such as {package}_{parts[-1]}",
            )


def _invalid_target(project: Project, source: Source, name: str, rule: str):
    return TitoError(
        f"invalid `#| default_exp {name}`: the name must be {rule}, such as "
        "core.activations",
        path=source.path,
        hint="use a module path like `core.<name>`, without slashes, dunders or "
        "dots at either end",
    )


def _exported_from(target: Path) -> str | None:
    """Return the source an existing package file names in its header, if any."""
    if not target.is_file():
        return None
    with target.open(encoding="utf-8", errors="replace") as stream:
        head = stream.read(2000)
    match = re.search(
        r"AUTOGENERATED! DO NOT EDIT! File to edit: (?:\.\./)*(\S+?)\.?$",
        head,
        re.MULTILINE,
    )
    return match.group(1) if match else None


# Stage 2: checks on exported code ---------------------------------------------


def _check_exported_cells(source: Source, cells: list[tuple[int, dict, str]]) -> None:
    """Check solution markers everywhere, and magics and syntax in exported cells."""
    for index, directives, _ in cells:
        first_line = source.line_of(index) or 1
        solutions.find_blocks(
            source.notebook.cells[index].source, source.path, first_line
        )
        if not ({"export", "exporti", "exports"} & set(directives)):
            continue
        _check_syntax(source, index)


def _check_syntax(source: Source, index: int) -> None:
    """Raise a TitoError at the source line of a syntax error in an exported cell.

    A cell that parses is plain Python, even when a continuation line starts
    with `%` or `!`. A cell that does not parse is reported as a Jupyter magic
    when a line that starts with `%` or `!` comes first, and as a syntax error
    otherwise.
    """
    code = source.notebook.cells[index].source
    try:
        ast.parse(code)
    except SyntaxError as exc:
        error_line = exc.lineno or 1
        for offset, line in enumerate(code.split("\n")[:error_line], start=1):
            if line.lstrip().startswith(("%", "!")):
                raise TitoError(
                    f"Jupyter magic `{line.strip()}` in exported cell {index + 1}: "
                    "the package must import without IPython",
                    path=source.path,
                    line=source.line_of(index, offset),
                    hint="move the magic into a cell without `#| export`",
                ) from None
        raise TitoError(
            f"syntax error in exported cell {index + 1}: {exc.msg}",
            path=source.path,
            line=source.line_of(index, error_line),
            hint="fix the line shown; the package file was left unchanged",
        ) from None


# Stage 3: nbdev renders the module -------------------------------------------


def _make_module(
    project: Project, source: Source, cells: list[tuple[int, dict, str]], name: str
) -> str:
    """Render the package module with nbdev's processor and module maker.

    nbdev writes files, so it writes into a temporary copy of the package
    layout and the text is read back. The real package is written later, in
    one atomic step.
    """
    from fastcore.nbio import dict2nb
    from nbdev.export import ExportModuleProc
    from nbdev.maker import ModuleMaker
    from nbdev.process import NBProcessor

    notebook = _notebook_for_nbdev(source, cells)
    exporter = ExportModuleProc()
    NBProcessor(nb=dict2nb(notebook), procs=[exporter]).process()
    other_targets = sorted(key for key in exporter.modules if key != "#")
    if other_targets:
        raise TitoError(
            f"`#| export {other_targets[0]}` names a module of its own; every "
            f"exported cell of a source goes to its `#| default_exp` ({name})",
            path=source.path,
            hint="write `#| export` without a module name",
        )

    relative_source = project.relative(source.path)
    with tempfile.TemporaryDirectory(prefix="tito-export-") as scratch:
        lib = Path(scratch) / project.lib_name
        maker = ModuleMaker(
            dest=lib, name=name, nb_path=Path(scratch) / relative_source
        )
        maker.make(exporter.modules["#"], exporter.in_all["#"], lib_path=lib)
        return read_text(maker.fname)


def _notebook_for_nbdev(source: Source, cells: list[tuple[int, dict, str]]) -> dict:
    """Return the notebook as a plain dict, ready for nbdev.

    Cells get stable ids (their 1-based number), so the origin comments in the
    package file do not change between runs. Exported cells lose their
    solution markers and get their directives moved to the top.
    """
    code_by_index = {index: code for index, _, code in cells}
    exported = {
        index
        for index, directives, _ in cells
        if {"export", "exporti", "exports"} & set(directives)
    }
    notebook_cells = []
    for index, cell in enumerate(source.notebook.cells):
        text = code_by_index.get(index, cell.source)
        if index in exported:
            blocks = solutions.find_blocks(text, source.path)
            text = solutions.strip_markers(text, blocks)
        notebook_cells.append(
            {
                "cell_type": cell.cell_type,
                "id": f"cell-{index + 1}",
                "metadata": {},
                "source": text,
                **(
                    {"outputs": [], "execution_count": None}
                    if cell.cell_type == "code"
                    else {}
                ),
            }
        )
    return {
        "cells": notebook_cells,
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
