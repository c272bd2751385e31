"""``lentera backup OUT`` / ``lentera backup verify FILE``: encrypted, integrity-checked archives."""

from __future__ import annotations

import argparse
from pathlib import Path

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="write an encrypted backup archive (database + attachments; keys kept separately)",
    )
    p.add_argument(
        "out",
        type=Path,
        help="archive to write, e.g. lentera-2026-11-24.lentera-backup; or 'verify' followed by a file",
    )
    p.add_argument("file", nargs="?", type=Path, help="with 'verify': the archive to check")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.core.backup import backup_create, backup_verify

    if str(args.out) == "verify":
        if args.file is None:
            raise LenteraError("usage", "usage: lentera backup verify FILE")
        manifest = backup_verify(args.file)
        print(
            f"backup OK: {manifest.database}, {sum(manifest.tables.values())} rows in {len(manifest.tables)} tables, {len(manifest.files)} files, made {manifest.created_at}"
        )
        return 0
    manifest = backup_create(args.out)
    print(
        f"backup written to {args.out}: {sum(manifest.tables.values())} rows, {len(manifest.files)} members; keys in use {', '.join(manifest.key_ids) or '-'}"
    )
    print(
        "Keep the key ring (keys.json / LENTERA_KEYS) separately: the archive cannot be restored without it."
    )
    return 0
