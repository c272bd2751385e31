"""Support plans and follow-ups, legal-process steps and restitution dates, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _referral_kit import NAME, add_provider, record_consent, send_referral
from django.core import mail
from django.test import Client
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.assessments.models import RestitutionClaim
from lentera.web.assessments.services import restitution_save
from lentera.web.referrals import services
from lentera.web.referrals.models import (
    LegalStep,
    Notification,
)
from lentera.web.referrals.reminders import run_reminders

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- support plan & follow-ups


def test_support_plan_and_follow_ups(setup: dict[str, Any]) -> None:
    worker, link, case = setup["a"]["caseworker"], setup["link"], setup["case"]
    today = timezone.localdate()
    action = services.action_save(
        actor=worker,
        link=link,
        data={
            "service_type": "psychosocial",
            "objective": "Konseling trauma",
            "planned_start": today - dt.timedelta(days=10),
            "planned_end": today + dt.timedelta(days=30),
            "next_follow_up": today - dt.timedelta(days=1),
            "responsible": worker,
        },
    )
    with pytest.raises(LenteraError) as exc:
        services.action_save(
            actor=worker,
            link=link,
            action=action,
            data={"planned_end": today - dt.timedelta(days=20), "version": 1},
        )
    assert exc.value.field in {"planned_end", "__all__", None}
    with pytest.raises(LenteraError) as exc:
        services.action_save(actor=worker, link=link, action=action, data={"version": 7})
    assert exc.value.kind == "conflict"
    action.refresh_from_db()
    f = services.follow_up_add(
        actor=worker,
        case=case,
        action=action,
        note="Hadir sesi 1",
        next_follow_up=today + dt.timedelta(days=7),
    )
    action.refresh_from_db()
    assert action.next_follow_up == today + dt.timedelta(days=7) and f.note == "Hadir sesi 1"
    with pytest.raises(LenteraError):
        services.follow_up_add(
            actor=worker,
            case=case,
            action=action,
            note="x",
            next_follow_up=today - dt.timedelta(days=3),
        )
    done = services.action_save(
        actor=worker, link=link, action=action, data={"status": "done", "version": action.version}
    )
    assert done.actual_end == today and done.next_follow_up is None
    other = setup["b"]["caseworker"]
    with pytest.raises(LenteraError) as exc:
        services.action_save(
            actor=other, link=link, data={"service_type": "health", "objective": "x"}
        )
    assert exc.value.kind == "not_found"


# --------------------------------------------------------------------------- legal process


def test_legal_steps_validate_and_sync_restitution(setup: dict[str, Any]) -> None:
    legal, case, link = setup["a"]["legal"], setup["case"], setup["link"]
    restitution_save(actor=legal, link=link, fields={"suffering": 5_000_000}, version=None)
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(actor=legal, case=case, step="verdict", date=dt.date(2026, 1, 5))
    assert exc.value.code == "survivor_required"
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(
            actor=legal,
            case=case,
            step="police_report",
            date=timezone.localdate() + dt.timedelta(days=2),
        )
    assert exc.value.code == "date_future"
    with pytest.raises(LenteraError) as exc:
        services.legal_step_add(actor=legal, case=case, step="bogus", date=dt.date(2026, 1, 5))
    assert exc.value.code == "code_unknown"
    services.legal_step_add(
        actor=legal,
        case=case,
        step="verdict",
        date=dt.date(2025, 9, 1),
        link=link,
        amount=20_000_000,
    )
    services.legal_step_add(
        actor=legal, case=case, step="final_judgment_notified", date=dt.date(2025, 10, 1), link=link
    )
    claim = RestitutionClaim.objects.get(case_survivor=link)
    assert claim.final_judgment_notified_on == dt.date(2025, 10, 1) and claim.paid_on is None
    p1 = services.legal_step_add(
        actor=legal,
        case=case,
        step="restitution_paid",
        date=dt.date(2025, 10, 5),
        link=link,
        amount=5_000_000,
    )
    claim.refresh_from_db()
    assert claim.paid_on is None  # partial
    services.legal_step_add(
        actor=legal,
        case=case,
        step="restitution_paid",
        date=dt.date(2025, 10, 9),
        link=link,
        amount=15_000_000,
    )
    claim.refresh_from_db()
    assert claim.paid_on == dt.date(2025, 10, 9)
    services.legal_step_delete(actor=legal, row=p1)
    claim.refresh_from_db()
    assert claim.paid_on is None
    client = Client()
    client.force_login(legal)
    page = client.get(f"/referrals/cases/{case.pk}/legal-process/").content.decode()
    assert "Pasal 48 ayat (6)" in page  # the deadline label names the rule
    assert LegalStep.objects.filter(case=case).count() == 3


def test_legal_step_checks_survivor_date_and_amount_in_turn(setup: dict[str, Any]) -> None:
    legal, case, link = setup["a"]["legal"], setup["case"], setup["link"]
    refused = [
        # (the step asked for, the code and field of the refusal)
        ({"step": "police_report", "date": dt.date(1989, 12, 31)}, ("date_old", "date")),
        ({"step": "verdict", "date": dt.date(2025, 9, 1), "link": link, "amount": -1},
         ("negative", "amount")),
        ({"step": "restitution_paid", "date": dt.date(2025, 9, 1), "link": link},
         ("required", "amount")),
        # the date is checked before the amount, the survivor before the date
        ({"step": "verdict", "date": None, "link": link, "amount": -1}, ("required", "date")),
        ({"step": "verdict", "date": None, "amount": -1}, ("survivor_required", "survivor")),
    ]  # fmt: skip
    for given, (code, field) in refused:
        with pytest.raises(LenteraError) as exc:
            services.legal_step_add(actor=legal, case=case, **given)
        assert (exc.value.code, exc.value.field) == (code, field), given
    assert not LegalStep.objects.filter(case=case).exists()
    row = services.legal_step_add(
        actor=legal, case=case, step="police_report", date=dt.date(2025, 1, 2), link=link, amount=5
    )
    assert (row.case_survivor, row.amount) == (None, None)  # a step of the whole case


# --------------------------------------------------------------------------- reminders


def test_reminders_idempotent_and_emailed(setup: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    worker, link = setup["a"]["caseworker"], setup["link"]
    worker.email = "pekerja@example.org"
    worker.save()
    record_consent(worker, link, ["name"])
    r = send_referral(worker, link, setup["external"], services=["legal"])
    later = r.due_date + dt.timedelta(days=1)
    first = run_reminders(today=later, email=True)
    assert first.created >= 1
    n = Notification.objects.get(user=worker, kind="referral_overdue")
    assert r.number in mail.outbox[0].subject or r.number in mail.outbox[0].body
    assert NAME not in mail.outbox[0].body
    again = run_reminders(today=later, email=True)
    assert again.created == 0 and again.emailed == 0
    assert Notification.objects.filter(user=worker, kind="referral_overdue").count() == 1
    services.referral_transition(actor=worker, referral=r, to_status="accepted")
    services.referral_transition(actor=worker, referral=r, to_status="completed")
    assert run_reminders(today=later + dt.timedelta(days=5)).created == 0
    client = Client()
    client.force_login(worker)
    assert "Rujukan" in client.get("/referrals/notifications/").content.decode()
    resp = client.get(f"/referrals/notifications/{n.pk}/")
    assert resp.status_code == 302 and resp["Location"] == f"/referrals/{r.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None


# --------------------------------------------------------------------------- nothing typed is lost


def _logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rejected_field_never_wipes_its_neighbours(worker_a: Any, build_case: Any) -> None:
    """A follow-up with a future date comes back with the note and the date still typed."""
    case = build_case(worker_a)
    link = case.survivors.first()
    record_consent(worker_a, link, ["name"])
    referral = send_referral(worker_a, link, add_provider(worker_a))
    page = _logged_in(worker_a).post(
        f"/referrals/{referral.pk}/follow-up/",
        {"done_on": "2099-01-01", "note": "Sudah di rumah aman, sehat."},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "Sudah di rumah aman, sehat." in html and 'value="2099-01-01"' in html
    assert 'id="top-errors"' in html and "autofocus" in html
