"""``lentera referrals``: reminders and the service directory from the command line.

- ``lentera referrals remind [--email] [--date YYYY-MM-DD]``: create today's
  in-app reminders (overdue referrals, due follow-ups, legal deadlines) and
  optionally e-mail them. Idempotent; run it daily from cron or a systemd timer.
- ``lentera referrals import-directory FILE --as USER [--dry-run | --valid-only]``:
  validate and import a service directory (.csv or .xlsx) into USER's organisation.
- ``lentera referrals directory-template --out FILE.xlsx``: the import template.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lentera.commands._django import run_reminders
from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("referrals", help="referral reminders and the service directory")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    r = verbs.add_parser("remind", help="create due reminders (and e-mail them with --email)")
    r.add_argument("--email", action="store_true", help="also e-mail unread notifications")
    r.add_argument("--date", type=dt.date.fromisoformat, help="run as if today were DATE")
    r.set_defaults(func=run_remind)
    i = verbs.add_parser("import-directory", help="import a service directory (.csv/.xlsx)")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--as", dest="username", required=True, help="importing user (audited)")
    mode = i.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    mode.add_argument("--valid-only", action="store_true", help="import the valid rows only")
    i.set_defaults(func=run_import)
    t = verbs.add_parser("directory-template", help="write the directory import template")
    t.add_argument("--out", type=Path, required=True)
    t.set_defaults(func=run_template)


def run_remind(args: argparse.Namespace) -> int:
    return run_reminders("lentera.web.referrals.reminders", args)


def run_import(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.contrib.auth import get_user_model

    from lentera.web.referrals.directory import directory_import

    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise LenteraError("not_found", f"no active user {args.username!r}", kind="not_found")
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        raise LenteraError("unreadable", f"{args.file}: {exc.strerror}") from exc
    report = directory_import(
        actor=user,
        filename=args.file.name,
        content=content,
        dry_run=args.dry_run,
        valid_only=args.valid_only,
    )
    for p in report.problems:
        print(f"{args.file}:{p.row}: {p.column}: {p.message} ({p.value!r})", file=sys.stderr)
    print(
        f"rows: {report.rows}; valid: {report.valid}; created: {report.created}; "
        f"updated: {report.updated}; written: {'yes' if report.written else 'no'}"
    )
    return 2 if report.problems and not (args.valid_only and report.written) else 0


def run_template(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.referrals.directory import template_xlsx

    args.out.write_bytes(template_xlsx())
    print(f"wrote {args.out}")
    return 0
