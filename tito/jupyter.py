"""Start JupyterLab on the course, with jupytext pairing .ipynb and .py files."""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Sequence

from tito import console
from tito.errors import TitoError
from tito.project import Project

DEFAULT_PORT = 8888


def start_jupyter(
    project: Project,
    port: int | None = None,
    no_browser: bool = False,
    extra_args: Sequence[str] = (),
) -> int:
    """Run JupyterLab at the repository root until it stops; return its exit code.

    tito chooses the port (8888, or a free one when 8888 is taken) and the
    login token, so it can print the URL before JupyterLab starts. The token
    goes to JupyterLab through the `JUPYTER_TOKEN` environment variable, which
    other users of the machine cannot read, unlike the command line.
    """
    for package, purpose in (("jupyterlab", "JupyterLab"), ("jupytext", "jupytext")):
        if importlib.util.find_spec(package) is None:
            raise TitoError(
                f"{purpose} is not installed in {sys.prefix}",
                hint="install the course with `pip install -e .` (or source "
                "bin/activate-tinytorch.sh) and run the command again",
            )

    port = port if port is not None else _free_port(DEFAULT_PORT)
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={project.root}",
        f"--port={port}",
        # Fail instead of moving to another port, so the printed URL is right.
        "--ServerApp.port_retries=0",
    ]
    if no_browser:
        command.append("--no-browser")
    command.extend(extra_args)

    console.echo(f"Starting JupyterLab in {project.root}")
    console.echo(f"Open http://localhost:{port}/lab?token={token}")
    console.echo(
        "Saving a module notebook also saves its <name>_dev.py (jupytext). "
        "Stop with Ctrl-C."
    )
    environment = {**os.environ, "JUPYTER_TOKEN": token}
    process = subprocess.Popen(command, cwd=project.root, env=environment)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            # JupyterLab gets the same Ctrl-C and shuts down when the user
            # confirms, so tito waits for it instead of killing it.
            continue


def _free_port(preferred: int) -> int:
    """Return `preferred` when nothing listens on it locally, else a free port."""
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise TitoError("no free TCP port on 127.0.0.1", hint="pass --port N")
