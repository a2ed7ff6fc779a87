"""Test results and how `tito test` prints them.

Output goes through `tito.console`: colour only on a terminal without
NO_COLOR, and characters the terminal cannot show are replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tito import console
from tito.project import Module, Project
from tito.testing.stubs import not_implemented_message

PASSED, FAILED, STUB, SKIPPED = "passed", "failed", "stub", "skipped"
# The failure summary of a pytest run shows this many lines (one per test
# function) and cuts each message to MESSAGE_WIDTH characters.
MAX_FAILURE_LINES = 10
MESSAGE_WIDTH = 120
# The header nbdev writes at the top of each package file, naming its source
# relative to the package file's folder.
_EXPORTED_FROM = re.compile(r"File to edit: (\S+?)\.?$", re.MULTILINE)


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
    stub_file: str | None = None


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

    def failed_names(self) -> list[str]:
        """Return the failing tests by function, with the number of failing cases.

        Parametrized pytest cases of one function share an entry, as in
        `test_relu (3 cases)`. A part with problems, such as a test file that
        fails to import, adds its label, because those were printed earlier.
        """
        counts = Counter(
            function_name(test.name)
            for test in self.tests
            if test.outcome in (FAILED, STUB)
        )
        names = [
            name if count == 1 else f"{name} ({count} cases)"
            for name, count in counts.items()
        ]
        if self.problems:
            names.append(f"{self.label} (see above)")
        return names


def function_name(test_id: str) -> str:
    """Return the function of a test id: `test_relu` for `tests/t.py::test_relu[a]`."""
    return test_id.rsplit("::", 1)[-1].split("[", 1)[0]


def without_parameters(test_id: str) -> str:
    """Return a test id without its parameters: `tests/t.py::test_relu`."""
    return test_id.split("[", 1)[0]


def shorten(text: str, width: int) -> str:
    """Return `text` cut to `width` characters, ending in '...' when it was cut."""
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


class Reporter:
    """Prints a test run: verbosity -1 shows only failures and counts, 1 shows more.

    `module` is the module under test. A stub in another module's file is
    reported with that module's name, so the student can see which module to
    finish first.
    """

    def __init__(
        self, project: Project, verbosity: int = 0, module: Module | None = None
    ) -> None:
        self.project = project
        self.verbosity = verbosity
        self.module = module
        self._owners: dict[str, Module | None] = {}

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
        text = test.message
        if test.outcome == STUB and test.stub:
            text = self.stub_message(test.stub, test.stub_file)
        message = f": {text}" if text else ""
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
        counts = Counter(
            (test.stub, test.stub_file) for test in tests if test.outcome == STUB
        )
        for (stub, stub_file), count in counts.items():
            plural = "" if count == 1 else "s"
            line = self.stub_message(stub, stub_file, f"{count} {unit}{plural}")
            console.echo(console.style(line, "yellow"))

    def stub_message(
        self, stub: str, stub_file: str | None, count: str | None = None
    ) -> str:
        """Return the line for a stub, naming its module when it is an earlier one.

        `count` is the number of tests that reached it, as text ("4 tests").
        """
        extras = [count] if count else []
        owner = self.owner_of(stub_file)
        if owner is not None and self.module is not None and owner != self.module:
            extras.append(
                f"module {owner.dirname}: finish it first, then run "
                f"`tito test --module {owner.name}`"
            )
        extra = f" ({', '.join(extras)})" if extras else ""
        return not_implemented_message(stub) + extra

    def owner_of(self, filename: str | None) -> Module | None:
        """Return the module whose source or package file is `filename`, if any."""
        if not filename:
            return None
        if filename not in self._owners:
            self._owners[filename] = owner_module(self.project, Path(filename))
        return self._owners[filename]

    def failure_summary(self, tests: list[TestResult], rerun: str) -> None:
        """Print one line per failing test function, at most MAX_FAILURE_LINES.

        Failing cases of one parametrized function share a line, which shows
        the first case and its message. `rerun` is the command that shows the
        full tracebacks.
        """
        groups: dict[str, list[TestResult]] = {}
        for test in tests:
            if test.outcome == FAILED:
                groups.setdefault(without_parameters(test.name), []).append(test)
        if not groups:
            return
        cases = list(groups.values())
        for group in cases[:MAX_FAILURE_LINES]:
            first = group[0]
            more = ""
            if len(group) > 1:
                plural = "" if len(group) == 2 else "s"
                more = f" and {len(group) - 1} more case{plural}"
            message = f": {shorten(first.message, MESSAGE_WIDTH)}"
            console.echo(
                f"{console.style('FAILED', 'red')} {first.name}{more}"
                f"{message if first.message else ''}"
            )
        hidden = sum(len(group) for group in cases[MAX_FAILURE_LINES:])
        if hidden:
            console.echo(f"... and {hidden} more (run `{rerun}` for full tracebacks)")
        else:
            console.echo(f"(run `{rerun}` for full tracebacks)")

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


def owner_module(project: Project, path: Path) -> Module | None:
    """Return the module whose source is `path`, or whose export wrote `path`.

    A package file names its source in nbdev's header, "File to edit:
    ../../modules/source/02_tensor/tensor_dev.py", relative to its folder.
    """
    sources = {module.source.resolve(): module for module in project.modules}
    path = path.resolve()
    if path in sources:
        return sources[path]
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(2000)
    except OSError:
        return None
    match = _EXPORTED_FROM.search(head)
    if match is None:
        return None
    return sources.get((path.parent / match[1]).resolve())
