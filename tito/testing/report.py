"""Test results and how `tito test` prints them.

Output goes through `tito.console`: colour only on a terminal without
NO_COLOR, and characters the terminal cannot show are replaced.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tito import console
from tito.project import Project

PASSED, FAILED, STUB, SKIPPED = "passed", "failed", "stub", "skipped"


@dataclass
class TestResult:
    """The outcome of one inline test or one pytest test.

    `outcome` is PASSED, FAILED, STUB (the test reached a stub that raises
    NotImplementedError; it counts as failed) or SKIPPED.
    """

    __test__ = False  # not a pytest test class

    name: str
    outcome: str
    message: str = ""
    details: list[str] = field(default_factory=list)
    stub: str | None = None


@dataclass
class PartResult:
    """The results of one part of a module's tests: inline tests or pytest.

    `problems` are failures that belong to no single test, such as a source
    that fails to load or a part where no tests ran. Each counts as one
    failure. `not_run` counts the tests that never ran because the run stopped
    early.
    """

    label: str
    tests: list[TestResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_run: int = 0

    @property
    def passed(self) -> int:
        return sum(test.outcome == PASSED for test in self.tests)

    @property
    def failed(self) -> int:
        failures = sum(test.outcome in (FAILED, STUB) for test in self.tests)
        return failures + len(self.problems)

    @property
    def skipped(self) -> int:
        return sum(test.outcome == SKIPPED for test in self.tests)


class Reporter:
    """Prints a test run: verbosity -1 shows only failures and counts, 1 shows more."""

    def __init__(self, project: Project, verbosity: int = 0) -> None:
        self.project = project
        self.verbosity = verbosity

    def heading(self, text: str) -> None:
        console.echo(console.style(text, "bold"))

    def note(self, text: str) -> None:
        console.echo(text)

    def output(self, text: str) -> None:
        """Print a line that a test printed; quiet mode hides it."""
        if self.verbosity >= 0:
            console.echo(text)

    def result(self, test: TestResult, *, show_passed: bool = True) -> None:
        """Print one test's outcome; a stub is one line, a failure adds its details."""
        if test.outcome == PASSED:
            if show_passed and self.verbosity >= 0:
                console.echo(f"{console.style('PASSED', 'green')} {test.name}")
            return
        if test.outcome == SKIPPED:
            if self.verbosity > 0:
                reason = f": {test.message}" if test.message else ""
                console.echo(
                    f"{console.style('SKIPPED', 'yellow')} {test.name}{reason}"
                )
            return
        message = f": {test.message}" if test.message else ""
        console.echo(f"{console.style('FAILED', 'red')} {test.name}{message}")
        if test.outcome == FAILED:
            for line in test.details:
                console.echo(f"    {line}")

    def problem(self, text: str, details: list[str] | None = None) -> None:
        """Print a failure that belongs to no single test."""
        console.echo(f"{console.style('FAILED', 'red')} {text}")
        for line in details or []:
            console.echo(f"    {line}")

    def stub_groups(self, tests: list[TestResult], unit: str) -> None:
        """Print one line per stub with the number of tests that reached it."""
        counts = Counter(test.stub for test in tests if test.outcome == STUB)
        for stub, count in counts.items():
            plural = "" if count == 1 else "s"
            line = f"{stub} is not implemented yet ({count} {unit}{plural})"
            console.echo(console.style(line, "yellow"))

    def part_summary(self, part: PartResult) -> None:
        counts = f"{part.passed} passed, {part.failed} failed"
        if part.skipped:
            counts += f", {part.skipped} skipped"
        if part.not_run:
            counts += f", {part.not_run} did not run"
        color = "red" if part.failed or part.not_run else "green"
        console.echo(f"{part.label}: {console.style(counts, color)}")

    def frames(self, frames: list[list]) -> list[str]:
        """Format traceback frames as `path:line in function` plus the code line."""
        lines = []
        for filename, number, function, code in frames:
            lines.append(f"{self.project.relative(filename)}:{number} in {function}")
            if code:
                lines.append(f"    {code}")
        return lines
