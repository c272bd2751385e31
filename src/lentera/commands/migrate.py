"""``lentera migrate``: create or upgrade the database and compile translations."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="create or upgrade the database (and compile translations)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    from lentera.web.core.i18n import compile_messages

    compile_messages()
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    return 0
