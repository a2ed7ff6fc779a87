"""Run a module's pytest files against the exported package, in one subprocess.

tito's plugin (`tito.testing.pytest_plugin`) appends an event per test to a
report file, which tito reads while pytest runs. When pytest ends, tito prints
one line per failing test function and one per stub. Verbose mode prints each
result, with its traceback, as it comes. pytest-timeout fails a test that runs
past the per-test limit, and tito stops pytest itself when a test outlives the
limit by WATCHDOG_GRACE seconds.
"""

from __future__ import annotations

import json
import queue
import sys
import tempfile
import time
from pathlib import Path

from tito.project import Module, Project
from tito.testing import process
from tito.testing.report import FAILED, PartResult, Reporter, TestResult

LABEL = "pytest"
# Seconds past the per-test limit before tito stops pytest itself: enough for
# pytest-timeout to fail the test and for pytest to write its report.
WATCHDOG_GRACE = 5.0
POLL_SECONDS = 0.05
# Values of pytest.ExitCode (checked with pytest 9.2), without importing pytest.
NO_TESTS_COLLECTED = 5
PYTEST_ERRORS = {3: "an internal error", 4: "a usage error"}
# Lines of pytest's own output shown when its report does not explain a failure.
OUTPUT_TAIL = 20
COLLECT_ERROR_LINES = 15


def find_test_files(project: Project, module: Module) -> list[Path]:
    """Return `tests/test_<name>.py` and `tests/test_<name>_*.py` that exist.

    A file that belongs to another module whose name extends this one
    (`test_tensor_ops.py` of a module `tensor_ops`) is left out.
    """
    folder = project.tests_path
    files = [folder / f"test_{module.name}.py"]
    files += sorted(folder.glob(f"test_{module.name}_*.py"))
    longer = [
        other.name
        for other in project.modules
        if other.name.startswith(f"{module.name}_")
    ]
    return [
        path
        for path in files
        if path.is_file()
        and not any(
            path.stem == f"test_{name}" or path.stem.startswith(f"test_{name}_")
            for name in longer
        )
    ]


def run_pytest_tests(
    project: Project, module: Module, limit: float, reporter: Reporter
) -> PartResult:
    """Run the pytest files of `module` and print each failure."""
    with PytestProcess(project, module, limit, reporter) as pytest_process:
        return pytest_process.results()


class PytestProcess:
    """A pytest subprocess for one module's test files, started on creation.

    Starting pytest before the inline tests lets both run at once on separate
    cores. `results()` then prints the outcomes and returns them. Leaving the
    `with` block stops pytest if it still runs and deletes its report file.
    """

    def __init__(
        self, project: Project, module: Module, limit: float, reporter: Reporter
    ) -> None:
        self.project = project
        self.module = module
        self.reporter = reporter
        self.part = PartResult(LABEL)
        self.files = [
            project.relative(path) for path in find_test_files(project, module)
        ]
        self.run = _PytestRun(self.part, reporter, limit, self.files)
        self.child = None
        self._scratch = None
        if not self.files:
            return
        self._scratch = tempfile.TemporaryDirectory(prefix="tito-pytest-")
        self.report_path = Path(self._scratch.name) / "events.jsonl"
        self.report_path.touch()
        command = _pytest_command(
            project, self.files, self.report_path, limit, reporter
        )
        env = process.child_environment([project.root])
        self.child = process.start(command, project.root, env)
        self.reader = process.LineReader(self.child)

    def results(self) -> PartResult:
        """Print the outcome of each test as pytest reports it, then the stubs."""
        if self.child is None:
            tests = self.project.relative(self.project.tests_path)
            name = self.module.name
            text = (
                f"no tests ran: no pytest file for {name} "
                f"({tests}/test_{name}.py or {tests}/test_{name}_*.py)"
            )
            self.reporter.heading(LABEL)
            self.part.problems.append(text)
            self.reporter.problem(text)
            return self.part

        self.reporter.heading(f"pytest on {', '.join(self.files)}")
        try:
            self.run.follow(self.child, self.reader, self.report_path)
        finally:
            process.stop(self.child)
        self.run.finish(self.child.returncode)
        if self.reporter.verbosity <= 0:
            self.reporter.failure_summary(self.part.tests, self.rerun_command())
        self.reporter.stub_groups(self.part.tests, "test")
        return self.part

    def rerun_command(self) -> str:
        """Return the pytest command that shows full tracebacks of the failing files."""
        failing = [
            test.name.split("::", 1)[0]
            for test in self.part.tests
            if test.outcome == FAILED
        ]
        files = list(dict.fromkeys(failing)) or self.files
        return f"python -m pytest {' '.join(files)} -x"

    def close(self) -> None:
        if self.child is not None:
            process.stop(self.child)
        if self._scratch is not None:
            self._scratch.cleanup()

    def __enter__(self) -> PytestProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _pytest_command(
    project: Project, files: list[str], report: Path, limit: float, reporter: Reporter
) -> list[str]:
    color = "yes" if reporter.verbosity > 0 and _stdout_has_color() else "no"
    return [
        sys.executable,
        "-m",
        "pytest",
        *files,
        "-p",
        "tito.testing.pytest_plugin",
        f"--tito-report={report}",
        f"--tito-stub-root={project.lib_path}",
        # Load pytest-timeout even when PYTEST_DISABLE_PLUGIN_AUTOLOAD is set.
        "-p",
        "timeout",
        f"--timeout={limit:g}",
        "-p",
        "no:cacheprovider",
        f"--rootdir={project.root}",
        # Only verbose mode shows tracebacks, and formatting them is slow: with
        # --tb=short, 522 failing tests of a student release ran 8 s longer on a
        # 2-core machine. With --tb=no pytest still reports each error's message.
        "--tb=short" if reporter.verbosity > 0 else "--tb=no",
        f"--color={color}",
        "-q",
    ]


def _stdout_has_color() -> bool:
    from tito import console

    return console.use_color()


class _PytestRun:
    """Follows pytest's report file and output and records each result."""

    def __init__(
        self, part: PartResult, reporter: Reporter, limit: float, files: list[str]
    ) -> None:
        self.part = part
        self.reporter = reporter
        self.limit = limit
        self.files = files
        self.output: list[str] = []
        self.collected: int | None = None
        self.current: str | None = None
        self.exit_status: int | None = None
        self.killed = False
        self._pending = b""

    def follow(self, child, reader: process.LineReader, report_path: Path) -> None:
        """Read events until pytest ends, stopping it when a test hangs."""
        allowance = self.limit + WATCHDOG_GRACE if self.limit else None
        deadline = time.monotonic() + allowance if allowance else None
        with open(report_path, "rb") as report:
            while True:
                running = child.poll() is None
                if self.read_events(report) and allowance:
                    deadline = time.monotonic() + allowance
                self.read_output(reader)
                if not running:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    self.killed = True
                    process.stop(child)
                    break
                time.sleep(POLL_SECONDS)
        self.read_output(reader, wait=True)

    def read_events(self, report) -> bool:
        """Handle the complete event lines written since the last call."""
        self._pending += report.read()
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self.handle(json.loads(line))
        return bool(lines)

    def read_output(self, reader: process.LineReader, wait: bool = False) -> None:
        """Collect pytest's output; verbose mode prints it as it comes."""
        while True:
            try:
                line = reader.get(timeout=1.0 if wait else 0)
            except queue.Empty:
                return
            if line is None:
                return
            text = process.decode(line).rstrip("\r\n")
            self.output.append(text)
            if self.reporter.verbosity > 0:
                self.reporter.output(text)

    def handle(self, event: dict) -> None:
        kind = event["event"]
        if kind == "start":
            self.current = event["nodeid"]
        elif kind == "end":
            self.current = None
            self.record(event)
        elif kind == "collected":
            self.collected = event["count"]
        elif kind == "collect_error":
            self.collect_error(event)
        elif kind == "finish":
            self.exit_status = event["exitstatus"]

    def collect_error(self, event: dict) -> None:
        """Report a test file that failed to load, by its stub when it reached one."""
        where = event["nodeid"] or "collection"
        stub = event.get("stub")
        if stub:
            message = self.reporter.stub_message(stub, event.get("stub_file"))
            self.problem(
                f"{where}: {message}",
                [
                    "pytest reached this stub while loading the file, so none of "
                    "the file's tests ran"
                ],
            )
            return
        details = event["details"].splitlines()[-COLLECT_ERROR_LINES:]
        self.problem(f"{where}: {event['message']}", details)

    def record(self, event: dict) -> None:
        details = (event.get("details") or "").splitlines()
        result = TestResult(
            event["nodeid"],
            event["outcome"],
            event.get("message", ""),
            details,
            event.get("stub"),
            event.get("stub_file"),
        )
        self.add(result)

    def add(self, result: TestResult) -> None:
        """Record a result; verbose mode prints it now, else a summary comes at the end.

        The summary (`Reporter.failure_summary`) lists failures one line each,
        and `Reporter.stub_groups` counts the tests that reached each stub.
        """
        self.part.tests.append(result)
        if self.reporter.verbosity > 0:
            self.reporter.result(result)

    def problem(self, text: str, details: list[str] | None = None) -> None:
        self.part.problems.append(text)
        self.reporter.problem(text, details)

    def fail_current(self, message: str) -> None:
        self.add(TestResult(self.current or "pytest", FAILED, message))

    def finish(self, returncode: int | None) -> None:
        """Account for a run that was stopped, ended early, or found no tests."""
        tail = self.output[-OUTPUT_TAIL:]
        if self.killed and self.current:
            self.fail_current(
                f"timed out after {self.limit:g} s, so tito stopped pytest"
            )
        elif self.killed:
            waited = self.limit + WATCHDOG_GRACE
            phase = "collecting tests" if self.collected is None else "between tests"
            self.problem(
                f"pytest timed out {phase} (no progress for {waited:g} s), so tito "
                "stopped it",
                tail,
            )
        elif self.exit_status is None and self.current:
            self.fail_current(
                f"ended the test process (exit code {returncode}) instead of "
                "returning or raising"
            )
        elif self.exit_status is None:
            self.problem(f"pytest ended early (exit code {returncode})", tail)
        elif self.exit_status == NO_TESTS_COLLECTED:
            self.problem(
                f"no tests ran: pytest collected no tests from {self._files()}"
            )
        elif self.exit_status in PYTEST_ERRORS:
            error = PYTEST_ERRORS[self.exit_status]
            self.problem(f"pytest stopped with {error}", tail)
        elif self.exit_status != 0 and not self.part.failed:
            self.problem(f"pytest failed with exit code {self.exit_status}", tail)
        if self.collected is not None:
            self.part.not_run = max(self.collected - len(self.part.tests), 0)

    def _files(self) -> str:
        return ", ".join(self.files)
