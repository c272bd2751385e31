"""``lentera tokens list | issue | revoke``: API tokens (only their SHA-256 is stored)."""

from __future__ import annotations

import argparse

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tokens", help="list, issue and revoke API tokens")
    verbs = p.add_subparsers(dest="tokens_command", metavar="VERB", required=True)
    ls = verbs.add_parser("list", help="every token: id, user, scope, last use, expiry, state")
    ls.add_argument("--user", metavar="USERNAME")
    ls.set_defaults(func=run_list)
    i = verbs.add_parser(
        "issue", help="issue a token (not for accounts that use 2FA: they use the web page)"
    )
    i.add_argument("user", metavar="USERNAME")
    i.add_argument("--name", default="api")
    i.add_argument("--days", type=int, default=90)
    i.add_argument("--read-only", action="store_true")
    i.set_defaults(func=run_issue)
    r = verbs.add_parser("revoke", help="revoke one token by its id")
    r.add_argument("token_id", type=int, metavar="ID")
    r.set_defaults(func=run_revoke)


def _setup() -> None:
    from lentera.commands._django import setup

    setup()


def run_list(args: argparse.Namespace) -> int:
    _setup()
    from lentera.web.accounts.models import ApiToken

    rows = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
    if args.user:
        rows = rows.filter(user__username=args.user)
    print("id\tuser\tname\tscope\tcreated\tlast_used\texpires\tstate")
    for t in rows:
        state = "revoked" if t.revoked_at else ("active" if t.is_usable else "expired")
        print(
            "\t".join(
                str(x)
                for x in (
                    t.pk, t.user.username, t.name, "read" if t.read_only else "read-write",
                    f"{t.created_at:%Y-%m-%d}",
                    f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-",
                    f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "-", state,
                )
            )
        )  # fmt: skip
    return 0


def run_issue(args: argparse.Namespace) -> int:
    _setup()
    from lentera.web.accounts.models import User
    from lentera.web.accounts.services import api_token_issue

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise LenteraError("not_found", f"no active user {args.user!r}", kind="not_found")
    raw = api_token_issue(
        actor=None, user=user, name=args.name, days=args.days, read_only=args.read_only
    )
    print(f"API token (shown once): {raw}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    _setup()
    from lentera.web.accounts.models import ApiToken
    from lentera.web.accounts.services import api_token_revoke

    token = ApiToken.objects.filter(pk=args.token_id).first()
    if token is None:
        raise LenteraError("not_found", f"no token {args.token_id}", kind="not_found")
    api_token_revoke(actor=None, token=token)
    print(f"token {token.pk} of {token.user.username} revoked")
    return 0
