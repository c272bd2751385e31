"""``lentera contacts remind [--date YYYY-MM-DD]``: the contact log's reminders.

Creates today's in-app reminders for contacts whose follow-up is due and for open
missing-person contacts at each step of their cycle. Idempotent (run it daily from cron or a
systemd timer, next to ``lentera referrals remind``); notifications carry the contact number
and a date, never a name.
"""

from __future__ import annotations

import argparse
import datetime as dt


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("contacts", help="contact log reminders (follow-ups, missing persons)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    r = verbs.add_parser("remind", help="create due contact reminders")
    r.add_argument("--date", type=dt.date.fromisoformat, help="run as if today were DATE")
    r.set_defaults(func=run_remind)


def run_remind(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.contacts.reminders import run_contact_reminders

    run = run_contact_reminders(today=args.date)
    print(
        f"contact reminders created: {run.created} (follow-ups {run.follow_ups}, missing persons {run.missing})"
    )
    return 0
