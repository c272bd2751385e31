"""``lentera retention apply``: anonymise survivors whose retention period has ended."""

from __future__ import annotations

import argparse

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="apply each organisation's retention period")
    verbs = p.add_subparsers(dest="retention_command", metavar="VERB", required=True)
    v = verbs.add_parser(
        "apply",
        help="anonymise survivors whose cases have all been closed longer than the retention period",
    )
    v.add_argument("--dry-run", action="store_true")
    v.set_defaults(func=run)
    s = verbs.add_parser("set", help="set an organisation's retention period")
    s.add_argument("--org", required=True, help="organisation code")
    s.add_argument(
        "--months",
        type=int,
        help="months after all of a survivor's cases are closed; omit to keep forever",
    )
    s.set_defaults(func=set_period)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.cases.selectors import retention_candidates
    from lentera.web.cases.services import person_anonymise

    people = retention_candidates()
    for person in people:
        if not args.dry_run:
            person_anonymise(actor=None, person=person, reason="retention_period_ended")
    verb = "would anonymise" if args.dry_run else "anonymised"
    print(f"{verb} {len(people)} survivor record(s)")
    if not args.dry_run:
        from lentera.web.accounts.lockout import purge_login_records

        print(f"deleted {purge_login_records()} expired login-throttling record(s)")
    return 0


def set_period(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.accounts.models import Organisation
    from lentera.web.audit.models import AuditAction
    from lentera.web.audit.services import audit_log

    org = Organisation.objects.filter(code=args.org.upper()).first()
    if org is None:
        raise LenteraError(
            "org_not_found", f"no organisation with code {args.org!r}", kind="not_found"
        )
    if args.months is not None and args.months < 1:
        raise LenteraError("invalid_months", "--months must be at least 1")
    org.retention_months = args.months
    org.save(update_fields=["retention_months"])
    audit_log(
        actor=None,
        action=AuditAction.UPDATE,
        obj=org,
        organisation=org,
        detail={"retention_months": args.months},
    )
    period = f"{args.months} months" if args.months else "none (keep)"
    print(f"{org.code}: retention {period}")
    return 0
