"""`tito export`: write module sources into the tinytorch package."""

from __future__ import annotations

import argparse

from tito import console
from tito.commands import add_module_arguments, holding_lock, selected_modules
from tito.project import find_project


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="Export module sources into the tinytorch package.",
        description="Read each module's percent source and write the cells marked "
        "`#| export` into its tinytorch package module.",
    )
    add_module_arguments(parser, "export")
    parser.set_defaults(handler=run)


@holding_lock
def run(args: argparse.Namespace) -> int:
    from tito.exporter import export_module
    from tito.notebooks import sync_module

    project = find_project()
    for module in selected_modules(project, args):
        synced = sync_module(project, module)
        if synced.written is not None:
            console.echo(f"{project.relative(synced.written)}: {synced.reason}")
        result = export_module(project, module)
        status = "" if result.changed else "  (unchanged)"
        console.echo(
            f"{project.relative(result.source)} → "
            f"{project.relative(result.target)}{status}"
        )
    return 0
