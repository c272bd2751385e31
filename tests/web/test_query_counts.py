"""The case list and detail, and the long lists paged by key, do a constant number of queries,
however much data (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm-up: the first request of a session also refreshes the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_case_list_queries_do_not_grow(worker_a: Any, build_case: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    build_case(worker_a)
    few = _count(client, "/cases/")
    for _ in range(6):
        build_case(worker_a, survivors=2)
    assert _count(client, "/cases/") == few
    assert few <= 12  # includes the read-audit row (names are listed)


def test_case_detail_queries_do_not_grow(worker_a: Any, build_case: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    small = build_case(worker_a, survivors=1)
    big = build_case(worker_a, survivors=4)
    n_small = _count(client, f"/cases/{small.pk}/")
    n_big = _count(client, f"/cases/{big.pk}/")
    assert n_small == n_big
    # django-otp asks each device type (TOTP, recovery codes); one query each for the undo
    # offer of a recent deletion and the unsaved-form draft offer
    assert n_big <= 23


def test_home_page_queries_do_not_grow_with_contacts_due(worker_a: Any) -> None:
    import datetime as dt

    from lentera.web.contacts import services as contacts

    client = Client()
    client.force_login(worker_a)
    due = dt.date(2025, 1, 1)

    def add() -> None:
        contacts.contact_create(
            actor=worker_a, channel="phone", reporter="family", concern="x", follow_up_due=due
        )

    add()
    few = _count(client, "/")
    for _ in range(6):
        add()
    assert _count(client, "/") == few


def _next(client: Client, url: str) -> str:
    """The URL of the page the first page's Next link leads to."""
    import re

    m = re.search(r'after=([\w-]+)" rel="next"', client.get(url).content.decode())
    assert m, "no Next link"
    return f"{url}{'&' if '?' in url else '?'}after={m.group(1)}"


@pytest.mark.parametrize("kind", ["contacts", "outreach", "audit", "referrals"])
def test_long_lists_page_by_key_in_queries_constant_in_n(
    kind: str, users_a: dict[str, Any], build_case: Any
) -> None:
    """Page 1 and a page further on by key cost the same queries with 60 rows or 600."""
    import _lists

    worker = users_a["caseworker"]
    viewer = users_a["supervisor"] if kind == "audit" else worker
    case = build_case(worker) if kind == "referrals" else None
    add = {
        "contacts": lambda n: _lists.contacts(worker, n, prefix=f"H{n}"),
        "outreach": lambda n: _lists.activities(worker, n),
        "audit": lambda n: _lists.audit_events(worker, n),
        "referrals": lambda n: _lists.referrals(worker, case, n),
    }[kind]
    url = {"contacts": "/contacts/", "outreach": "/outreach/", "audit": "/audit/",
           "referrals": "/referrals/sent/?status=all"}[kind]  # fmt: skip
    client = Client()
    client.force_login(viewer)
    add(60)
    few = (_count(client, url), _count(client, _next(client, url)))
    add(540)
    many = (_count(client, url), _count(client, _next(client, url)))
    assert many == few


LIST_PAGES = {
    "list": "/cases/",
    "name search": "/cases/?q=Sutinah%20Karto",
    "NIK search": "/cases/?q=5301054708990003",
    "case-number search": "/cases/?q=00001",
    "province + type filter": "/cases/?province=53&exploitation_type=forced_labour",
}


def test_case_list_search_and_filter_query_counts(worker_a: Any, build_case: Any) -> None:
    """Each list page: session, user, membership, organisation, the capped count, the page
    (with its survivor counts), the unread notifications and the audit row (lock the chain
    head, insert, move the head); a search adds the blind-index look-up and its matches. The
    two-factor device state comes from the session after the first request."""
    client = Client()
    client.force_login(worker_a)
    build_case(worker_a)
    counts = {label: _count(client, url) for label, url in LIST_PAGES.items()}
    for _ in range(4):
        build_case(worker_a, survivors=2)
    assert {label: _count(client, url) for label, url in LIST_PAGES.items()} == counts
    # before (bench_web_cpu.py, same pages): 16, 17, 16, 18, 16 (devices asked on every request,
    # the drafts cookie's owner read back, survivor counts in a query of their own)
    assert counts == {
        "list": 12,
        "name search": 14,
        "NIK search": 13,
        "case-number search": 14,
        "province + type filter": 12,
    }
