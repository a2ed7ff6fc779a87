"""Serve the course the way Binder does, and open a module source as a notebook.

The server is JupyterLab from this environment, started by `tito system
jupyter` (`tito.jupyter.start_jupyter`) in a copy of the course, listening on
127.0.0.1 with a token. Its Jupyter config folder is first prepared by
binder/postBuild, as on mybinder.org. The tests then use the server's REST and
websocket APIs, as JupyterLab does after the "Launch Binder" link opens
modules/source/03_activations/activations_dev.py.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jupytext
import pytest

from tito.notebooks import COLAB_TAG, source_from_notebook
from tito.project import Project

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "modules/source/03_activations/activations_dev.py"
COURSE_FILES = ("pyproject.toml", "settings.ini", "jupytext.toml")
COURSE_FOLDERS = ("modules", "tinytorch")
STARTUP_TIMEOUT = 90  # seconds; JupyterLab starts in a few seconds on a laptop

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A running Jupyter server: its URL, token, course folder and log file."""

    def __init__(self, url: str, token: str, root: Path, log: Path) -> None:
        self.url, self.token, self.root, self.log = url, token, root, log
        # Requests go straight to 127.0.0.1, whatever proxy the environment sets.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={
                "Authorization": f"token {self.token}",
                "Content-Type": "application/json",
            },
        )
        with self.opener.open(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """Start JupyterLab on a copy of the course; stop it after the tests."""
    tmp = tmp_path_factory.mktemp("binder")
    root = tmp / "course"
    root.mkdir()
    for name in COURSE_FILES:
        shutil.copy2(ROOT / name, root / name)
    for name in COURSE_FOLDERS:
        shutil.copytree(
            ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )

    token = secrets.token_hex(16)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MPLBACKEND", "TINYTORCH_ROOT")
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        JUPYTER_TOKEN=token,
    )
    subprocess.run(
        ["bash", str(ROOT / "binder/postBuild")], env=env, check=True, timeout=120
    )

    # The server makes no request beyond 127.0.0.1: no extension lookups on
    # PyPI, no news feed, no update check.
    extra_args = [
        "--ServerApp.ip=127.0.0.1",
        "--LabApp.extension_manager=readonly",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        extra_args.append("--allow-root")
    port = free_port()
    start = (
        "import sys\n"
        "from tito.jupyter import start_jupyter\n"
        "from tito.project import find_project\n"
        f"sys.exit(start_jupyter(find_project(), port={port}, no_browser=True, "
        f"extra_args={extra_args!r}))\n"
    )
    log = tmp / "jupyter.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", start],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(f"http://127.0.0.1:{port}", token, root, log)
    try:
        wait_until_ready(running, process)
        yield running
    finally:
        stop(process)


def wait_until_ready(server: Server, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"Jupyter exited with {process.returncode}:\n{server.log.read_text()}"
            )
        try:
            server.request("GET", "/api/status")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(
        f"Jupyter did not answer in {STARTUP_TIMEOUT} s:\n{server.log.read_text()}"
    )


def stop(process: subprocess.Popen) -> None:
    """Stop tito and the JupyterLab it started (one process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def execute(server: Server, kernel_id: str, code: str) -> list[dict]:
    """Run `code` in a kernel over the websocket; return its iopub messages."""
    import websocket

    session = uuid.uuid4().hex
    connection = websocket.create_connection(
        f"ws://127.0.0.1:{server.url.rsplit(':', 1)[1]}/api/kernels/{kernel_id}"
        f"/channels?session_id={session}",
        header=[f"Authorization: token {server.token}"],
        timeout=120,
        http_no_proxy=["127.0.0.1"],
    )
    msg_id = uuid.uuid4().hex
    request = {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": "test",
            "session": session,
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
        "buffers": [],
    }
    messages = []
    try:
        connection.send(json.dumps(request))
        while True:
            message = json.loads(connection.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["channel"] != "iopub":
                continue
            if message["msg_type"] == "status":
                if message["content"]["execution_state"] == "idle":
                    return messages
                continue
            messages.append(message)
    finally:
        connection.close()


def stdout_of(messages: list[dict]) -> str:
    return "".join(
        message["content"]["text"]
        for message in messages
        if message["msg_type"] == "stream" and message["content"]["name"] == "stdout"
    )


def test_source_opens_as_notebook(server: Server):
    model = server.request("GET", f"/api/contents/{SOURCE}?type=notebook&content=1")

    cells = model["content"]["cells"]
    expected = jupytext.read(server.root / SOURCE).cells
    assert model["type"] == "notebook"
    assert [cell["source"] for cell in cells] == [cell.source for cell in expected]
    assert any(COLAB_TAG in cell["metadata"].get("tags", []) for cell in cells)
    assert any("#| default_exp core.activations" in cell["source"] for cell in cells)


def test_lab_opens_python_files_as_notebooks(server: Server):
    plugin = "@jupyterlab/docmanager-extension:plugin"

    settings = server.request("GET", f"/lab/api/settings/{plugin}")

    # postBuild changes the default of the setting, which a student may override.
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers["python"] == "Jupytext Notebook"


def test_notebook_runs_in_server_kernel(server: Server):
    model = server.request("GET", f"/api/contents/{SOURCE}?type=notebook&content=1")
    session = server.request(
        "POST",
        "/api/sessions",
        {"path": SOURCE, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
    )
    kernel_id = session["kernel"]["id"]
    try:
        interpreter = execute(server, kernel_id, "import sys; print(sys.executable)")
        outputs = []
        for cell in model["content"]["cells"]:
            if cell["cell_type"] == "code":
                outputs += execute(server, kernel_id, cell["source"])
    finally:
        server.request("DELETE", f"/api/sessions/{session['id']}")

    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    stdout = stdout_of(outputs)
    images = [
        m
        for m in outputs
        if m["msg_type"] in ("display_data", "execute_result")
        and "image/png" in m["content"]["data"]
    ]
    assert stdout_of(interpreter).strip() == sys.executable
    assert not errors, f"{errors[0]['ename']}: {errors[0]['evalue']}"
    assert "🔬 Unit Test" in stdout
    assert len(images) >= 5, f"expected at least 5 plots, got {len(images)}"


def test_saving_in_jupyter_keeps_source_bytes(server: Server):
    """Does a save through jupytext leave the .py as committed and the pair in step?"""
    source = server.root / SOURCE
    before = source.read_bytes()
    model = server.request("GET", f"/api/contents/{SOURCE}?type=notebook&content=1")

    server.request(
        "PUT",
        f"/api/contents/{SOURCE}",
        {"type": "notebook", "format": "json", "content": model["content"]},
    )

    project = Project(server.root)
    module = project.module("activations")
    notebook = jupytext.read(module.notebook)
    assert source.read_bytes() == before
    assert source_from_notebook(project, notebook) == before.decode("utf-8")
