"""Recognise a student stub: a NotImplementedError raised by course code.

`tito release` replaces each solution block with `raise NotImplementedError()`.
When a test reaches such a stub, tito reports the function by name instead of
a traceback. This module uses only the standard library, because the
inline-test child process and the pytest plugin both import it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from types import FrameType

# How many causes or contexts to follow from a test's exception: pytest's
# skip raised inside `except NotImplementedError:` carries the stub one level
# down, so a few levels are plenty.
_MAX_CHAIN = 5


def not_implemented_message(name: str) -> str:
    """Return the one-line report for the stub `name`."""
    return f"{name} is not implemented yet"


def stub_name(
    exc: BaseException, is_course_code: Callable[[str, int], bool]
) -> str | None:
    """Return the qualified name of the stub behind `exc`, or None (see find_stub)."""
    found = find_stub(exc, is_course_code)
    return found[0] if found else None


def find_stub(
    exc: BaseException, is_course_code: Callable[[str, int], bool]
) -> tuple[str, str] | None:
    """Return the qualified name and the file of the stub behind `exc`, or None.

    `exc` comes from a stub when it is a NotImplementedError, or was raised
    while handling one (a test that skips on NotImplementedError). The
    innermost frame of that NotImplementedError must also run course code,
    for which `is_course_code(filename, line)` returns True: the package and
    the exported cells of a source. A NotImplementedError raised by numpy or
    by a test is an ordinary failure.
    """
    error = _find_not_implemented(exc)
    if error is None or error.__traceback__ is None:
        return None
    traceback = error.__traceback__
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    filename = traceback.tb_frame.f_code.co_filename
    if not is_course_code(filename, traceback.tb_lineno):
        return None
    return qualified_name(traceback.tb_frame), filename


def qualified_name(frame: FrameType) -> str:
    """Return the qualified name (`ReLU.forward`) of the function running in `frame`."""
    code = frame.f_code
    qualname = getattr(code, "co_qualname", None)  # Python 3.11 and later
    if qualname:
        return qualname
    # Python 3.10: find the class that defines this code through self or cls.
    for key in ("self", "cls"):
        owner = frame.f_locals.get(key)
        if owner is None:
            continue
        cls = owner if isinstance(owner, type) else type(owner)
        for base in cls.__mro__:
            if _defines_code(base.__dict__.get(code.co_name), code):
                return f"{base.__qualname__}.{code.co_name}"
    return code.co_name


def _defines_code(attribute: object, code: object) -> bool:
    """Return True when a class attribute is a function or property running `code`."""
    candidates = [attribute, getattr(attribute, "__func__", None)]
    candidates += [getattr(attribute, name, None) for name in ("fget", "fset")]
    return any(getattr(item, "__code__", None) is code for item in candidates)


def _find_not_implemented(exc: BaseException) -> NotImplementedError | None:
    """Return `exc`, or the first NotImplementedError in its cause or context chain."""
    current: BaseException | None = exc
    for _ in range(_MAX_CHAIN):
        if current is None:
            return None
        if isinstance(current, NotImplementedError):
            return current
        current = current.__cause__ or current.__context__
    return None


def is_under(filename: str, roots: Iterable[str]) -> bool:
    """Return True when `filename` is one of `roots` or inside one of them."""
    path = os.path.realpath(filename)
    for root in roots:
        root = os.path.realpath(root)
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False
