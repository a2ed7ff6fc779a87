"""Terminal output: colour only on a TTY without NO_COLOR, and no encoding crashes.

Course output is full of emoji and Greek letters. A terminal whose encoding
cannot show them (cp1252, LANG=C) gets replacement characters instead of a
UnicodeEncodeError.
"""

from __future__ import annotations

import os
import sys

_CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "bold": "1"}


def make_streams_safe() -> None:
    """Make stdout and stderr replace characters their encoding cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def use_color(stream=None) -> bool:
    """Return True when `stream` is a terminal and NO_COLOR is not set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def style(text: str, color: str, stream=None) -> str:
    """Wrap `text` in an ANSI colour when `stream` shows colour."""
    if not use_color(stream):
        return text
    return f"\033[{_CODES[color]}m{text}\033[0m"


def echo(text: str = "") -> None:
    """Print a line of normal output to stdout."""
    print(text, flush=True)


def warn(text: str) -> None:
    """Print a warning line to stderr."""
    print(style(f"tito: warning: {text}", "yellow", sys.stderr), file=sys.stderr)


def error(text: str, hint: str | None = None) -> None:
    """Print `tito: error: text` and an optional `hint:` line to stderr."""
    print(style(f"tito: error: {text}", "red", sys.stderr), file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
