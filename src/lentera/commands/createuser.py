"""``lentera createuser``: add a user to an organisation with a role."""

from __future__ import annotations

import argparse
import getpass
import os

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("createuser", help="create a user in an organisation")
    p.add_argument("username")
    p.add_argument(
        "--org",
        required=True,
        help="organisation code, e.g. YLK (created with --org-name if missing)",
    )
    p.add_argument("--org-name", help="name for a new organisation")
    p.add_argument(
        "--org-type", default="ngo", help="organisation type for a new organisation (default: ngo)"
    )
    p.add_argument(
        "--role",
        required=True,
        choices=["caseworker", "supervisor", "legal", "analyst", "org_admin"],
    )
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--email", default="")
    p.add_argument(
        "--password-env",
        default="LENTERA_NEW_PASSWORD",
        help="read the password from this environment variable (else prompt)",
    )
    p.add_argument(
        "--api-token", action="store_true", help="also issue an API token and print it once"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.accounts.models import Organisation
    from lentera.web.accounts.services import api_token_issue, organisation_create, user_create

    org = Organisation.objects.filter(code=args.org.upper()).first()
    if org is None:
        if not args.org_name:
            raise LenteraError(
                "org_not_found",
                f"no organisation with code {args.org!r}; give --org-name to create it",
                kind="not_found",
            )
        org = organisation_create(
            actor=None, name=args.org_name, code=args.org, org_type=args.org_type
        )
    password = os.environ.get(args.password_env) or getpass.getpass("Password: ")
    user = user_create(
        actor=None,
        username=args.username,
        password=password,
        organisation=org,
        role=args.role,
        first_name=args.first_name,
        last_name=args.last_name,
        email=args.email,
    )
    print(f"created user {user.username} ({args.role}) in {org.code}")
    if args.api_token:
        print(f"API token (shown once): {api_token_issue(actor=None, user=user)}")
    return 0
