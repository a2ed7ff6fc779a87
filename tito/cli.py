"""The `tito` entry point: parse the command line and report errors."""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys

from tito import console
from tito.commands import COMMANDS
from tito.errors import TitoError


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with one subparser per command module."""
    try:
        # tinytorch/__init__.py holds only the version, so this import is cheap
        # and shows the version of the last export, even in an editable install.
        from tinytorch import __version__ as tito_version
    except ImportError:
        tito_version = "unknown (tinytorch is not importable)"
    parser = argparse.ArgumentParser(
        prog="tito",
        description="The TinyTorch course command line: export modules into the "
        "tinytorch package, test them, build notebooks and student releases.",
        epilog="Run `tito COMMAND --help` for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"tito {tito_version}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"tito.commands.{name}").add_parser(subparsers)
    return parser


def _check_command_name(argv: list[str]) -> None:
    """Reject an unknown command with a suggestion before argparse parses it."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if first is None or first in COMMANDS or argv.index(first) != 0:
        return
    close = difflib.get_close_matches(first, COMMANDS, n=1)
    suggestion = f" (did you mean {close[0]}?)" if close else ""
    raise TitoError(
        f"unknown command {first!r}{suggestion}",
        hint=f"commands: {', '.join(COMMANDS)}; run `tito --help` for more",
        exit_code=2,
    )


def main(argv: list[str] | None = None) -> int:
    """Run tito with `argv` (default: sys.argv[1:]) and return the exit code."""
    # jsonschema (imported by nbformat) imports rfc3987_syntax when installed,
    # which builds a parser for about a second only to check "iri" strings. No
    # notebook schema uses that format, so tito blocks the import: jsonschema
    # then skips that one checker.
    sys.modules.setdefault("rfc3987_syntax", None)
    console.make_streams_safe()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        _check_command_name(argv)
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        if extra and hasattr(args, "extra_args"):
            # Options tito does not know go on to the program it starts.
            args.extra_args = [*args.extra_args, *extra]
        elif extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        if getattr(args, "extra_args", None) and args.extra_args[0] == "--":
            args.extra_args = args.extra_args[1:]
        if args.command is None:
            parser.print_help()
            return 2
        return args.handler(args)
    except TitoError as exc:
        console.error(str(exc), exc.hint)
        return exc.exit_code
    except SystemExit as exc:
        # argparse exits for --help (0) and for usage errors (2).
        return exc.code if isinstance(exc.code, int) else 1
    except ModuleNotFoundError as exc:
        # Usually tito runs outside the course environment, without its packages.
        console.error(
            f"{exc.name} is not installed for {sys.executable}",
            hint="activate the course environment first: "
            "source bin/activate-tinytorch.sh",
        )
        return 1
    except BrokenPipeError:
        # The reader of our output went away (as in `tito system info | head`).
        # Point stdout at devnull so the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
