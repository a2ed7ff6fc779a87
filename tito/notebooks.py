"""Keep each module's percent source and its paired notebook in step.

The `<name>_dev.py` source is what the course edits and reviews. jupytext
generates the `<name>_dev.ipynb` beside it, without outputs and with cell ids
numbered by position, so the same source always gives the same bytes.
Students edit either file: Jupyter with jupytext saves both, while Colab, a
plain Jupyter or a text editor changes only one. `sync_module` copies the
edited file over the other one, and stops when it cannot tell which file
contains the edits, so an edit made in either file is kept.

The Colab setup cell in every source (the code cell tagged `colab-setup`)
comes from settings.ini `[repository]`. `update_module` and `check_module`
also write and check each README's header, which `tito.readme` renders.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tito.errors import TitoError
from tito.project import Module, Project, repository
from tito.readme import HEADER_START, render_readme
from tito.sources import PERCENT
from tito.textfiles import read_text, write_atomic

JUPYTEXT_CONFIG = "jupytext.toml"
COLAB_TAG = "colab-setup"

_KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}

# pip runs through `sys.executable`, so it installs into the kernel's own
# environment. An indented `%pip` magic would do the same, but jupytext writes
# it to the .py as an indented `# %pip` comment, and such a line makes jupytext
# in Jupyter read the whole file as "hydrogen" instead of "percent" format.
# `--no-deps` keeps Colab's own numpy and matplotlib, which the course needs,
# and skips packages a Colab notebook does not use, such as JupyterLab.
_COLAB_CELL = """\
# Google Colab starts without TinyTorch, so this cell installs the course
# package there with pip. Anywhere else (your machine, Binder) it does nothing.
import subprocess
import sys

TINYTORCH_URL = "{url}"
if "google.colab" in sys.modules:
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*pip, TINYTORCH_URL], check=True)
    print("TinyTorch is installed for this Colab session.")"""


@dataclass(frozen=True)
class SyncResult:
    """The outcome of `sync_module`: the file it wrote (or None) and why."""

    module: Module
    written: Path | None
    reason: str


# Conversions between the two files --------------------------------------------


def jupytext_config(project: Project):
    """Load the repository's jupytext.toml, which Jupyter's jupytext also reads.

    tito reads and writes notebooks with the same settings as Jupyter, so a
    source saved from Jupyter and one written by tito are the same bytes.
    """
    from jupytext.config import (
        JupytextConfigurationError,
        load_jupytext_configuration_file,
    )

    path = project.root / JUPYTEXT_CONFIG
    if not path.is_file():
        raise TitoError(
            "jupytext settings not found",
            path=path,
            hint=f"restore {JUPYTEXT_CONFIG} from git: git checkout -- "
            f"{JUPYTEXT_CONFIG}",
        )
    try:
        return load_jupytext_configuration_file(str(path))
    except (JupytextConfigurationError, ValueError) as exc:
        raise TitoError(f"invalid jupytext settings: {exc}", path=path) from exc


def read_notebook(project: Project, path: Path):
    """Read an .ipynb file, raising a TitoError when it is not a valid notebook."""
    import nbformat

    try:
        notebook = nbformat.reads(read_text(path), as_version=4)
        nbformat.validate(notebook)
        return notebook
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        nbformat.reader.NotJSONError,
        nbformat.ValidationError,
    ) as exc:
        raise TitoError(
            f"not a valid notebook: {exc}",
            path=path,
            hint="restore it from git, or delete it and run `tito notebooks` to "
            "generate it from the .py source",
        ) from None


def render_notebook(project: Project, source_text: str, previous=None) -> str:
    """Return the .ipynb text for a percent source: no outputs, stable ids.

    jupytext gives each cell a random id; here ids are `cell-1`, `cell-2`, ...
    by position, so regenerating an unchanged source changes no byte. The .py
    cannot hold nbgrader's cell metadata, so when `previous` (the notebook
    being replaced) has some, it is carried over to the matching cells.
    """
    import jupytext

    notebook = jupytext.reads(source_text, fmt=PERCENT, config=jupytext_config(project))
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    if previous is not None:
        _carry_nbgrader_metadata(previous.cells, notebook.cells)
    notebook.metadata["kernelspec"] = dict(_KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook_text(notebook)


def notebook_text(notebook) -> str:
    """Return the .ipynb text of `notebook`, in the form tito commits.

    Jupyter ends the files it saves with a newline. tito does the same, so a
    save in Jupyter leaves the file byte for byte as tito wrote it.
    """
    import jupytext

    return jupytext.writes(notebook, fmt="ipynb").rstrip("\n") + "\n"


def _carry_nbgrader_metadata(old_cells: list, new_cells: list) -> None:
    """Copy each old cell's `nbgrader` metadata to the new cell that matches it.

    Cells are aligned by their text, so metadata follows a cell when cells are
    added or removed around it. An edited cell keeps its metadata when the
    cells around it still line up one to one.
    """
    matcher = difflib.SequenceMatcher(
        None,
        [cell.source for cell in old_cells],
        [cell.source for cell in new_cells],
        autojunk=False,
    )
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal" or (
            tag == "replace" and old_end - old_start == new_end - new_start
        ):
            pairs = zip(
                old_cells[old_start:old_end], new_cells[new_start:new_end], strict=True
            )
            for old, new in pairs:
                if old.cell_type == new.cell_type and "nbgrader" in old.metadata:
                    new.metadata["nbgrader"] = old.metadata["nbgrader"]


def source_from_notebook(project: Project, notebook) -> str:
    """Return the percent source that jupytext writes for `notebook`."""
    import jupytext

    return jupytext.writes(notebook, fmt=PERCENT, config=jupytext_config(project))


def check_round_trip(project: Project, notebook, text: str, path: Path) -> None:
    """Raise a TitoError when the percent `text` would not give back `notebook`.

    Some cell text cannot be written in percent format: a markdown line that
    starts with `%%`, or a code line such as `# %% [markdown]`, becomes a cell
    header in the .py and splits the cell. The .py is read back to catch that,
    so tito names the cell instead of writing a .py that loses text.
    """
    import jupytext

    back = jupytext.reads(text, fmt=PERCENT, config=jupytext_config(project))
    pairs = itertools.zip_longest(notebook.cells, back.cells)
    for number, (old, new) in enumerate(pairs, start=1):
        if old is not None and new is not None and _same_cell(old, new):
            continue
        cell = old if old is not None else new
        lines = cell.source.split("\n")
        culprit = next(
            (line for line in lines if line.lstrip().startswith(("%%", "# %%"))),
            lines[0],
        )
        raise TitoError(
            f"cell {number} of the notebook cannot be stored in the .py file: its "
            f"line `{culprit.strip()}` would start a new cell there",
            path=path,
            hint="change that line (for example, put a word before `%%`), save "
            "the notebook, and run the command again",
        )


def _same_cell(old, new) -> bool:
    """Return True when two cells have the same type and text, ignoring end spaces."""
    return (old.cell_type, old.source.rstrip()) == (new.cell_type, new.source.rstrip())


def normalise_source(project: Project, source_text: str) -> str:
    """Return the source as jupytext writes it back, with the Colab cell current.

    For a source that jupytext round-trips and whose Colab cell is current this
    is the source itself, byte for byte.
    """
    import jupytext

    config = jupytext_config(project)
    notebook = jupytext.reads(source_text, fmt=PERCENT, config=config)
    _put_colab_cell(notebook, colab_cell_source(project))
    return jupytext.writes(notebook, fmt=PERCENT, config=config)


def guessed_format(source_text: str) -> str:
    """Return the format jupytext guesses for a .py file, as Jupyter opens it.

    Jupyter's jupytext guesses the format of a .py file without a header from
    its content; tito reads sources as "percent" explicitly.
    """
    from jupytext.formats import guess_format

    return guess_format(source_text, ".py")[0]


# The Colab setup cell ------------------------------------------------------------


def colab_install_url(project: Project) -> str:
    """Return the pip URL of the course package on GitHub, from settings.ini."""
    user, name, branch = repository(project)
    return f"git+https://github.com/{user}/{name}@{branch}"


def colab_cell_source(project: Project) -> str:
    """Return the code of the Colab setup cell for this repository."""
    return _COLAB_CELL.format(url=colab_install_url(project))


def _put_colab_cell(notebook, code: str) -> None:
    """Set the code of the cell tagged `colab-setup`, adding the cell if missing.

    A new cell goes right after the first markdown cell (the module title), so
    it is the first code cell a student runs.
    """
    from nbformat.v4 import new_code_cell

    tagged = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "code" and COLAB_TAG in cell.metadata.get("tags", [])
    ]
    for cell in tagged:
        cell.source = code
    if tagged:
        return
    position = 1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0
    cell = new_code_cell(code, metadata={"tags": [COLAB_TAG]})
    cell.pop("id", None)
    notebook.cells.insert(position, cell)


# Syncing the pair ------------------------------------------------------------------


def sync_module(
    project: Project, module: Module, prefer: str | None = None
) -> SyncResult:
    """Bring the source and notebook of `module` in step, never losing edits.

    The two files are compared by their cells, as jupytext writes them, so a
    .py formatted differently from jupytext's output is still in step. When
    the cells differ, the file that changed since the pair was last in step
    wins. tito remembers that state in the user's cache. Without a record it
    takes the .py committed in git, and outside git the newer file wins, as
    with `jupytext --sync`. When both files changed, it raises a TitoError
    whose hint names the options that pick one. `prefer` ("py" or "ipynb")
    picks the winner. A notebook whose cells match is left alone, outputs
    included.
    """
    if not module.source.exists():
        return _source_from_notebook_only(project, module)
    source_text = read_text(module.source)
    if not module.notebook.exists():
        write_atomic(module.notebook, render_notebook(project, source_text))
        _remember_in_step(project, module, _canonical(project, source_text))
        return SyncResult(module, module.notebook, "notebook created from the source")

    notebook = read_notebook(project, module.notebook)
    from_notebook = source_from_notebook(project, notebook)
    from_source = _canonical(project, source_text)
    if from_notebook == from_source:
        _remember_in_step(project, module, from_source)
        return SyncResult(module, None, "in step")

    winner = prefer or _changed_side(project, module, from_source, from_notebook)
    if winner == "ipynb" and not any(cell.source.strip() for cell in notebook.cells):
        raise TitoError(
            f"{project.relative(module.notebook)} has no cells, so tito did not "
            f"replace {project.relative(module.source)} with it",
            path=module.notebook,
            hint=f"keep the .py with `tito notebooks {module.name} --from py`",
        )
    if winner == "ipynb":
        check_round_trip(project, notebook, from_notebook, module.notebook)
        write_atomic(module.source, from_notebook)
        _remember_in_step(project, module, from_notebook)
        return SyncResult(module, module.source, "source updated from the notebook")
    write_atomic(module.notebook, render_notebook(project, source_text, notebook))
    _remember_in_step(project, module, from_source)
    return SyncResult(module, module.notebook, "notebook regenerated from the source")


def _source_from_notebook_only(project: Project, module: Module) -> SyncResult:
    """Write a missing .py from its notebook, so a deleted source is not lost."""
    notebook = read_notebook(project, module.notebook)
    text = source_from_notebook(project, notebook)
    check_round_trip(project, notebook, text, module.notebook)
    write_atomic(module.source, text)
    _remember_in_step(project, module, text)
    return SyncResult(module, module.source, "source created from the notebook")


def _canonical(project: Project, source_text: str) -> str:
    """Return the source as jupytext writes its cells back."""
    import jupytext

    notebook = jupytext.reads(source_text, fmt=PERCENT, config=jupytext_config(project))
    return source_from_notebook(project, notebook)


def _changed_side(
    project: Project, module: Module, from_source: str, from_notebook: str
) -> str:
    """Return "py" or "ipynb": the file that contains edits the other one lacks."""
    baseline = _last_in_step(project, module) or _committed_source(project, module)
    if baseline is None:
        return _newer_side(project, module)
    if baseline == _digest(from_source):
        return "ipynb"
    if baseline == _digest(from_notebook):
        return "py"
    source = project.relative(module.source)
    notebook = project.relative(module.notebook)
    raise TitoError(
        f"both {source} and {notebook} changed since they were last in step, so "
        "tito would lose the edits of one of them",
        path=module.source,
        hint=f"keep the .py with `tito notebooks {module.name} --from py`, or keep "
        f"the notebook with `tito notebooks {module.name} --from ipynb` (copy the "
        "edits you want from the other file first)",
    )


def _committed_source(project: Project, module: Module) -> str | None:
    """Return the digest of the .py as committed in git, or None outside git."""
    relative = project.relative(module.source)
    try:
        result = subprocess.run(
            ["git", "show", f"HEAD:{relative}"],
            cwd=project.root,
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        text = result.stdout.decode("utf-8-sig").replace("\r\n", "\n")
        return _digest(_canonical(project, text))
    except UnicodeDecodeError:
        return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sync_record_path(project: Project) -> Path:
    """Return the cache file that records each module's last in-step source.

    It lives in the user's cache folder, keyed by the repository path, so it is
    never committed or released.
    """
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    key = hashlib.sha256(str(project.root).encode("utf-8")).hexdigest()[:16]
    return Path(cache) / "tinytorch" / "sync" / f"{key}.json"


def _read_sync_record(project: Project) -> dict:
    """Read the sync record; a missing or damaged record counts as empty."""
    try:
        record = json.loads(_sync_record_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict):
        return {}
    return {key: value for key, value in record.items() if isinstance(value, str)}


def _last_in_step(project: Project, module: Module) -> str | None:
    return _read_sync_record(project).get(project.relative(module.source))


def _remember_in_step(project: Project, module: Module, canonical: str) -> None:
    """Record the canonical source text of a pair that is in step (best effort)."""
    record = _read_sync_record(project)
    key = project.relative(module.source)
    if record.get(key) == _digest(canonical):
        return
    record[key] = _digest(canonical)
    try:
        write_atomic(_sync_record_path(project), json.dumps(record, indent=1))
    except (OSError, TitoError):
        # Without the record tito falls back to git and modification times.
        pass


def _newer_side(project: Project, module: Module) -> str:
    """Return "py" or "ipynb", whichever file was modified last."""
    source_time = os.stat(module.source).st_mtime_ns
    notebook_time = os.stat(module.notebook).st_mtime_ns
    if source_time == notebook_time:
        source = project.relative(module.source)
        notebook = project.relative(module.notebook)
        raise TitoError(
            f"{source} and {notebook} contain different cells and have the same "
            "modification time, so tito cannot tell which one has your latest "
            "edits",
            path=module.source,
            hint=f"keep the .py with `tito notebooks {module.name} --from py`, or "
            f"keep the notebook with `tito notebooks {module.name} --from ipynb`",
        )
    return "ipynb" if notebook_time > source_time else "py"


def update_module(project: Project, module: Module, prefer: str | None = None) -> list:
    """Sync the pair, then rewrite the Colab cell, the notebook and the README header.

    Returns the paths written. Unlike `sync_module`, this always writes the
    notebook in its committed form, so outputs saved in it are dropped.
    """
    written = []
    synced = sync_module(project, module, prefer)
    if synced.written is not None:
        written.append(synced.written)

    source_text = normalise_source(project, read_text(module.source))
    if write_atomic(module.source, source_text):
        written.append(module.source)
    previous = read_notebook(project, module.notebook)
    if write_atomic(module.notebook, render_notebook(project, source_text, previous)):
        written.append(module.notebook)
    _remember_in_step(project, module, source_text)

    readme = module.readme
    if readme.exists():
        text = render_readme(project, module, read_text(readme))
        if text is not None and write_atomic(readme, text):
            written.append(readme)
    return list(dict.fromkeys(written))


@dataclass(frozen=True)
class Problem:
    """A file that `tito notebooks` would change, and why."""

    path: Path
    reason: str


def check_module(project: Project, module: Module) -> list[Problem]:
    """List every file of `module` that `tito notebooks` would change; write nothing."""
    problems = []
    source_text = read_text(module.source)
    expected_source = normalise_source(project, source_text)
    if expected_source != source_text:
        reason = _source_reason(project, source_text, expected_source)
        problems.append(Problem(module.source, reason))

    guessed = guessed_format(source_text)
    if guessed != "percent":
        problems.append(
            Problem(
                module.source,
                f'jupytext in Jupyter would read it as "{guessed}", not "percent" '
                "format; look for an indented or uncommented line that starts "
                "with a magic such as `%pip`",
            )
        )

    if not module.notebook.exists():
        problems.append(Problem(module.notebook, "notebook missing"))
    elif read_text(module.notebook) != render_notebook(
        project, expected_source, read_notebook(project, module.notebook)
    ):
        problems.append(
            Problem(module.notebook, "notebook out of date with its source")
        )

    if module.readme.exists():
        text = read_text(module.readme)
        rendered = render_readme(project, module, text)
        if rendered is None:
            problems.append(Problem(module.readme, f"no `{HEADER_START}` line"))
        elif rendered != text:
            problems.append(Problem(module.readme, "header out of date"))
    return problems


def _source_reason(project: Project, actual: str, expected: str) -> str:
    """Describe why a source differs from what `tito notebooks` would write."""
    import jupytext

    notebook = jupytext.reads(actual, fmt=PERCENT)
    codes = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and COLAB_TAG in cell.metadata.get("tags", [])
    ]
    if not codes:
        return f"`{COLAB_TAG}` cell missing"
    if any(code != colab_cell_source(project) for code in codes):
        return f"`{COLAB_TAG}` cell out of date with settings.ini [repository]"
    actual_lines, expected_lines = actual.split("\n"), expected.split("\n")
    line = next(
        (
            number
            for number, (old, new) in enumerate(
                zip(actual_lines, expected_lines, strict=False), start=1
            )
            if old != new
        ),
        min(len(actual_lines), len(expected_lines)),
    )
    return f"jupytext would rewrite line {line} when Jupyter saves the notebook"
