"""The contact log: services (create, edit, close, convert), reminders, selectors, views, API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.models import Case
from lentera.web.contacts import selectors, services
from lentera.web.contacts.models import Contact
from lentera.web.contacts.reminders import missing_check_due, run_contact_reminders
from lentera.web.referrals.labels import notification_text
from lentera.web.referrals.models import Notification

pytestmark = pytest.mark.django_db


def _quick(actor: Any, **extra: Any) -> Contact:
    fields = {"channel": "whatsapp", "reporter": "family", "concern": "Anak tidak bisa dihubungi"}
    return services.contact_create(actor=actor, **{**fields, **extra})


def test_quick_entry_needs_three_fields_and_numbers_the_contact(worker_a: Any) -> None:
    c = _quick(worker_a)
    assert c.number.startswith(f"K-{c.organisation.code}-") and c.number.endswith("-0001")
    assert _quick(worker_a).number.endswith("-0002")
    assert c.status == "open" and c.handled_by == worker_a
    with pytest.raises(LenteraError) as exc:
        services.contact_create(actor=worker_a, channel="phone", reporter="family", concern=" ")
    assert exc.value.field == "concern"
    assert AuditEvent.objects.filter(object_type="contacts.contact", action="create").count() == 2


def test_concern_and_caller_are_encrypted_at_rest(worker_a: Any) -> None:
    c = _quick(worker_a, caller_name="Bu Marni", caller_phone="0812999")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT concern, caller_name, caller_phone FROM contacts_contact WHERE id=%s", [c.pk]
        )
        raw = " ".join(str(v) for v in cur.fetchone())
    assert "Marni" not in raw and "0812999" not in raw and "dihubungi" not in raw


def test_region_must_match_and_regency_fills_the_province(worker_a: Any) -> None:
    c = _quick(worker_a, regency="5302")
    assert c.province == "53"
    with pytest.raises(LenteraError) as exc:
        _quick(worker_a, province="31", regency="5302")
    assert exc.value.field == "regency"


def test_an_analyst_may_not_record_or_read_contacts(users_a: dict[str, Any]) -> None:
    with pytest.raises(LenteraError) as exc:
        _quick(users_a["analyst"])
    assert exc.value.kind == "forbidden"
    c = _quick(users_a["caseworker"])
    with pytest.raises(LenteraError):
        selectors.contact_get_for_user(actor=users_a["analyst"], contact_id=c.pk)


def test_another_organisation_cannot_read_or_change(worker_a: Any, worker_b: Any) -> None:
    c = _quick(worker_a)
    with pytest.raises(LenteraError) as exc:
        selectors.contact_get_for_user(actor=worker_b, contact_id=c.pk)
    assert exc.value.kind == "not_found"
    with pytest.raises(LenteraError):
        services.contact_update(actor=worker_b, contact=c, concern="x")
    assert not selectors.contacts_list_for_user(actor=worker_b).exists()


def test_stale_edit_is_refused(worker_a: Any) -> None:
    c = _quick(worker_a)
    services.contact_update(actor=worker_a, contact=c, version=1, risk="high")
    with pytest.raises(LenteraError) as exc:
        services.contact_update(actor=worker_a, contact=c, version=1, risk="low")
    assert exc.value.code == "stale_version"


def test_close_with_an_outcome_and_reopen(worker_a: Any) -> None:
    c = _quick(worker_a)
    with pytest.raises(LenteraError):
        services.contact_close(actor=worker_a, contact=c, outcome="case_opened")
    c = services.contact_close(actor=worker_a, contact=c, outcome="information")
    assert (c.status, c.outcome) == ("closed", "information") and c.closed_on
    c = services.contact_reopen(actor=worker_a, contact=c)
    assert c.status == "open" and c.closed_on is None


def test_convert_opens_a_case_with_the_facts_and_links_it(worker_a: Any) -> None:
    c = _quick(
        worker_a, regency="5302", missing_person=True, destination_country="MY",
        employer_agency="PT Maju Jaya", received_on=dt.date(2025, 2, 3),
    )  # fmt: skip
    case = services.contact_convert(actor=worker_a, contact=c)
    c.refresh_from_db()
    assert c.case == case and c.outcome == "case_opened" and c.status == "closed"
    assert case.summary == "Anak tidak bisa dihubungi"
    assert case.opened_on == dt.date(2025, 2, 3) and case.intake_channel == "family"
    events = {(e.stage, e.country, e.region_code) for e in case.events.all()}
    assert ("recruitment", "ID", "5302") in events and ("exploitation", "MY", "") in events
    note = case.notes.get().body
    assert c.number in note and "PT Maju Jaya" in note
    # converting again opens no second case
    assert services.contact_convert(actor=worker_a, contact=c) == case
    assert Case.objects.count() == 1


def test_missing_person_reminders_cycle_and_are_idempotent(users_a: dict[str, Any]) -> None:
    worker = users_a["caseworker"]
    start = dt.date(2025, 1, 1)
    c = _quick(
        worker, received_on=start, missing_person=True, reminder_days=7,
        follow_up_due=dt.date(2025, 1, 3),
    )  # fmt: skip
    assert c.concern_category == "missing"
    assert missing_check_due(c, start + dt.timedelta(days=6)) is None
    assert missing_check_due(c, start + dt.timedelta(days=15)) == start + dt.timedelta(days=14)
    run = run_contact_reminders(today=dt.date(2025, 1, 9))
    assert run.follow_ups == 1 and run.missing >= 2  # the worker and the supervisors
    assert run_contact_reminders(today=dt.date(2025, 1, 9)).created == 0
    assert run_contact_reminders(today=dt.date(2025, 1, 15)).missing >= 2  # next cycle
    for n in Notification.objects.filter(kind__startswith="contact_"):
        text = notification_text(n)
        assert c.number in text and "dihubungi" not in text
    services.contact_close(actor=worker, contact=c, outcome="referred")
    assert run_contact_reminders(today=dt.date(2025, 2, 1)).created == 0


def test_quick_entry_page_list_filter_detail_and_convert(worker_a: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    page = client.get("/contacts/new/")
    assert page.status_code == 200 and 'name="concern"' in page.content.decode()
    response = client.post(
        "/contacts/new/",
        {"channel": "phone", "reporter": "survivor", "concern": "Gaji tidak dibayar",
         "risk": "high", "urgency": "urgent"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = selectors.contacts_list_for_user(actor=worker_a).get()
    assert f">{contact.number}</a>" in client.get("/contacts/?status=open").content.decode()
    assert f">{contact.number}</a>" not in client.get("/contacts/?status=closed").content.decode()
    detail = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Gaji tidak dibayar" in detail
    bad = client.post("/contacts/new/", {"channel": "phone", "reporter": "survivor"})
    assert bad.status_code == 400
    response = client.post(f"/contacts/{contact.pk}/case/")
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    response = client.post(f"/contacts/{contact.pk}/edit/", {"channel": "phone"})
    assert response.status_code in {200, 400}


def test_api_list_get_create_scoped_and_audited(worker_a: Any, worker_b: Any) -> None:
    client = Client()
    client.force_login(worker_a)
    created = client.post(
        "/api/contacts",
        json.dumps({"channel": "walk_in", "reporter": "community", "concern": "Calo di desa",
                    "province": "53"}),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    listed = client.get("/api/contacts").json()
    assert listed["count"] == 1 and listed["results"][0]["concern"] == "Calo di desa"
    row = AuditEvent.objects.filter(object_type="contacts.contact", action="read").last()
    assert row.detail["ids"] == [cid]
    assert client.get(f"/api/contacts/{cid}").json()["number"].startswith("K-")
    other = Client()
    other.force_login(worker_b)
    assert other.get(f"/api/contacts/{cid}").status_code == 404
    assert other.get("/api/contacts").json()["count"] == 0
    bad = client.post(
        "/api/contacts", json.dumps({"channel": "fax"}), content_type="application/json"
    )
    assert bad.status_code == 422


def test_cli_contacts_remind(worker_a: Any, capsys: Any) -> None:
    from lentera.cli import main

    _quick(worker_a, received_on=dt.date(2025, 1, 1), missing_person=True, reminder_days=3)
    assert main(["contacts", "remind", "--date", "2025-01-04"]) == 0
    assert "contact reminders created: " in capsys.readouterr().out
    assert main(["contacts", "remind", "--date", "2025-01-04"]) == 0
    assert "created: 0 " in capsys.readouterr().out


def test_home_page_panel_lists_contacts_due_without_identity(users_a: dict[str, Any]) -> None:
    """Caseworkers see open contacts due for follow-up and missing-person checks due on the
    home page (numbers and dates only); an analyst's home page has no contact panel."""
    worker = users_a["caseworker"]
    today = timezone.localdate()
    due = _quick(worker, caller_name="Bu Marni", follow_up_due=today - dt.timedelta(days=1))
    later = _quick(worker, follow_up_due=today + dt.timedelta(days=5))
    missing = _quick(
        worker, missing_person=True, reminder_days=7, received_on=today - dt.timedelta(days=8)
    )
    fresh = _quick(worker, missing_person=True, reminder_days=7, received_on=today)
    panel = selectors.home_panel(worker)
    assert panel is not None
    assert [c.pk for c in panel.context["due"]] == [due.pk, missing.pk]
    assert panel.context["counts"]["missing_due"] == 1 and panel.context["counts"]["open"] == 4
    client = Client()
    client.force_login(worker)
    body = client.get("/").content.decode()
    section = body.split('id="home-contacts"')[1].split("</section>")[0]
    assert due.number in section and missing.number in section
    assert later.number not in section and fresh.number not in section
    assert "Marni" not in section and "dihubungi" not in section
    analyst = Client()
    analyst.force_login(users_a["analyst"])
    assert 'id="home-contacts"' not in analyst.get("/").content.decode()
