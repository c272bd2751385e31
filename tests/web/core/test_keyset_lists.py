"""Long lists page by key with a capped count (issue 22): the audit log, the referral lists,
contacts, outreach, and the API's list endpoints (``lentera.web.core.keyset``)."""

from __future__ import annotations

from typing import Any

import pytest
from _lists import activities, audit_events, contacts, walk
from django.test import Client

from lentera.web.contacts.models import Contact
from lentera.web.core import keyset
from lentera.web.reintegration.models import ReintegrationFollowUp

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _numbers(qs: Any) -> list[str]:
    return [c.number for c in qs]


def test_pages_by_key_forward_and_back_across_ties(worker_a: Any) -> None:
    contacts(worker_a, 23, per_day=5)  # five contacts a day: every page boundary is a tie
    qs = Contact.objects.filter(organisation=worker_a.membership.organisation)
    expected = _numbers(qs.order_by("-received_on", "-id"))
    pages, page = [], keyset.keyset_page(qs, size=4)
    pages.append(_numbers(page))
    while page.has_next:
        page = keyset.keyset_page(qs, after=page.next_key, size=4)
        pages.append(_numbers(page))
    assert [n for p in pages for n in p] == expected and len(pages) == 6
    back = [pages[-1]]
    while page.has_previous:
        page = keyset.keyset_page(qs, before=page.previous_key, size=4)
        back.append(_numbers(page))
    assert back[::-1] == pages
    # an ascending order (the follow-up schedule's) keys the same way
    assert keyset.order_of(ReintegrationFollowUp.objects.all()) == ["due_date", "id"]


def test_count_is_capped_and_bad_keys_give_the_first_page(worker_a: Any) -> None:
    contacts(worker_a, 12)
    qs = Contact.objects.filter(organisation=worker_a.membership.organisation)
    page = keyset.keyset_page(qs, size=5, count_cap=10)
    assert page.count == 10 and page.count_capped
    exact = keyset.keyset_page(qs, size=5)
    assert exact.count == 12 and not exact.count_capped
    first = _numbers(exact)
    for bad in ("", "zzz", "W10", "WyIyMDI1LTAxLTAxIl0", "x" * 500):  # W10 = [], one value only
        assert _numbers(keyset.keyset_page(qs, after=bad, size=5)) == first
        assert _numbers(keyset.keyset_page(qs, before=bad, size=5)) == first


def test_an_old_page_link_still_works_and_is_bounded(
    worker_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    contacts(worker_a, 30)
    qs = Contact.objects.filter(organisation=worker_a.membership.organisation)
    expected = _numbers(qs.order_by("-received_on", "-id"))
    page = keyset.keyset_page(qs, page=2, size=10)
    assert page.number == 2 and _numbers(page) == expected[10:20]
    assert _numbers(keyset.keyset_page(qs, after=page.next_key, size=10)) == expected[20:]
    assert _numbers(keyset.keyset_page(qs, before=page.previous_key, size=10)) == expected[:10]
    past = keyset.keyset_page(qs, page=99, size=10)  # past the end: the last page
    assert past.number == 3 and _numbers(past) == expected[20:]
    monkeypatch.setattr(keyset, "MAX_OFFSET", 20)  # a page number reaches 20 rows at most
    assert keyset.keyset_page(qs, page=3, size=10).number == 2


def test_contact_list_pages_by_key_and_never_shows_another_organisation(
    worker_a: Any, worker_b: Any
) -> None:
    contacts(worker_a, 60, per_day=7)
    contacts(worker_b, 30, prefix="LAIN")
    forward, backward = walk(_client(worker_a), "/contacts/", r">(H-\d{4})</a>")
    seen = [n for p in forward for n in p]
    assert len(forward) == 3 and len(seen) == 60 == len(set(seen))
    assert backward[::-1] == forward
    page = _client(worker_a).get("/contacts/?page=2").content.decode()  # an old link
    assert forward[1][0] in page and "LAIN-" not in page
    assert "LAIN-" not in "".join(_client(worker_a).get("/contacts/").content.decode())


def test_outreach_and_audit_lists_page_by_key(users_a: dict[str, Any], worker_b: Any) -> None:
    worker = users_a["caseworker"]
    activities(worker, 55)
    activities(worker_b, 10)
    forward, backward = walk(_client(worker), "/outreach/", r"(Desa\d{4})")
    assert sum(len(p) for p in forward) == 55 and backward[::-1] == forward
    audit_events(worker, 120)
    audit_events(worker_b, 5)
    forward, backward = walk(
        _client(users_a["supervisor"]), "/audit/?action=view", r"Kasus no\. (\d+)|#(\d+)"
    )
    rows = [r for p in forward for r in p]
    assert len(forward) == 3 and len(rows) == len(set(rows)) == 120
    assert backward[::-1] == forward


def test_an_order_through_a_relation_pages_by_number_only() -> None:
    """An order that cannot be keyed (a related field) gives no key, only page numbers."""
    qs = ReintegrationFollowUp.objects.order_by("plan__return_date")
    page = keyset.keyset_page(qs, page=1)
    assert page.next_key == "" and keyset.row_key(ReintegrationFollowUp(), ["plan__x"]) == ""


def test_the_pager_says_more_than_1000_above_the_cap(worker_a: Any) -> None:
    from django.template.loader import render_to_string

    page = keyset.KeysetPage([], keyset.COUNT_CAP, True, next_key="k")
    html = render_to_string("core/_keyset_pager.html", {"page": page, "query": ""})
    assert "Lebih dari 1.000" in html and 'after=k" rel="next"' in html


def test_an_order_by_expression_pages_by_offset_without_keys(worker_a: Any) -> None:
    """A query sorted by an expression (the case search sorts its few matches so) cannot be
    keyed: it pages by number, in its own order, and carries no Next/Previous keys."""
    from django.db.models import F

    contacts(worker_a, 7, per_day=2)
    qs = Contact.objects.filter(organisation=worker_a.membership.organisation).order_by(
        F("received_on").desc(), "-id"
    )
    expected = _numbers(qs)
    first = keyset.keyset_page(qs, page=1, size=3)
    second = keyset.keyset_page(qs, page=2, size=3)
    assert _numbers(first) + _numbers(second) == expected[:6]
    assert not first.next_key and not first.previous_key and second.number == 2
