"""`tito test`: run a module's inline tests and its pytest tests."""

from __future__ import annotations

import argparse

from tito import console
from tito.commands import add_module_arguments, holding_lock, selected_modules
from tito.project import find_project

DEFAULT_TIMEOUT = 60.0  # the same as tito.testing.DEFAULT_TIMEOUT, without importing it
# The closing list of failing tests names this many per module.
MAX_FAILED_NAMES = 8


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "test",
        help="Run a module's inline tests and its pytest tests.",
        description="Export the module, and the modules before it, when their "
        "sources changed since the last export. Then run the inline tests of its "
        "source (the `test_*` functions in its cells) and run "
        "tests/test_<name>.py and tests/test_<name>_*.py with pytest against the "
        "package. Exits 0 when every test passed and at least one ran.",
    )
    add_module_arguments(parser, "test")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="Stop a test that runs longer than this and count it as failed "
        "(0: no limit; default: %(default)g).",
    )
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="Show only failures and counts, not what the tests print.",
    )
    amount.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="Also list each passing pytest test and show pytest's own output.",
    )
    parser.set_defaults(handler=run)


def _name_list(names: list[str]) -> str:
    """Join the first MAX_FAILED_NAMES names and count the rest."""
    text = ", ".join(names[:MAX_FAILED_NAMES])
    hidden = len(names) - MAX_FAILED_NAMES
    return f"{text} and {hidden} more" if hidden > 0 else text


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid number of seconds: {text!r}"
        ) from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(
            f"the timeout must be 0 or a positive number of seconds, not {text}"
        )
    return value


@holding_lock
def run(args: argparse.Namespace) -> int:
    from tito.testing import run_module_tests

    project = find_project()
    modules = selected_modules(project, args)
    verbosity = 0
    if args.quiet:
        verbosity = -1
    elif args.verbose:
        verbosity = 1
    passed = failed = 0
    failures: list[str] = []
    up_to_date: set[str] = set()
    for number, module in enumerate(modules):
        if number:
            console.echo()
        result = run_module_tests(
            project,
            module,
            timeout=args.timeout,
            verbosity=verbosity,
            up_to_date=up_to_date,
        )
        passed += result.passed
        failed += result.failed
        names = result.failed_names()
        if names:
            failures.append(f"failed in {module.dirname}: {_name_list(names)}")

    if len(modules) > 1 or failures:
        console.echo()
    for line in failures:
        console.echo(line)
    color = "green" if passed and not failed else "red"
    console.echo(console.style(f"{passed} passed, {failed} failed", color))
    return 0 if passed and not failed else 1
