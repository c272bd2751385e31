"""``lentera memo CASE_REF --format docx|pdf --out PATH --as USERNAME``: the legal memo of a case.

The memo is written as the named user (their organisation scopes the case;
the export is audited under their name). Pseudonymised unless ``--identify``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("memo", help="write the legal analysis memo of a case (DOCX or PDF)")
    p.add_argument("case_ref", metavar="CASE_REF", help="the case number, e.g. YLK-2026-0001")
    p.add_argument("--format", choices=("docx", "pdf"), required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument(
        "--as", dest="username", required=True, help="the user the memo is written as (audited)"
    )
    p.add_argument(
        "--survivor", type=int, default=1, help="which survivor of the case, 1 = first (default)"
    )
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.add_argument(
        "--identify",
        action="store_true",
        help="name the survivor (legal and supervising roles only)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from lentera.web.assessments.memo import memo_file
    from lentera.web.cases.models import Case, CaseSurvivor
    from lentera.web.core.access import require_case_role

    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise LenteraError("not_found", f"no active user {args.username!r}", kind="not_found")
    membership = require_case_role(user)
    case = Case.objects.filter(
        organisation_id=membership.organisation_id, reference=args.case_ref
    ).first()
    if case is None:
        raise LenteraError(
            "not_found",
            f"case {args.case_ref} not found in {membership.organisation.code}",
            kind="not_found",
        )
    links = list(
        CaseSurvivor.objects.select_related("case", "person").filter(case=case).order_by("id")
    )
    if not 1 <= args.survivor <= len(links):
        raise LenteraError(
            "not_found",
            f"case {args.case_ref} has {len(links)} survivor(s); --survivor {args.survivor} does not exist",
            kind="not_found",
        )
    with transaction.atomic():
        content, _name, _ctype = memo_file(
            actor=user,
            link=links[args.survivor - 1],
            fmt=args.format,
            lang=args.lang,
            identify=args.identify,
        )
    try:
        args.out.write_bytes(content)
    except OSError as exc:
        raise LenteraError("unwritable", f"cannot write {args.out}: {exc}") from exc
    print(f"wrote {args.out} ({len(content)} bytes)")
    return 0
