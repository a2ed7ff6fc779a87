"""`tito system`: environment information, health checks, and JupyterLab."""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import sys
from dataclasses import dataclass

from tito import console
from tito.errors import TitoError
from tito.project import Project, find_project

MIN_PYTHON = (3, 10)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "system",
        help="Show the environment, check it, or start JupyterLab.",
        description="Inspect and use the TinyTorch environment.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    info = actions.add_parser(
        "info",
        help="Print versions and paths.",
        description="Print the Python, package and module versions and paths.",
    )
    info.set_defaults(handler=run_info)

    doctor = actions.add_parser(
        "doctor",
        help="Check the environment and print a fix for each problem.",
        description="Check Python, the required packages, that tinytorch imports "
        "from this repository, and that each module's export is current.",
    )
    doctor.set_defaults(handler=run_doctor)

    jupyter = actions.add_parser(
        "jupyter",
        help="Start JupyterLab at the repository root with jupytext active.",
        description="Start JupyterLab at the repository root with jupytext "
        "active and print its URL. Options tito does not know, such as "
        "--allow-root, go to JupyterLab.",
    )
    jupyter.add_argument(
        "--port",
        type=int,
        help="Port to listen on (default: 8888, or a free port when 8888 is taken).",
    )
    jupyter.add_argument(
        "--no-browser", action="store_true", help="Do not open a web browser."
    )
    jupyter.add_argument(
        "extra_args",
        nargs=argparse.REMAINDER,
        metavar="...",
        help="Further options, passed to JupyterLab as they are "
        "(for example --allow-root).",
    )
    jupyter.set_defaults(handler=run_jupyter)


def required_packages() -> list[str]:
    """Return the distribution names that tinytorch itself depends on."""
    from packaging.requirements import Requirement

    try:
        requires = importlib.metadata.requires("tinytorch") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    names = []
    for line in requires:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            names.append(requirement.name)
    return names


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def run_info(args: argparse.Namespace) -> int:
    project = find_project()
    console.echo(f"Python      {platform.python_version()} ({sys.executable})")
    console.echo(f"Platform    {platform.platform()}")
    console.echo(f"Repository  {project.root}")
    console.echo(f"Package     {project.relative(project.lib_path)}")
    console.echo(f"Sources     {project.relative(project.nbs_path)}")
    console.echo("")
    console.echo("Packages")
    for name in ["tinytorch", *required_packages()]:
        console.echo(f"  {name:<16} {_version(name) or 'not installed'}")
    console.echo("")
    console.echo("Modules")
    for module in project.modules:
        console.echo(f"  {module.dirname:<18} {module.title}")
    return 0


@dataclass
class Check:
    """One doctor check: what was checked, whether it passed, and the fix."""

    name: str
    ok: bool
    detail: str = ""
    fix: str = ""


def _check_python() -> Check:
    version = platform.python_version()
    ok = sys.version_info >= MIN_PYTHON
    needed = ".".join(map(str, MIN_PYTHON))
    return Check(
        f"Python {version}",
        ok,
        "" if ok else f"TinyTorch needs Python {needed} or newer",
        f"install Python {needed}+ and recreate .venv "
        "(rm -rf .venv && source bin/activate-tinytorch.sh)",
    )


def _check_installed() -> Check:
    found = _version("tinytorch") is not None
    return Check(
        "tinytorch installed",
        found,
        f"the course is not installed for {sys.executable}",
        "run `source bin/activate-tinytorch.sh` from the repository root",
    )


def _check_packages() -> list[Check]:
    checks = []
    for name in required_packages():
        version = _version(name)
        checks.append(
            Check(
                f"{name} {version or ''}".strip(),
                version is not None,
                "not installed",
                'pip install -e ".[dev]"',
            )
        )
    return checks


def _check_import(project: Project) -> Check:
    import importlib.util

    spec = importlib.util.find_spec(project.lib_name)
    location = spec.origin if spec else None
    inside = location is not None and project.relative(location) != location
    return Check(
        f"import {project.lib_name}",
        inside,
        "not importable" if spec is None else f"imports from {location}",
        "run `source bin/activate-tinytorch.sh` from the repository root",
    )


def _check_modules(project: Project) -> list[Check]:
    from tito.exporter import render_module

    checks = []
    for module in project.modules:
        name = f"module {module.dirname}"
        try:
            rendered = render_module(project, module)
        except TitoError as exc:
            checks.append(Check(name, False, str(exc), exc.hint or ""))
            continue
        target = project.relative(rendered.target)
        if not rendered.target.exists():
            checks.append(
                Check(name, False, f"{target} is missing", f"tito export {module.name}")
            )
        elif rendered.target.read_text(encoding="utf-8") != rendered.text:
            checks.append(
                Check(
                    name,
                    False,
                    f"{target} does not match what its source exports (not "
                    "exported since the last edit, or edited by hand)",
                    f"tito export {module.name}",
                )
            )
        else:
            checks.append(Check(name, True))
    return checks


def run_doctor(args: argparse.Namespace) -> int:
    project = find_project()
    environment = [_check_installed(), *_check_packages()]
    checks = [_check_python(), *environment, _check_import(project)]
    # Checking the exports needs jupytext and nbdev from the environment.
    if all(check.ok for check in environment):
        checks += _check_modules(project)
    else:
        checks.append(
            Check(
                "module exports",
                False,
                "not checked, because packages of the environment are missing",
                "fix those first, then run `tito system doctor` again",
            )
        )

    for check in checks:
        mark = (
            console.style("ok  ", "green") if check.ok else console.style("FAIL", "red")
        )
        console.echo(f"{mark} {check.name}")
        if not check.ok:
            console.echo(f"     problem: {check.detail}")
            console.echo(f"     fix:     {check.fix}")

    failed = sum(not check.ok for check in checks)
    if failed:
        console.echo(f"\n{failed} problem(s) found.")
        return 1
    console.echo("\nEverything looks good.")
    return 0


def run_jupyter(args: argparse.Namespace) -> int:
    from tito.jupyter import start_jupyter

    project = find_project()
    return start_jupyter(
        project,
        port=args.port,
        no_browser=args.no_browser,
        extra_args=args.extra_args,
    )
