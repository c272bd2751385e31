"""The API's list endpoints answer cursors (issue 22) and keep their page numbers."""

from __future__ import annotations

from typing import Any

import pytest
from _lists import contacts
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_lists_answer_cursors_and_keep_page_numbers(worker_a: Any, worker_b: Any) -> None:
    from lentera.web.accounts.services import api_token_issue

    contacts(worker_a, 7, per_day=3)
    contacts(worker_b, 4, prefix="LAIN")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(actor=None, user=worker_a)}")
    first = c.get("/api/contacts?page_size=3").json()
    # the contract of before issue 22 is kept: count, page, pages, results
    assert (first["count"], first["page"], first["pages"]) == (7, 1, 3)
    assert not first["count_capped"] and first["previous"] is None and first["next"]
    numbers, answer = [r["number"] for r in first["results"]], first
    while answer["next"]:
        answer = c.get(f"/api/contacts?page_size=3&after={answer['next']}").json()
        assert answer["page"] is None and answer["count"] == 7
        numbers += [r["number"] for r in answer["results"]]
    assert len(numbers) == len(set(numbers)) == 7 and not any("LAIN" in n for n in numbers)
    back = c.get(f"/api/contacts?page_size=3&before={answer['previous']}").json()
    second = c.get("/api/contacts?page_size=3&page=2").json()
    assert back["results"] == second["results"] and second["page"] == 2
    assert c.get("/api/contacts?page_size=3&page=9").json()["page"] == 3  # the nearest page
    assert c.get("/api/contacts?after=not-a-cursor").status_code == 200
    b = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(actor=None, user=worker_b)}")
    assert b.get(f"/api/contacts?after={first['next']}").json()["count"] == 4
