"""``lentera keys rotate`` / ``lentera keys export``: manage the field-encryption key ring."""

from __future__ import annotations

import argparse
from pathlib import Path

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="encryption key ring: rotate, export")
    verbs = p.add_subparsers(dest="keys_command", metavar="VERB", required=True)
    r = verbs.add_parser(
        "rotate", help="new keys; re-encrypt every personal field and recompute blind indexes"
    )
    r.add_argument(
        "--out",
        type=Path,
        help="write the new key ring here (required when keys come from LENTERA_KEYS)",
    )
    r.add_argument(
        "--retire-old",
        action="store_true",
        help="drop the old keys from the ring after re-encryption (old backups then need the old ring)",
    )
    r.set_defaults(func=rotate)
    e = verbs.add_parser("export", help="copy the key ring to a file for safe keeping (offline!)")
    e.add_argument("out", type=Path)
    e.set_defaults(func=export)


def rotate(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.core.keys import keys_rotate

    report = keys_rotate(out=args.out, retire_old=args.retire_old)
    print(
        f"rotated: new encryption key {report.new_key}, new index key {report.new_index_key}; {report.values_reencrypted} values re-encrypted, {report.index_rows} index rows rebuilt"
    )
    print(f"new key ring written to {report.key_file} — back it up now.")
    return 0


def export(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.core import crypto
    from lentera.web.core.keys import write_ring

    if args.out.exists():
        raise LenteraError("exists", f"{args.out} exists; choose a new file", kind="conflict")
    write_ring(crypto.keyring(), args.out)
    from lentera.web.core.backup import audit_maintenance

    audit_maintenance("keys_exported", {"keys": sorted(crypto.keyring().keys)})
    print(
        f"key ring written to {args.out} (mode 600). Store it offline, away from the database and its backups."
    )
    return 0
