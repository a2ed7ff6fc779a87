"""The child process that runs a module source's inline tests.

`tito test` starts `python -m tito.testing.child PLAN` with the module folder
as the working directory. PLAN is a JSON file naming the source, the
repository root, the per-test time limit and the cells to run. The child runs
the exported cells in one namespace, like the package module, then each test
cell in a copy of that namespace, with its top-level test calls removed. Then
it calls every `test_*` function in source order.

Whatever the tests print goes to stdout as usual. Between those lines the
child writes events, one JSON object per line after EVENT_MARK, on the same
pipe, so tito receives each result right after the output of its test. When a
test ends the process (`os._exit`) or hangs, the last `start` event names it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import traceback
import types
from contextlib import contextmanager
from pathlib import Path

from tito.testing.cellcode import find_test_functions, parse_cell, remove_test_calls
from tito.testing.stubs import find_stub, is_under, not_implemented_message

EVENT_MARK = b"\x1etito-event\x1f"
# Exit status after the child stops itself because a test ignored the alarm.
EXIT_TIMEOUT = 124
# Seconds past the time limit before the child gives up on the alarm and exits:
# a test may catch BaseException, or wait in C code that releases the GIL.
BACKSTOP_SECONDS = 2.0
# Frames shown for an error: the innermost ones, which are the ones that matter.
MAX_FRAMES = 6
_THIS_FILE = os.path.realpath(__file__)


class TestTimeout(BaseException):
    """Raised in the main thread when a test or cell runs past its time limit.

    A BaseException, so a test's `except Exception:` cannot swallow it.
    """

    __test__ = False  # not a pytest test class


class Events:
    """Writes events to the stdout pipe, in order with the tests' own output."""

    def __init__(self) -> None:
        self._fd = os.dup(sys.__stdout__.fileno())
        self._lock = threading.Lock()

    def send(self, kind: str, **fields: object) -> None:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass  # a test replaced or closed the stream
        data = EVENT_MARK + json.dumps({"event": kind, **fields}).encode() + b"\n"
        with self._lock:
            while data:
                data = data[os.write(self._fd, data) :]


class CourseCode:
    """Tells whether a file line is course code: the package or an exported cell.

    A NotImplementedError raised there is a student stub, but one raised by a
    test cell is an ordinary failure.
    """

    def __init__(self, plan: dict) -> None:
        self.lib_path = plan["lib_path"]
        self.source = os.path.realpath(plan["source"])
        self.exported_lines = [
            (cell["line"], cell["line"] + cell["code"].count("\n"))
            for cell in plan["cells"]
            if cell["exported"]
        ]

    def __call__(self, filename: str, line: int) -> bool:
        if is_under(filename, [self.lib_path]):
            return True
        if os.path.realpath(filename) != self.source:
            return False
        return any(first <= line <= last for first, last in self.exported_lines)


def main(argv: list[str]) -> int:
    plan = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    events = Events()
    sys.path.insert(0, plan["root"])
    sys.argv = [plan["source"]]
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _raise_timeout)
    limit = float(plan["timeout"])

    tests = load_cells(plan, events, limit)
    if tests is None:
        return 1
    events.send("tests", names=[name for name, _ in tests])
    course_code = CourseCode(plan)
    for name, namespace in tests:
        run_test(name, namespace[name], limit, events, course_code)
    events.send("done")
    return 0


def load_cells(plan: dict, events: Events, limit: float) -> list | None:
    """Run the cells and return (name, namespace) of each test in source order.

    The exported cells run first, in one namespace, like the package module.
    Each test cell then runs in its own copy of that namespace. Returns None
    after sending a `load_error` event when a cell fails.
    """
    source = plan["source"]
    module = types.ModuleType("__main__")
    module.__file__ = source
    sys.modules["__main__"] = module
    tests = []
    for cell in sorted(plan["cells"], key=lambda cell: not cell["exported"]):
        label = f"cell at line {cell['line']}"
        namespace = module.__dict__ if cell["exported"] else dict(module.__dict__)
        events.send("load", name=label)
        try:
            with time_limit(limit, events, label):
                names = run_cell(cell, source, namespace)
        except TestTimeout as exc:
            frames = describe(exc)["frames"]
            fields = _timeout_fields(limit)
            events.send(
                "load_error", name=label, line=cell["line"], frames=frames, **fields
            )
            return None
        except BaseException as exc:  # noqa: B036 - report any failure, then stop
            if isinstance(exc, KeyboardInterrupt):
                raise
            events.send("load_error", name=label, line=cell["line"], **describe(exc))
            return None
        tests += [(cell["index"], order, name, namespace) for order, name in names]
    tests.sort(key=lambda test: test[:2])
    return [(name, namespace) for _, _, name, namespace in tests]


def run_cell(cell: dict, source: str, namespace: dict) -> list[tuple[int, str]]:
    """Run one cell without its test calls and return (position, name) of its tests."""
    tree = remove_test_calls(parse_cell(cell["code"], source, cell["line"]))
    exec(compile(tree, source, "exec", dont_inherit=True), namespace)
    return list(enumerate(find_test_functions(tree)))


def run_test(
    name: str,
    function: object,
    limit: float,
    events: Events,
    course_code: CourseCode,
) -> None:
    """Call one test function and send its `start` and `end` events."""
    events.send("start", name=name)
    try:
        with time_limit(limit, events, name):
            function()
    except TestTimeout as exc:
        frames = describe(exc)["frames"]
        events.send(
            "end", name=name, outcome="failed", frames=frames, **_timeout_fields(limit)
        )
        return
    except SystemExit as exc:
        events.send(
            "end",
            name=name,
            outcome="failed",
            message=f"the test called sys.exit({exc.code!r}) instead of "
            "returning or raising",
        )
        return
    except BaseException as exc:  # noqa: B036 - every other failure is reported
        if isinstance(exc, KeyboardInterrupt):
            raise
        stub = find_stub(exc, course_code)
        if stub is not None:
            events.send(
                "end",
                name=name,
                outcome="stub",
                stub=stub[0],
                stub_file=stub[1],
                message=not_implemented_message(stub[0]),
            )
        else:
            events.send("end", name=name, outcome="failed", **describe(exc))
        return
    events.send("end", name=name, outcome="passed")


def describe(exc: BaseException) -> dict:
    """Return the exception line and its innermost frames, leaving out this file."""
    frames = [
        [frame.filename, frame.lineno, frame.name, frame.line or ""]
        for frame in traceback.extract_tb(exc.__traceback__)
        if os.path.realpath(frame.filename) != _THIS_FILE
    ]
    lines = traceback.format_exception_only(type(exc), exc)
    message = lines[-1].strip() if lines else type(exc).__name__
    fields: dict = {"message": message, "frames": frames[-MAX_FRAMES:]}
    if isinstance(exc, SyntaxError):
        fields["detail"] = "".join(lines).rstrip("\n")
        fields["frames"] = []
        fields["where"] = [exc.filename, exc.lineno]
    return fields


def _timeout_fields(limit: float) -> dict:
    return {"message": f"timed out after {limit:g} s", "timeout": True}


def _raise_timeout(signum: int, frame: object) -> None:
    raise TestTimeout()


@contextmanager
def time_limit(seconds: float, events: Events, name: str):
    """Interrupt the body after `seconds` (0 means no limit).

    SIGALRM raises TestTimeout in the main thread. A backstop thread ends the
    process when the body outlives the alarm, after sending the timeout event.
    Without SIGALRM (Windows) the backstop is the only limit.
    """
    if not seconds:
        yield
        return
    has_alarm = hasattr(signal, "setitimer")
    backstop = threading.Timer(
        seconds + (BACKSTOP_SECONDS if has_alarm else 0),
        _stop_process,
        args=(events, name, seconds),
    )
    backstop.daemon = True
    backstop.start()
    if has_alarm:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if has_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        backstop.cancel()


def _stop_process(events: Events, name: str, seconds: float) -> None:
    events.send("stopped", name=name, **_timeout_fields(seconds))
    os._exit(EXIT_TIMEOUT)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
