"""``lentera restore FILE``: replace the database and attachments with a backup."""

from __future__ import annotations

import argparse
from pathlib import Path

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("restore", help="restore a backup archive (replaces the current data)")
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.core.backup import backup_restore, backup_verify

    manifest = backup_verify(args.file)
    if not args.yes:
        answer = input(
            f"Replace ALL current data with the backup of {manifest.created_at}? Type 'restore': "
        )
        if answer.strip() != "restore":
            raise LenteraError("cancelled", "restore cancelled")
    manifest = backup_restore(args.file)
    print(
        f"restored {sum(manifest.tables.values())} rows and {sum(1 for f in manifest.files if f.startswith('attachments/'))} attachment files"
    )
    return 0
