"""Referral pages and API for sender and receiver, the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _referral_kit import record_consent, send_referral
from django.test import Client
from django.utils import timezone

from lentera.web.referrals import services
from lentera.web.referrals.models import (
    Referral,
)
from lentera.web.referrals.selectors import dashboard_for_user

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- pages and API


def test_pages_render_for_sender_and_receiver(setup: dict[str, Any]) -> None:
    worker, link, case = setup["a"]["supervisor"], setup["link"], setup["case"]
    record_consent(worker, link, ["name"])
    r = send_referral(worker, link, setup["internal"])
    c = Client()
    c.force_login(worker)
    for url in [
        "/referrals/",
        "/referrals/sent/?status=all",
        "/referrals/inbox/",
        "/referrals/directory/",
        "/referrals/directory/new/",
        f"/referrals/directory/{setup['internal'].pk}/",
        "/referrals/directory/import/",
        f"/referrals/{r.pk}/",
        f"/referrals/survivors/{link.pk}/new/",
        f"/referrals/survivors/{link.pk}/plan/",
        f"/referrals/cases/{case.pk}/legal-process/",
        "/referrals/notifications/",
        f"/cases/{case.pk}/",
    ]:
        resp = c.get(url)
        assert resp.status_code == 200, url
    assert c.get("/referrals/directory/template.xlsx").status_code == 200
    resp = c.post(
        f"/referrals/survivors/{link.pk}/new/",
        {
            "provider": setup["external"].pk,
            "services": ["legal"],
            "reason": "Pendampingan hukum",
            "urgency": "normal",
            "shared_fields": ["name"],
        },
    )
    assert resp.status_code == 302
    bad = c.post(
        f"/referrals/survivors/{link.pk}/new/",
        {
            "provider": setup["external"].pk,
            "services": ["shelter"],
            "reason": "x",
            "urgency": "normal",
        },
    )
    assert bad.status_code == 400 and "tidak menawarkan" in bad.content.decode()
    b = Client()
    b.force_login(setup["b"]["caseworker"])
    resp = b.post(f"/referrals/{r.pk}/status/", {"to_status": "accepted", "version": r.version})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.status == "accepted"


def test_api_directory_and_referrals(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    c = Client()
    c.force_login(worker)
    resp = c.post(
        "/api/providers",
        {
            "name": "Puskesmas",
            "institution_type": "health",
            "services": ["health"],
            "regency_codes": ["5301"],
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    bad = c.post(
        "/api/providers",
        {"name": "X", "institution_type": "health", "services": ["spa"], "nationwide": True},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "services"
    assert c.get("/api/providers?region=53&service=health").json()["count"] == 1
    body = {
        "survivor_id": link.pk,
        "provider_id": setup["external"].pk,
        "services": ["legal"],
        "reason": "Pendampingan hukum",
    }
    resp = c.post("/api/referrals", body, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "consent_required"
    record_consent(worker, link, ["sex_age"])
    resp = c.post("/api/referrals", body, content_type="application/json")
    assert resp.status_code == 201
    data = resp.json()
    assert data["shared_fields"] == ["sex_age"] and "full_name" not in data["payload"]
    assert data["allowed_transitions"] == ["accepted", "declined", "cancelled"]
    rid = data["id"]
    resp = c.post(
        f"/api/referrals/{rid}/status", {"status": "completed"}, content_type="application/json"
    )
    assert resp.status_code == 409
    resp = c.post(
        f"/api/referrals/{rid}/status",
        {"status": "accepted", "version": 1, "note": "Diterima, jadwal Senin"},
        content_type="application/json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "accepted"
    assert Referral.objects.get(pk=rid).events.get(to_status="accepted").note == (
        "Diterima, jadwal Senin"
    )
    assert c.get("/api/referrals?status=open").json()["count"] == 1
    assert "/api/referrals" in c.get("/api/openapi.json").content.decode()


def test_dashboard_kpis(setup: dict[str, Any]) -> None:
    worker, sup, link = setup["a"]["caseworker"], setup["a"]["supervisor"], setup["link"]
    record_consent(worker, link, ["name"])
    r1 = send_referral(worker, link, setup["external"], services=["legal"])
    r2 = send_referral(worker, link, setup["external"], services=["legal"])
    send_referral(worker, link, setup["external"], services=["legal"])
    Referral.objects.filter(pk=r1.pk).update(sent_at=timezone.now() - dt.timedelta(days=4))
    services.referral_transition(actor=worker, referral=r1, to_status="accepted")
    services.referral_transition(actor=worker, referral=r2, to_status="declined", reason="penuh")
    data = dashboard_for_user(actor=sup, today=timezone.localdate() + dt.timedelta(days=30))
    kpi = next(p for p in data["providers"] if p.name == "LBH Kupang")
    assert (kpi.sent, kpi.accepted, kpi.declined, kpi.pending) == (3, 1, 1, 1)
    assert kpi.acceptance_rate == 0.5 and kpi.median_days_to_accept == 4.0
    assert {r.pk for r in data["overdue_referrals"]} == {r1.pk} | {
        r.pk for r in Referral.objects.filter(status="sent")
    }
    assert data["everyone"] and data["caseload"][0]["n"] >= 1
    mine = dashboard_for_user(actor=setup["a"]["legal"])
    assert mine["my_open"] == [] and mine["caseload"] == []


def test_buttons_follow_the_flow_and_the_heading_says_what_the_box_does(
    setup: dict[str, Any],
) -> None:
    """After Accept the receiver sees Service started before Completed; a sender whose only
    action is to cancel reads "Batalkan rujukan ini", not "Ubah" (ux-review, referral page)."""
    from lentera.web.referrals.selectors import allowed_transitions

    worker = setup["a"]["supervisor"]
    record_consent(worker, setup["link"], ["name"])
    r = send_referral(worker, setup["link"], setup["internal"])
    b = Client()
    b.force_login(setup["b"]["caseworker"])
    b.post(f"/referrals/{r.pk}/status/", {"to_status": "accepted", "version": r.version})
    r.refresh_from_db()
    assert allowed_transitions(r, "receiver") == ["in_service", "completed"]
    page = b.get(f"/referrals/{r.pk}/").content.decode()
    assert page.index("Layanan dimulai") < page.index("Selesai")
    a = Client()
    a.force_login(worker)
    page = a.get(f"/referrals/{r.pk}/").content.decode()
    assert "Batalkan rujukan ini" in page and "<h2>Ubah</h2>" not in page
