"""The ``lentera`` command.

Each verb lives in its own module under :mod:`lentera.commands` with two
functions, ``add_parser(subparsers)`` and ``run(args) -> int``. Expected
failures (:class:`lentera.errors.LenteraError`) are mapped to exit codes here,
in one place: invalid input 2, not found 3, forbidden 4, conflict 5,
unavailable 6. Nothing else prints a traceback to the user.

Verb modules import their engine (numpy, pyarrow, DuckDB, Splink) and the web layer inside the
functions that run the verb, after Django is set up: building this parser imports every verb
module, so ``lentera --help`` stays fast. That is the reason for the function-local
``from lentera…`` imports under :mod:`lentera.commands`; anything light (``lentera.errors``,
the standard library) is imported at the top.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from lentera import __version__
from lentera.errors import LenteraError

__all__ = ["EXIT_CODES", "main"]

#: verb modules, in the order ``lentera --help`` lists them
COMMANDS = (
    "migrate",
    "demo",
    "serve",
    "worker",
    "jobs",
    "createuser",
    "tokens",
    "manage",
    "schema",
    "screen",
    "qualify",
    "reintegration",
    "law",
    "memo",
    "link",
    "analytics",
    "report",
    "export",
    "hub",
    "referrals",
    "contacts",
    "imports",
    "intake",
    "audit",
    "backup",
    "restore",
    "keys",
    "retention",
)

EXIT_CODES = {"invalid": 2, "not_found": 3, "forbidden": 4, "conflict": 5, "unavailable": 6}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lentera",
        description="Lentera: case management and evidence tools for anti-trafficking NGOs.",
    )
    parser.add_argument("--version", action="version", version=f"lentera {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"lentera.commands.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except LenteraError as exc:
        print(f"lentera: error: {exc.message}", file=sys.stderr)
        return EXIT_CODES.get(exc.kind, 2)
    except KeyboardInterrupt:
        print("lentera: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
