"""API (organisation-scoped), submission import (all or nothing), reminders (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _rss import FULL
from django.core import mail
from django.test import Client

from lentera.web.referrals.labels import notification_text
from lentera.web.referrals.models import Notification
from lentera.web.reintegration import imports
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.models import ReintegrationFollowUp, RssScore
from lentera.web.reintegration.reminders import run_reminders

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_api_plans_followups_scores(plan: Any, worker_a: Any, worker_b: Any) -> None:
    c = _client(worker_a)
    data = c.get("/api/reintegration/plans").json()
    assert data["count"] == 1 and data["results"][0]["id"] == plan.pk
    f = plan.followups.get(months=0)
    fu = c.get(f"/api/reintegration/followups?plan_id={plan.pk}").json()
    assert fu["count"] == 4 and fu["results"][0]["code"] == f"RF-{f.pk}"
    r = c.post(
        "/api/reintegration/scores", {"followup_id": f.pk, "answers": FULL},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["code"] == "not_reached"
    ri.followup_record(actor=worker_a, followup=f, outcome="reached", done_on=dt.date(2025, 2, 1))
    r = c.post(
        "/api/reintegration/scores", {"followup_id": f.pk, "answers": FULL},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert c.get(f"/api/reintegration/scores/{sid}").json()["catalogue"].startswith("iom-rss")
    other = _client(worker_b)
    assert other.get(f"/api/reintegration/scores/{sid}").status_code == 404
    assert other.get(f"/api/reintegration/plans/{plan.pk}").status_code == 404
    assert other.get("/api/reintegration/plans").json()["count"] == 0


def test_api_create_plan(worker_a: Any, build_case: Any, worker_b: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    body = {"person_id": person.pk, "case_id": case.pk, "return_date": "2025-03-01"}
    assert (
        _client(worker_b)
        .post("/api/reintegration/plans", body, content_type="application/json")
        .status_code
        == 404
    )
    r = _client(worker_a).post("/api/reintegration/plans", body, content_type="application/json")
    assert r.status_code == 201


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = sorted({k for r in rows for k in r})
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_import_matches_by_code_and_by_case_and_date(plan: Any, worker_a: Any) -> None:
    f0 = plan.followups.get(months=0)
    rows = [
        {"survivor": f"RF-{f0.pk}", "visit_date": "2025-02-02", "outcome": "completed",
         "economic/work": "regular", "social/housing": "good"},
        {"survivor": plan.case.reference, "visit_date": "2025-05-03", "outcome": "not_reached"},
    ]  # fmt: skip
    dry = imports.submissions_import(actor=worker_a, filename="rss.csv", content=_csv(rows))
    assert dry.matched == 2 and not dry.problems and not dry.written
    assert not ReintegrationFollowUp.objects.exclude(outcome="").exists()
    report = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=_csv(rows), dry_run=False
    )
    assert report.written and report.scored == 1
    assert plan.followups.get(months=3).outcome == "not_reached"
    assert RssScore.objects.get(followup=f0).answers["economic.work"] == "regular"


def test_import_with_a_bad_row_writes_nothing(plan: Any, worker_a: Any) -> None:
    f0 = plan.followups.get(months=0)
    rows = [
        {"survivor": f"RF-{f0.pk}", "visit_date": "2025-02-02", "outcome": "completed",
         "economic/work": "regular"},
        {"survivor": f"RF-{f0.pk + 1}", "visit_date": "2025-05-03", "outcome": "completed",
         "economic/work": "sometimes"},
        {"survivor": "TIDAK-ADA", "visit_date": "2025-05-03", "outcome": "refused"},
    ]  # fmt: skip
    report = imports.submissions_import(
        actor=worker_a, filename="rss.csv", content=_csv(rows), dry_run=False
    )
    assert not report.written
    assert [(p.row, p.field) for p in report.problems] == [(3, "economic.work"), (4, "survivor")]
    assert not ReintegrationFollowUp.objects.exclude(outcome="").exists()
    assert not RssScore.objects.exists()


def test_import_page(plan: Any, worker_a: Any, run_queued: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    f0 = plan.followups.get(months=0)
    content = _csv([{"survivor": f"RF-{f0.pk}", "visit_date": "2025-02-02", "outcome": "refused"}])
    client = _client(worker_a)
    r = client.post(
        "/reintegration/import/", {"file": SimpleUploadedFile("rss.csv", content), "dry_run": ""}
    )
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")  # the worker imports
    f0.refresh_from_db()
    assert f0.outcome == ""
    (job,) = run_queued()
    assert job.kind == "reintegration_import" and job.status == "succeeded", job.error_message
    assert job.result["written"] and job.result["matched"] == 1
    assert job.actor_id == worker_a.pk
    f0.refresh_from_db()
    assert f0.outcome == "refused"
    client.cookies["lentera_language"] = "en"
    assert "Imported." in client.get(r["Location"]).content.decode()


def test_reminders_are_idempotent_and_name_no_one(plan: Any, worker_a: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    worker_a.email = "w@example.org"
    worker_a.save()
    first = run_reminders(today=dt.date(2025, 5, 5), email=True)
    assert first.created >= 2  # at return and 3 months, overdue
    again = run_reminders(today=dt.date(2025, 5, 5), email=True)
    assert again.created == 0 and again.emailed == 0
    n = Notification.objects.filter(kind__startswith="reintegration_").first()
    text = notification_text(n)
    assert plan.case.reference in text and "reintegration_" not in text
    body = "".join(m.body + m.subject for m in mail.outbox)
    assert "Sutinah" not in body and plan.case.reference in body
