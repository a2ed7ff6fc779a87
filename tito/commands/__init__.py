"""tito's subcommands, one module each, and the options they share.

Each command module defines `add_parser(subparsers)`, which registers the
command with `handler=run`, and `run(args) -> int`, which returns the exit
code. Command modules import heavy libraries inside `run`, so `tito --help`
stays fast.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable

from tito.errors import TitoError
from tito.project import Module, Project, find_project

COMMANDS = ("export", "test", "notebooks", "release", "system")


def add_module_arguments(parser: argparse.ArgumentParser, action: str) -> None:
    """Add `[MODULE]`, `--module NAME` and `--all` to a command's parser."""
    parser.add_argument(
        "name",
        nargs="?",
        metavar="MODULE",
        help=f"Module to {action}: a name (activations), folder (03_activations) "
        "or number (3).",
    )
    parser.add_argument(
        "-m", "--module", dest="module", metavar="NAME", help="Same as MODULE."
    )
    parser.add_argument(
        "--all", action="store_true", help=f"{action.capitalize()} every module."
    )


def selected_modules(project: Project, args: argparse.Namespace) -> list[Module]:
    """Return the modules that MODULE, --module or --all select."""
    names = [name for name in (args.name, args.module) if name]
    if args.all and names:
        raise TitoError("give a module name or --all, not both", exit_code=2)
    if len(names) == 2 and names[0] != names[1]:
        raise TitoError(
            f"two different modules given: {names[0]} and {names[1]}",
            hint="give one module, or --all",
            exit_code=2,
        )
    if args.all:
        return list(project.modules)
    if not names:
        available = ", ".join(module.name for module in project.modules)
        raise TitoError(
            "no module given",
            hint=f"add --module NAME or --all; available modules: {available}",
            exit_code=2,
        )
    return [project.module(names[0])]


def holding_lock(run: Callable[[argparse.Namespace], int]):
    """Run a command while holding the repository lock (see `Project.lock`)."""

    @functools.wraps(run)
    def locked_run(args: argparse.Namespace) -> int:
        with find_project().lock():
            return run(args)

    return locked_run
