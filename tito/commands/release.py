"""`tito release`: write the student course, with every solution replaced by a stub."""

from __future__ import annotations

import argparse
from pathlib import Path

from tito import console
from tito.commands import add_module_arguments, holding_lock, selected_modules
from tito.project import find_project


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "release",
        help="Write the student version of modules, or of the whole course.",
        description="Replace every solution block with `# YOUR CODE HERE` and "
        "`raise NotImplementedError()` and write the result. With --all, write a "
        "complete course repository a student can clone, with the tinytorch "
        "package exported from the student sources. With a module, write only "
        "that module's folder. Links and the Colab install cell point at the "
        "student repository from [release] in settings.ini. Markdown files lose "
        "their instructor-only blocks. The release is searched for solution lines "
        "and written only when none is found. A release into an earlier release "
        "stops if files there changed since, unless given --force.",
    )
    add_module_arguments(parser, "release")
    parser.add_argument(
        "--to",
        metavar="DIR",
        type=Path,
        help="Folder to write the release into. It must be new, empty or an "
        "earlier release. Default: release_path under [course] in settings.ini.",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="Replace files in DIR that were changed, deleted or added since the "
        "last release, such as a student's work. Without it the release stops "
        "and lists them. DIR must still be a folder written by tito release.",
    )
    parser.set_defaults(handler=run)


@holding_lock
def run(args: argparse.Namespace) -> int:
    from tito.release import (
        check_instructor_repository,
        default_destination,
        release_course,
        release_modules,
    )

    project = find_project()
    check_instructor_repository(project)
    modules = selected_modules(project, args)
    destination = args.to if args.to is not None else default_destination(project)
    if args.all:
        result = release_course(project, destination, force=args.force)
    else:
        result = release_modules(project, modules, destination, force=args.force)
    for warning in result.warnings:
        console.warn(warning)
    console.echo(
        f"released {', '.join(result.modules)} → {result.destination} "
        f"({result.files} files)"
    )
    return 0
