"""Start, read and stop the processes that run tests.

Each test process gets its own session, so stopping it also stops anything
its tests started. Its output is read as UTF-8 with replacement characters,
so no output can crash tito.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import tito

# Settings every test process gets: no plot windows, and UTF-8 output even
# under PYTHONIOENCODING=cp1252 or LANG=C.
TEST_ENVIRONMENT = {
    "MPLBACKEND": "Agg",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONUNBUFFERED": "1",
}


def child_environment(extra_path: list[Path] | None = None) -> dict[str, str]:
    """Return the environment for a test process.

    `extra_path` goes in front of PYTHONPATH. The folder that contains the running
    `tito` package goes at the end when tito was found through sys.path (run
    from a checkout without installing), so the child can import it too.
    """
    env = dict(os.environ)
    env.update(TEST_ENVIRONMENT)
    entries = [str(path) for path in extra_path or []]
    if env.get("PYTHONPATH"):
        entries.append(env["PYTHONPATH"])
    tito_home = Path(tito.__file__).resolve().parents[1]
    search_path = {Path(entry or ".").resolve() for entry in sys.path}
    if tito_home in search_path:
        entries.append(str(tito_home))
    if entries:
        env["PYTHONPATH"] = os.pathsep.join(entries)
    return env


def start(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start `command` with stdout and stderr merged into one pipe."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=os.name == "posix",
    )


def stop(process: subprocess.Popen) -> None:
    """Kill `process` and whatever it left running in its session, then reap it."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        elif process.poll() is None:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass  # the process and its session have already ended
    process.wait()


class LineReader:
    """Reads a process's output lines on a thread, so the caller can wait with a limit.

    `get(timeout)` returns the next line as bytes, None at the end of the
    output, or raises queue.Empty when no line came in time. The thread closes
    the pipe when the output ends.
    """

    def __init__(self, process: subprocess.Popen) -> None:
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._thread = threading.Thread(
            target=self._read, args=(process.stdout,), daemon=True
        )
        self._thread.start()

    def _read(self, stream) -> None:
        try:
            for line in iter(stream.readline, b""):
                self._lines.put(line)
        finally:
            stream.close()
            self._lines.put(None)

    def get(self, timeout: float | None) -> bytes | None:
        return self._lines.get(timeout=timeout)


def decode(data: bytes) -> str:
    """Decode process output as UTF-8, replacing bytes that are not UTF-8."""
    return data.decode("utf-8", errors="replace")
