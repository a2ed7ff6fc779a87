"""The course repository: where it is, its settings, and its modules.

Every other part of tito gets paths and settings from here, so each fact has
one source. The package and module folders come from nbdev's `[tool.nbdev]`
table in pyproject.toml. settings.ini holds the course settings nbdev has no
key for, and each module folder has its own metadata in module.toml.
"""

from __future__ import annotations

import configparser
import contextlib
import difflib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tito.errors import TitoError
from tito.textfiles import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

PYPROJECT = "pyproject.toml"
SETTINGS = "settings.ini"
MODULE_META = "module.toml"
_GITHUB_NAME = re.compile(r"[A-Za-z0-9._-]+")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")
_MODULE_DIR = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)$")
# The difficulty levels a module may have, from easiest to hardest.
DIFFICULTY = range(1, 4)
# The keys module.toml may have: what each value must be, and an example.
META_KEYS = {
    "title": ("a string", '"Tensor"'),
    "difficulty": ("a whole number from 1 to 3", "2"),
    "time_estimate": ("a string", '"2 hours"'),
    "prerequisites": ("a list of module names (strings)", '["setup", "tensor"]'),
    "next": ("a module name (a string)", '"activations"'),
}


@dataclass(frozen=True)
class Module:
    """One course module: a folder `NN_name` under the sources folder."""

    number: int
    name: str
    folder: Path
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def dirname(self) -> str:
        return self.folder.name

    @property
    def source(self) -> Path:
        """The Jupytext percent source, `<name>_dev.py`."""
        return self.folder / f"{self.name}_dev.py"

    @property
    def notebook(self) -> Path:
        """The paired notebook, `<name>_dev.ipynb`."""
        return self.folder / f"{self.name}_dev.ipynb"

    @property
    def readme(self) -> Path:
        return self.folder / "README.md"

    @property
    def title(self) -> str:
        return self.meta.get("title", self.name.replace("_", " ").title())


class Project:
    """A TinyTorch repository rooted at `root`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    @cached_property
    def nbdev(self) -> dict:
        """nbdev's settings, the `[tool.nbdev]` table of pyproject.toml."""
        return read_nbdev_table(self.root / PYPROJECT)

    @cached_property
    def settings(self) -> configparser.ConfigParser:
        """The course settings from settings.ini."""
        parser = configparser.ConfigParser()
        path = self.root / SETTINGS
        try:
            parser.read_string(read_text(path), source=str(path))
        except configparser.Error as exc:
            raise TitoError(
                f"invalid settings file: {exc}",
                path=path,
                hint="fix the line shown; settings.ini uses INI syntax",
            ) from exc
        return parser

    def setting(self, section: str, key: str) -> str:
        """Return one course setting, or raise a TitoError naming the missing key."""
        try:
            return self.settings[section][key]
        except KeyError:
            raise TitoError(
                f"missing setting [{section}] {key}",
                path=self.root / SETTINGS,
                hint=f"add `{key} = ...` under `[{section}]`",
            ) from None

    @property
    def lib_path(self) -> Path:
        """The package folder, from nbdev's `lib_path`."""
        return self.root / self.nbdev.get("lib_path", "tinytorch")

    @property
    def lib_name(self) -> str:
        return self.lib_path.name

    @property
    def nbs_path(self) -> Path:
        """The folder of module sources, from nbdev's `nbs_path`."""
        return self.root / self.nbdev.get("nbs_path", "nbs")

    @property
    def tests_path(self) -> Path:
        return self.root / "tests"

    @cached_property
    def modules(self) -> list[Module]:
        """Every module folder `NN_name` with a `<name>_dev.py` or `.ipynb`, in order.

        A folder with only the notebook is a module whose .py was deleted:
        `tito.notebooks.sync_module` writes it again from the notebook.
        """
        found = []
        if self.nbs_path.is_dir():
            for folder in sorted(self.nbs_path.iterdir()):
                match = _MODULE_DIR.match(folder.name)
                if not (match and folder.is_dir()):
                    continue
                number, name = int(match.group(1)), match.group(2)
                paired = (
                    folder / f"{name}_dev{suffix}" for suffix in (".py", ".ipynb")
                )
                if any(path.exists() for path in paired):
                    meta = read_module_meta(folder / MODULE_META)
                    found.append(Module(number, name, folder, meta))
        return found

    def module(self, name: str) -> Module:
        """Find a module by name (`activations`), folder (`03_activations`) or number.

        An unknown name raises a usage error that suggests the closest match and
        lists every module.
        """
        requested = name.strip().rstrip("/").split("/")[-1].lower()
        for module in self.modules:
            keys = {module.name, module.dirname, f"{module.number:02d}"}
            if requested in keys or requested == str(module.number):
                return module

        names = [module.name for module in self.modules]
        close = difflib.get_close_matches(requested, names, n=1)
        suggestion = f" (did you mean {close[0]}?)" if close else ""
        available = ", ".join(module.dirname for module in self.modules) or "none"
        raise TitoError(
            f"unknown module {name!r}{suggestion}",
            hint=f"available modules: {available}",
            exit_code=2,
        )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the repository while tito writes to it.

        Two tito commands that write (export, test, notebooks, release) then run
        one after the other, so one cannot read a file the other is replacing.
        The lock is an advisory `flock` on pyproject.toml, released when the
        process ends even if it crashes.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            # NOTE: there is no lock on Windows, so concurrent tito commands
            # there can still read a file another one is replacing.
            yield
            return
        with open(self.root / PYPROJECT, "rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(
                    "tito: waiting for another tito command in this repository "
                    "to finish...",
                    file=sys.stderr,
                    flush=True,
                )
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def relative(self, path: Path) -> str:
        """Return `path` relative to the root when it is inside, as a POSIX string."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def read_nbdev_table(path: Path) -> dict:
    """Read the `[tool.nbdev]` table of a pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TitoError(f"invalid TOML: {exc}", path=path) from exc
    return data.get("tool", {}).get("nbdev", {})


def read_module_meta(path: Path) -> dict:
    """Read and check a module's metadata file; a missing file gives an empty dict.

    Every key is optional, but each one present must have the type and range
    that `META_KEYS` and `DIFFICULTY` give, and unknown keys are rejected.
    """
    if not path.exists():
        return {}
    try:
        meta = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise TitoError(
            f"invalid module metadata: {exc}",
            path=path,
            hint='module.toml uses TOML syntax: key = "value"',
        ) from exc
    check_module_meta(meta, path)
    return meta


def check_module_meta(meta: dict, path: Path) -> None:
    """Raise a TitoError naming the first key of `meta` with a wrong type or value."""
    for key, value in meta.items():
        if key not in META_KEYS:
            known = ", ".join(META_KEYS)
            raise TitoError(
                f"unknown key {key!r} in module metadata",
                path=path,
                hint=f"the known keys are {known}; delete or rename {key!r}",
            )
        expected, example = META_KEYS[key]
        if not _meta_value_is_valid(key, value):
            raise TitoError(
                f"invalid {key} = {_toml_repr(value)} in module metadata: "
                f"it must be {expected}",
                path=path,
                hint=f"write it like `{key} = {example}`",
            )


def _meta_value_is_valid(key: str, value: object) -> bool:
    if key == "difficulty":
        # bool is a subclass of int, so `difficulty = true` would pass as 1.
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value in DIFFICULTY
        )
    if key == "prerequisites":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)


def _toml_repr(value: object) -> str:
    """Return `value` roughly as TOML writes it, so the message matches the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_repr(item) for item in value) + "]"
    return repr(value)


def is_project_root(folder: Path) -> bool:
    """Return True when `folder` has settings.ini and pyproject.toml with nbdev."""
    pyproject = folder / PYPROJECT
    if not ((folder / SETTINGS).is_file() and pyproject.is_file()):
        return False
    try:
        return "nbdev" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get(
            "tool", {}
        )
    except (OSError, tomllib.TOMLDecodeError):
        return False


def find_project(start: Path | None = None) -> Project:
    """Find the repository that contains `start` (default: the working directory).

    `TINYTORCH_ROOT`, when set, names the root directly.
    """
    override = os.environ.get("TINYTORCH_ROOT")
    if override:
        if is_project_root(Path(override)):
            return Project(Path(override))
        raise TitoError(
            f"TINYTORCH_ROOT={override} is not a TinyTorch repository: it needs "
            f"{SETTINGS} and a {PYPROJECT} with a [tool.nbdev] table",
            hint="unset TINYTORCH_ROOT or point it at the repository root",
        )

    here = Path(start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if is_project_root(folder):
            return Project(folder)
    raise TitoError(
        f"not inside a TinyTorch repository: looked in {here} and every parent "
        f"for {SETTINGS} beside a {PYPROJECT} with a [tool.nbdev] table",
        hint="cd into your TinyTorch clone, or set TINYTORCH_ROOT to its path",
    )


def repository(project: Project, section: str = "repository") -> tuple[str, str, str]:
    """Return (user, name, branch) of a GitHub repository named in settings.ini.

    The values go into URLs and into the Colab cell's Python code, so each must
    be a plain GitHub name: letters, digits, `.`, `_`, `-` (and `/` in a branch).
    """
    values = []
    for key, pattern in (("user", _GITHUB_NAME), ("name", _GITHUB_NAME)):
        values.append((key, project.setting(section, key).strip(), pattern))
    values.append(("branch", project.setting(section, "branch").strip(), _BRANCH))
    for key, value, pattern in values:
        if not pattern.fullmatch(value):
            raise TitoError(
                f"invalid [{section}] {key} {value!r}: use letters, digits, `.`, `_` "
                "and `-` only",
                path=project.root / SETTINGS,
                hint=f"write the GitHub {key} as it appears in the repository URL",
            )
    return tuple(value for _, value, _ in values)
