"""tito's pytest plugin: record each test's outcome in a file as it happens.

`tito test` loads it with `-p tito.testing.pytest_plugin --tito-report PATH`.
The plugin appends one JSON object per line to PATH: `start` before a test
runs and `end` after its teardown, with unbuffered writes. A test that ends
the process (`os._exit`) therefore leaves a `start` without an `end`, and
tito can name it.

A test that reaches a student stub (a NotImplementedError raised in the
package) fails with one line naming the stub. This is also true when the test is
marked xfail or skips on NotImplementedError, so an unfinished exercise never
passes, skips or counts as an expected failure. A test file that reaches a stub
while pytest imports it gets a collection error naming the stub the same way.
"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from tito.testing.stubs import find_stub, is_under, not_implemented_message

# The failure message of pytest-timeout 2.x: "Timeout (>1.0s) from pytest-timeout."
_PYTEST_TIMEOUT = re.compile(r"Timeout \(>([0-9.]+)s\) from pytest-timeout")
# The start of the decorator Hypothesis 6 suggests when print_blob is on.
_REPRODUCE_ADVICE = "@reproduce_failure("


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tito", "tito test")
    group.addoption(
        "--tito-report",
        metavar="PATH",
        help="File to which tito's plugin appends one JSON line per test event.",
    )
    group.addoption(
        "--tito-stub-root",
        action="append",
        default=[],
        metavar="PATH",
        help="Folder whose NotImplementedError is a student stub (repeatable).",
    )


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("tito_report")
    if path:
        recorder = Recorder(path, config.getoption("tito_stub_root"))
        config.pluginmanager.register(recorder, "tito-recorder")
        _quiet_hypothesis()


def _quiet_hypothesis() -> None:
    """Load a Hypothesis profile without the explain phase and reproduction blobs.

    The explain phase traces the code while Hypothesis shrinks a failure, to
    list the lines that only failing examples ran, and print_blob adds
    `@reproduce_failure` advice. Neither changes which examples pass or fail,
    or what a test checks (read in Hypothesis 6.170). The profile is
    loaded before pytest imports the test files, so settings objects those
    files build inherit it, unless they set `phases` or `print_blob`
    themselves. Notes from an explicit `print_blob=True` are dropped by
    `_drop_reproduce_notes`.
    """
    if importlib.util.find_spec("hypothesis") is None:
        return
    from hypothesis import Phase, settings

    current = settings.default
    phases = [phase for phase in current.phases if phase is not Phase.explain]
    name = f"{settings.get_current_profile_name()}-tito"
    settings.register_profile(name, parent=current, phases=phases, print_blob=False)
    settings.load_profile(name)


def _drop_reproduce_notes(exc: BaseException) -> None:
    """Remove Hypothesis's `@reproduce_failure(...)` advice from `exc`'s notes."""
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list):
        notes[:] = [
            note
            for note in notes
            if not (isinstance(note, str) and _REPRODUCE_ADVICE in note)
        ]
    # An exception group (Hypothesis raises one for several distinct failures);
    # the name BaseExceptionGroup is built in only from Python 3.11.
    inner = getattr(exc, "exceptions", None)
    if isinstance(inner, tuple):
        for error in inner:
            if isinstance(error, BaseException):
                _drop_reproduce_notes(error)


class Recorder:
    """Writes test events to the report file and turns stubs into failures."""

    def __init__(self, path: str, stub_roots: list[str]) -> None:
        self._file = open(path, "ab", buffering=0)
        self._stub_roots = stub_roots
        self._reports: dict[str, list[pytest.TestReport]] = {}

    def _is_package_code(self, filename: str, line: int) -> bool:
        return is_under(filename, self._stub_roots)

    def _write(self, event: str, **fields: object) -> None:
        self._file.write(json.dumps({"event": event, **fields}).encode() + b"\n")

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_make_collect_report(self, collector: pytest.Collector):
        # A test file that reaches a stub while pytest imports it (a Tensor
        # built in a parameter list) fails to load. pytest 9.2 keeps the
        # exception on the report as `call` until collection of the node ends.
        report = yield
        call = getattr(report, "call", None)
        if report.failed and call is not None and call.excinfo is not None:
            stub = find_stub(call.excinfo.value, self._is_package_code)
            if stub is not None:
                report.longrepr = not_implemented_message(stub[0])
                report.tito_stub, report.tito_stub_file = stub
        return report

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            stub = getattr(report, "tito_stub", None)
            self._write(
                "collect_error",
                nodeid=report.nodeid,
                message=_crash_message(report),
                details="" if stub else report.longreprtext,
                stub=stub,
                stub_file=getattr(report, "tito_stub_file", None),
            )

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._write("collected", count=len(session.items))

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self._reports[nodeid] = []
        self._write("start", nodeid=nodeid)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, call: pytest.CallInfo):
        # tryfirst makes this wrapper the outermost one, so it gets the report
        # after the xfail handling of pytest's skipping plugin. Code before the
        # yield runs before any report is made from the exception.
        if call.excinfo is not None:
            _drop_reproduce_notes(call.excinfo.value)
        report = yield
        stub = None
        if call.excinfo is not None:
            stub = find_stub(call.excinfo.value, self._is_package_code)
        if stub is not None:
            report.outcome = "failed"
            report.longrepr = not_implemented_message(stub[0])
            if hasattr(report, "wasxfail"):
                del report.wasxfail
            report.tito_stub, report.tito_stub_file = stub
        elif call.excinfo is not None and call.excinfo.errisinstance(SystemExit):
            report.tito_message = _exit_message(call.excinfo.value)
        elif call.excinfo is not None:
            timeout = _PYTEST_TIMEOUT.search(str(call.excinfo.value))
            if timeout and call.excinfo.typename == "Failed":
                report.tito_message = f"timed out after {float(timeout[1]):g} s"
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._reports.setdefault(report.nodeid, []).append(report)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        reports = self._reports.pop(nodeid, [])
        self._write("end", nodeid=nodeid, **_outcome(reports))

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        self._write("finish", exitstatus=int(exitstatus))

    def pytest_unconfigure(self) -> None:
        self._file.close()


def _outcome(reports: list[pytest.TestReport]) -> dict:
    """Combine the setup, call and teardown reports of one test."""
    for report in reports:
        if report.failed:
            stub = getattr(report, "tito_stub", None)
            return {
                "outcome": "stub" if stub else "failed",
                "stub": stub,
                "stub_file": getattr(report, "tito_stub_file", None),
                "message": getattr(report, "tito_message", None)
                or _crash_message(report),
                "details": "" if stub else _details(report),
            }
    for report in reports:
        if report.skipped:
            reason = getattr(report, "wasxfail", None)
            if reason is not None:
                message = (
                    f"expected failure: {reason}" if reason else "expected failure"
                )
            else:
                longrepr = report.longrepr
                message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
            return {"outcome": "skipped", "message": message}
    return {"outcome": "passed"}


def _exit_message(exc: SystemExit) -> str:
    return f"the test called sys.exit({exc.code!r}) instead of returning or raising"


def _crash_message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """Return the one-line error of a failed report, such as `AssertionError: ...`."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None and crash.message:
        return _first_line(crash.message)
    lines = [line for line in report.longreprtext.splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    return (errors or lines or ["failed"])[-1 if not errors else 0]


def _first_line(message: str) -> str:
    """Return the first line of an error message, with more text if it ends in ':'.

    numpy's assert_allclose starts its message with a newline, so the first
    line alone would be `AssertionError: `.
    """
    lines = [line.strip() for line in message.splitlines()]
    first = lines[0]
    if first.endswith(":"):
        rest = next((line for line in lines[1:] if line), "")
        first = f"{first} {rest}".strip()
    return first


def _details(report: pytest.TestReport) -> str:
    """Return the short traceback and any output the test printed."""
    parts = [report.longreprtext]
    for title, content in report.sections:
        if title.startswith("Captured") and content.strip():
            parts.append(f"--- {title} ---\n{content.rstrip()}")
    return "\n".join(parts)
