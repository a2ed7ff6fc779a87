"""`tito test` (being built)."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("test", help="Not built yet.")
    parser.set_defaults(handler=run)


def run(args) -> int:
    print("tito test is not built yet")
    return 1
