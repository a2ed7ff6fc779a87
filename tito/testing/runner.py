"""Test one module: export it when stale, then run its inline and pytest tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from tito.errors import TitoError
from tito.project import Module, Project
from tito.testing.inline import run_inline_tests
from tito.testing.pytest_run import PytestProcess
from tito.testing.report import PartResult, Reporter

DEFAULT_TIMEOUT = 60.0


@dataclass
class ModuleResult:
    """The results of one module's tests, part by part."""

    module: Module
    parts: list[PartResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(part.passed for part in self.parts)

    @property
    def failed(self) -> int:
        return sum(part.failed for part in self.parts)

    def failed_names(self) -> list[str]:
        """Return the failing test functions of every part (see PartResult)."""
        return [name for part in self.parts for name in part.failed_names()]


def run_module_tests(
    project: Project,
    module: Module,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    verbosity: int = 0,
    up_to_date: set[str] | None = None,
) -> ModuleResult:
    """Export `module` if its package file is stale, then run and print its tests.

    The module and every module before it (later modules import earlier ones
    from the package) are exported first when their source changed since the
    last export. `up_to_date` collects the names already checked, so testing
    several modules checks each one once. `timeout` is the limit in seconds for
    each test (0: no limit); `verbosity` is -1 (quiet), 0 or 1 (verbose).
    """
    reporter = Reporter(project, verbosity, module)
    reporter.heading(f"{module.dirname}: {module.title}")
    result = ModuleResult(module)
    export = PartResult("export")
    try:
        export_stale_modules(project, module, reporter, up_to_date)
    except TitoError as exc:
        export.problems.append(str(exc))
        reporter.problem(_location(project, exc) + exc.message, _context(exc))
        result.parts.append(export)
        reporter.part_summary(export)
        return result

    with PytestProcess(project, module, timeout, reporter) as pytest_process:
        inline = run_inline_tests(project, module, timeout, reporter)
        reporter.part_summary(inline)
        result.parts.append(inline)
        pytest_part = pytest_process.results()
        reporter.part_summary(pytest_part)
        result.parts.append(pytest_part)
    return result


def export_stale_modules(
    project: Project,
    module: Module,
    reporter: Reporter,
    up_to_date: set[str] | None = None,
) -> None:
    """Sync and export `module` and each earlier module whose package file is stale."""
    from tito.exporter import export_module, is_stale
    from tito.notebooks import sync_module

    up_to_date = set() if up_to_date is None else up_to_date
    for candidate in project.modules:
        if candidate.number > module.number or candidate.name in up_to_date:
            continue
        synced = sync_module(project, candidate)
        if synced.written is not None:
            reporter.note(f"{project.relative(synced.written)}: {synced.reason}")
        if is_stale(project, candidate):
            reporter.note(
                f"exporting first: {project.relative(candidate.source)} changed "
                "since the last export"
            )
            export_module(project, candidate)
        up_to_date.add(candidate.name)


def _location(project: Project, exc: TitoError) -> str:
    if exc.path is None:
        return ""
    where = project.relative(exc.path)
    return f"{where}:{exc.line}: " if exc.line else f"{where}: "


def _context(exc: TitoError) -> list[str]:
    """Return the source line an error points at, and its hint."""
    lines = []
    if exc.path is not None and exc.line and exc.path.is_file():
        source_lines = exc.path.read_text(encoding="utf-8", errors="replace")
        source_lines = source_lines.splitlines()
        if 0 < exc.line <= len(source_lines):
            lines.append(f"{exc.line:>5} | {source_lines[exc.line - 1]}")
    if exc.hint:
        lines.append(f"hint: {exc.hint}")
    return lines
