"""The referral dashboard does a constant number of queries, however many referrals, overdue
actions and legal deadlines there are (the N+1 fixed by hand in 257cf77 stays fixed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _referral_kit import record_consent, send_referral
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lentera.web.referrals import services

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm-up: the first request of a session also refreshes the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busy_case(worker: Any, build_case: Any, provider: Any) -> None:
    """One more case with a referral, an overdue support action and a legal deadline."""
    link = build_case(worker).survivors.first()
    record_consent(worker, link, ["name"])
    send_referral(worker, link, provider)
    today = timezone.localdate()
    services.action_save(
        actor=worker,
        link=link,
        data={
            "service_type": "shelter",
            "objective": "Rumah aman",
            "planned_end": today - dt.timedelta(days=3),
        },
    )
    services.legal_step_add(
        actor=worker, case=link.case, step="police_report", date=today - dt.timedelta(days=400)
    )


def test_dashboard_queries_do_not_grow(setup: dict[str, Any], build_case: Any) -> None:
    supervisor = setup["a"]["supervisor"]
    worker = setup["a"]["caseworker"]
    client = Client()
    client.force_login(supervisor)
    _busy_case(worker, build_case, setup["external"])
    few = _count(client, "/referrals/")
    for _ in range(4):
        _busy_case(worker, build_case, setup["external"])
    assert _count(client, "/referrals/") == few
