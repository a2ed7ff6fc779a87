"""`tito notebooks`: generate each module's notebook and README header."""

from __future__ import annotations

import argparse

from tito import console
from tito.commands import add_module_arguments, holding_lock, selected_modules
from tito.project import find_project


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "notebooks",
        help="Generate module notebooks, Colab cells and README headers.",
        description="Bring each module's <name>_dev.py and <name>_dev.ipynb in "
        "step (the file you edited wins; when both changed, tito stops and asks), "
        "then write "
        "the notebook without outputs, the Colab setup cell of the source and the "
        "Binder, Colab and source links and the Module Info list of the README "
        "from settings.ini and module.toml.",
    )
    add_module_arguments(parser, "generate notebooks for")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Write nothing; list every file that is out of date and exit 1 if any.",
    )
    parser.add_argument(
        "--from",
        dest="prefer",
        choices=("py", "ipynb"),
        help="When the .py and .ipynb differ, keep this one and overwrite the other, "
        "even when the other one is newer.",
    )
    parser.set_defaults(handler=run)


@holding_lock
def run(args: argparse.Namespace) -> int:
    from tito.notebooks import check_module, guessed_format, update_module
    from tito.textfiles import read_text

    project = find_project()
    modules = selected_modules(project, args)
    if args.check:
        if args.prefer:
            console.warn("--from has no effect with --check, which writes nothing")
        problems = [
            problem for module in modules for problem in check_module(project, module)
        ]
        for problem in problems:
            console.echo(f"{project.relative(problem.path)}: {problem.reason}")
        if problems:
            files = len({problem.path for problem in problems})
            console.error(
                f"{files} file(s) out of date",
                hint="run `tito notebooks --all` and commit the result",
            )
            return 1
        console.echo(
            f"{len(modules)} module(s): notebooks and README headers up to date"
        )
        return 0

    for module in modules:
        written = update_module(project, module, args.prefer)
        for path in written:
            console.echo(f"wrote {project.relative(path)}")
        if not module.readme.exists():
            console.warn(
                f"{project.relative(module.readme)} not found, so it has no links"
            )
        elif module.readme not in written:
            _warn_without_marker(project, module)
        if not written:
            console.echo(f"{project.relative(module.notebook)}  (unchanged)")
        guessed = guessed_format(read_text(module.source))
        if guessed != "percent":
            console.warn(
                f"{project.relative(module.source)}: jupytext in Jupyter would read "
                f'it as "{guessed}", not "percent" format, so it would open wrongly; '
                "run `tito notebooks --check` for details"
            )
    return 0


def _warn_without_marker(project, module) -> None:
    from tito.readme import HEADER_START
    from tito.textfiles import read_text

    if HEADER_START not in read_text(module.readme):
        console.warn(
            f"{project.relative(module.readme)} has no `{HEADER_START}` line, so tito "
            "did not add its links and Module Info"
        )
