"""Reading sources strictly and writing generated files whole or not at all."""

from __future__ import annotations

import codecs
import os
import stat
import tempfile
from pathlib import Path

from tito.errors import TitoError


def read_text(path: Path) -> str:
    """Read a UTF-8 text file with LF line endings and no byte-order mark.

    CRLF and CR endings become LF and a leading BOM is dropped, so a file saved
    on Windows reads the same as one saved on Linux. Bytes that are not UTF-8
    raise a TitoError naming the file, line and byte offset.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TitoError("file not found", path=path) from None
    except OSError as exc:
        raise TitoError(f"cannot read file: {exc.strerror}", path=path) from exc
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise TitoError(
            f"not valid UTF-8: byte 0x{data[offset]:02x} at byte offset {offset}",
            path=path,
            line=line,
            hint="save the file as UTF-8 in your editor (File > Save with Encoding)",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_atomic(path: Path, text: str) -> bool:
    """Write `text` to `path` through a temporary file and return True if it changed.

    The file is left untouched when it already contains `text`, and otherwise is
    replaced in one step, so a crash or Ctrl-C leaves the old or the new
    content, never half of it. A target without write permission is an error
    even for root, who could otherwise replace it.
    """
    path = Path(path)
    data = text.encode("utf-8")
    if path.is_dir():
        raise TitoError(
            "a folder is in the way of this file, so it was not written",
            path=path,
            hint=f"move the folder {path} away and run the command again",
        )
    if path.exists():
        if path.read_bytes() == data:
            return False
        if not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise TitoError(
                "file is read-only, so it was not changed",
                path=path,
                hint=f"make it writable (chmod u+w {path}) and run the command again",
            )

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise TitoError(
            f"cannot write into {path.parent}: {exc.strerror}",
            path=path,
            hint="check that the folder exists and is writable",
        ) from exc

    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
