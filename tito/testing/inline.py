"""Run the inline tests of a module's current source in a child process.

tito reads the cells of the percent source, picks the exported cells and
every cell that defines a `test_*` function, and hands them to
`tito.testing.child`. The child's output is shown as it arrives, and its
events report which test is running and how each one ended.
"""

from __future__ import annotations

import json
import queue
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tito.exporter import code_cells_with_directives
from tito.project import Module, Project
from tito.sources import Source, read_source
from tito.testing import process
from tito.testing.cellcode import TEST_PREFIX, find_test_functions, parse_cell
from tito.testing.report import FAILED, PartResult, Reporter, TestResult

EXPORTED = {"export", "exporti", "exports"}
# Seconds past the per-test limit before tito kills the child. The child's own
# alarm and backstop act first (the backstop at +2 s), so this watchdog only
# stops a child so stuck that neither can run.
WATCHDOG_GRACE = 5.0
LABEL = "inline tests"


def run_inline_tests(
    project: Project, module: Module, limit: float, reporter: Reporter
) -> PartResult:
    """Run the inline tests of `module`'s source and print each result."""
    part = PartResult(LABEL)
    source = read_source(module.source)
    relative = project.relative(module.source)
    reporter.heading(f"inline tests in {relative}")

    cells = _cells_to_run(source, part, relative, reporter)
    if part.problems:
        return part
    if not any(cell["tests"] for cell in cells):
        text = (
            f"no tests ran: no code cell of {relative} defines a "
            f"`{TEST_PREFIX}*` function"
        )
        part.problems.append(text)
        reporter.problem(text)
        return part

    plan = {
        "source": str(module.source.resolve()),
        "root": str(project.root),
        "timeout": limit,
        "lib_path": str(project.lib_path),
        "cells": cells,
    }
    with tempfile.TemporaryDirectory(prefix="tito-test-") as scratch:
        plan_path = Path(scratch) / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        command = [sys.executable, "-X", "faulthandler", "-m", "tito.testing.child"]
        child = process.start(
            [*command, str(plan_path)], module.folder, process.child_environment()
        )
        run = _InlineRun(project, module, part, reporter, limit)
        try:
            run.follow(child)
        finally:
            process.stop(child)
        run.finish(child.returncode)
    return part


def _cells_to_run(
    source: Source, part: PartResult, relative: str, reporter: Reporter
) -> list[dict]:
    """Return the exported cells and the test cells, with their first file lines.

    Directives are read the way the exporter reads them, so the cells run
    here are the ones that reach the package. A syntax error in a cell that
    would run is recorded in `part.problems`.
    """
    cells = []
    for index, directives, _ in code_cells_with_directives(source):
        code = source.notebook.cells[index].source
        line = source.line_of(index) or 1
        exported = bool(EXPORTED & set(directives))
        try:
            names = find_test_functions(parse_cell(code, str(source.path), line))
        except SyntaxError as exc:
            if exported or f"def {TEST_PREFIX}" in code:
                text = f"{relative}:{exc.lineno}: SyntaxError: {exc.msg}"
                part.problems.append(text)
                reporter.problem(text, _syntax_error_lines(exc))
            continue
        if exported or names:
            cells.append(
                {
                    "index": index,
                    "line": line,
                    "code": code,
                    "exported": exported,
                    "tests": names,
                }
            )
    return cells


def _syntax_error_lines(exc: SyntaxError) -> list[str]:
    """Return the code line and the caret that Python prints for a syntax error."""
    lines = "".join(traceback.format_exception_only(type(exc), exc)).splitlines()
    return [line for line in lines[1:-1] if line.strip()]


class _InlineRun:
    """Follows the child's output and events and records each result."""

    def __init__(
        self,
        project: Project,
        module: Module,
        part: PartResult,
        reporter: Reporter,
        limit: float,
    ) -> None:
        self.project = project
        self.relative = project.relative(module.source)
        self.source = str(module.source.resolve())
        self.part = part
        self.reporter = reporter
        self.limit = limit
        self.names: list[str] = []
        self.current: tuple[str, str] | None = None  # ("cell" or "test", name)
        self.finished = False
        self.killed = False

    def follow(self, child) -> None:
        """Print the child's output and handle its events until it ends or hangs."""
        # Imported here: `python -m tito.testing.child` imports this package
        # first, and runpy warns when that already imported the child module.
        from tito.testing.child import EVENT_MARK

        reader = process.LineReader(child)
        allowance = self.limit + WATCHDOG_GRACE if self.limit else None
        deadline = time.monotonic() + allowance if allowance else None
        while True:
            wait = None if deadline is None else max(deadline - time.monotonic(), 0)
            try:
                line = reader.get(wait)
            except queue.Empty:
                self.killed = True
                process.stop(child)
                return
            if line is None:
                child.wait()
                return
            position = line.find(EVENT_MARK)
            text = line if position < 0 else line[:position]
            if text.strip(b"\r\n") or position < 0:
                self.reporter.output(process.decode(text).rstrip("\r\n"))
            if position >= 0:
                self.handle(json.loads(line[position + len(EVENT_MARK) :]))
                if allowance:
                    deadline = time.monotonic() + allowance

    def handle(self, event: dict) -> None:
        kind = event["event"]
        if kind in ("load", "start"):
            self.current = ("cell" if kind == "load" else "test", event["name"])
        elif kind == "tests":
            self.names = event["names"]
        elif kind == "end":
            self.current = None
            self.record(self.result_of(event))
        elif kind == "load_error":
            self.finished = True
            self.load_error(event)
        elif kind == "stopped":
            self.finished = True
            self.stop_current(event["message"])
        elif kind == "done":
            self.finished = True

    def result_of(self, event: dict) -> TestResult:
        details = self.reporter.frames(event.get("frames", []))
        return TestResult(
            event["name"],
            event["outcome"],
            event.get("message", ""),
            details,
            event.get("stub"),
            event.get("stub_file"),
        )

    def record(self, result: TestResult) -> None:
        self.part.tests.append(result)
        self.reporter.result(result)

    def problem(self, text: str, details: list[str] | None = None) -> None:
        self.part.problems.append(text)
        self.reporter.problem(text, details)

    def load_error(self, event: dict) -> None:
        """Report a cell that failed while the source was loading."""
        line = event.get("line")
        in_source = [
            frame for frame in event.get("frames", []) if frame[0] == self.source
        ]
        if event.get("where"):
            line = event["where"][1]
        elif in_source:
            line = in_source[-1][1]
        details = (event.get("detail") or "").splitlines()[1:-1]
        details += self.reporter.frames(event.get("frames", []))
        message = event["message"]
        if message.startswith("ModuleNotFoundError: No module named 'tinytorch."):
            details.append(
                "hint: export the module that defines it first, or all of them "
                "with `tito export --all`"
            )
        self.problem(f"{self.relative}:{line}: {message}", details)

    def stop_current(self, message: str) -> None:
        """Fail the running test or cell with `message`."""
        if self.current is None:
            self.problem(f"inline tests stopped: {message}")
        elif self.current[0] == "test":
            self.record(TestResult(self.current[1], FAILED, message))
        else:
            self.problem(f"{self.relative}: the {self.current[1]} {message}")
        self.current = None

    def finish(self, returncode: int | None) -> None:
        """Account for a child that was killed or ended before reporting everything."""
        if self.killed:
            self.stop_current(
                f"timed out after {self.limit:g} s, so tito stopped the test process"
            )
        elif not self.finished and self.current is None:
            self.problem(
                f"the inline test process ended early (exit code {returncode})"
            )
        elif not self.finished:
            self.stop_current(
                f"ended the test process (exit code {returncode}) instead of "
                "returning or raising"
            )
        self.part.not_run = max(len(self.names) - len(self.part.tests), 0)
