"""Keyset pagination of the case list and its capped count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lentera.web.cases import selectors, services
from lentera.web.cases.selectors import case_page as case_page_module
from lentera.web.cases.selectors.case_page import parse_case_key

pytestmark = pytest.mark.django_db


def _open(actor: Any, n: int) -> list[Any]:
    # three cases a day, so several share an opened_on and the id breaks the tie
    return [
        services.case_open(
            actor=actor, status="active", opened_on=dt.date(2026, 1, 1) + dt.timedelta(days=i // 3)
        )
        for i in range(n)
    ]


def _walk(actor: Any, size: int) -> list[list[int]]:
    pages, key = [], None
    while True:
        page = selectors.case_page_for_user(actor=actor, after=key, size=size)
        pages.append([c.pk for c in page.object_list])
        if not page.has_next:
            return pages
        key = page.next_key


def test_next_links_walk_every_case_once_in_list_order(worker_a: Any) -> None:
    cases = _open(worker_a, 11)
    expected = [c.pk for c in sorted(cases, key=lambda c: (c.opened_on, c.pk), reverse=True)]
    pages = _walk(worker_a, size=4)
    assert [len(p) for p in pages] == [4, 4, 3]
    assert [pk for p in pages for pk in p] == expected


def test_previous_link_returns_the_page_before(worker_a: Any) -> None:
    _open(worker_a, 11)
    first = selectors.case_page_for_user(actor=worker_a, size=4)
    assert not first.has_previous
    second = selectors.case_page_for_user(actor=worker_a, after=first.next_key, size=4)
    third = selectors.case_page_for_user(actor=worker_a, after=second.next_key, size=4)
    back = selectors.case_page_for_user(actor=worker_a, before=third.previous_key, size=4)
    assert [c.pk for c in back.object_list] == [c.pk for c in second.object_list]
    top = selectors.case_page_for_user(actor=worker_a, before=back.previous_key, size=4)
    assert [c.pk for c in top.object_list] == [c.pk for c in first.object_list]
    assert not top.has_previous


def test_count_is_exact_below_the_cap_and_capped_above(
    worker_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _open(worker_a, 5)
    page = selectors.case_page_for_user(actor=worker_a)
    assert (page.count, page.count_capped) == (5, False)
    monkeypatch.setattr(case_page_module, "COUNT_CAP", 3)
    page = selectors.case_page_for_user(actor=worker_a)
    assert (page.count, page.count_capped) == (3, True)


def test_a_hand_edited_key_shows_the_first_page(worker_a: Any) -> None:
    _open(worker_a, 2)
    assert parse_case_key("not-a-key") is None
    page = selectors.case_page_for_user(actor=worker_a, after="2026-99-01.x")
    assert len(page.object_list) == 2


def test_list_page_links_carry_the_key_and_the_filters(
    worker_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_a = Client()
    client_a.force_login(worker_a)
    _open(worker_a, 30)
    html = client_a.get("/cases/?status=active").content.decode()
    page = selectors.case_page_for_user(actor=worker_a)
    assert f"status=active&amp;after={page.next_key}" in html
    assert "30 cases" in html or "30 kasus" in html
    second = client_a.get(f"/cases/?status=active&after={page.next_key}").content.decode()
    assert "before=" in second
    monkeypatch.setattr(case_page_module, "COUNT_CAP", 10)
    html = client_a.get("/cases/").content.decode()
    assert "More than 1,000 cases" in html or "Lebih dari 1.000 kasus" in html


def test_paging_back_to_the_top_reads_the_list_once(
    worker_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back at the top, the first page is served without a second (audited) list read."""
    _open(worker_a, 6)
    first = selectors.case_page_for_user(actor=worker_a, size=4)
    second = selectors.case_page_for_user(actor=worker_a, after=first.next_key, size=4)
    calls = []
    real = case_page_module.case_list_for_user

    def counted(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(case_page_module, "case_list_for_user", counted)
    top = selectors.case_page_for_user(actor=worker_a, before=second.previous_key, size=4)
    assert len(calls) == 1
    assert [c.pk for c in top.object_list] == [c.pk for c in first.object_list]
    assert top.previous_key == ""


def test_a_name_search_pages_in_list_order(worker_a: Any) -> None:
    """A search's few matches are sorted by the page query itself (not read in the list index's
    order): the pages still walk every match once, newest first, and page back."""
    cases = _open(worker_a, 11)
    for case in cases[1:]:  # the first case has no such survivor
        services.case_survivor_create(
            actor=worker_a, case=case, person_fields={"full_name": "Sari Dewi", "sex": "female"}
        )
    found = sorted(cases[1:], key=lambda c: (c.opened_on, c.pk), reverse=True)
    filters = selectors.CaseFilters(q="Sari Dewi")
    pages, key = [], None
    while True:
        page = selectors.case_page_for_user(actor=worker_a, filters=filters, after=key, size=4)
        pages.append([c.pk for c in page.object_list])
        if not page.has_next:
            break
        key = page.next_key
    assert [pk for p in pages for pk in p] == [c.pk for c in found]
    assert [len(p) for p in pages] == [4, 4, 2]
    back = selectors.case_page_for_user(
        actor=worker_a, filters=filters, before=page.previous_key, size=4
    )
    assert [c.pk for c in back.object_list] == pages[1]


@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_deep_page_seeks_the_list_index_to_its_key(worker_a: Any, direction: str) -> None:
    """The page after (or before) a key reads the list index from the key on: SQLite's plan
    for the page query names the bound on ``opened_on`` in its index search. Without the first
    field's bound given on its own, SQLite walks every row before the key for the ``OR``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("the plan checked here is SQLite's; PostgreSQL plans its own way")
    _open(worker_a, 12)
    first = selectors.case_page_for_user(actor=worker_a, size=3)
    second = selectors.case_page_for_user(actor=worker_a, after=first.next_key, size=3)
    third = selectors.case_page_for_user(actor=worker_a, after=second.next_key, size=3)
    key = second.next_key if direction == "after" else third.previous_key
    with CaptureQueriesContext(connection) as ctx:
        selectors.case_page_for_user(actor=worker_a, size=3, **{direction: key})
    page_sql = [
        q["sql"]
        for q in ctx.captured_queries
        if "ORDER BY" in q["sql"] and not q["sql"].startswith("SELECT COUNT(*)")
    ]
    assert page_sql, ctx.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page_sql[-1])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "opened_on<" in plan.replace(" ", "") or "opened_on>" in plan.replace(" ", ""), plan
