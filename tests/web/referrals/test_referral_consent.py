"""Referrals and consent: refusal without consent, the supervisor override, only the consented
categories pass, anonymisation and withdrawal erase what was shared."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from _referral_kit import NAME, NIK, PHONE, docx_text, record_consent, send_referral
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.cases.selectors import person_export_data
from lentera.web.cases.services import consent_withdraw, person_anonymise
from lentera.web.referrals.letter import letter_file
from lentera.web.referrals.models import (
    Notification,
    Referral,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- consent


def _denials(link: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="denied", object_id=str(link.pk)).order_by("id"))


def test_refused_without_consent_and_refusal_audited(setup: dict[str, Any]) -> None:
    link = setup["link"]
    with pytest.raises(LenteraError) as exc:
        send_referral(setup["a"]["caseworker"], link, setup["external"])
    assert exc.value.code == "consent_required"
    assert Referral.objects.count() == 0
    assert _denials(link)[-1].detail["reason"] == "no_referral_consent"


@pytest.mark.parametrize("how", ["refused", "withdrawn"])
def test_refused_or_withdrawn_consent_blocks(setup: dict[str, Any], how: str) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    consent = record_consent(worker, link, ["name"], granted=how != "refused")
    if how == "withdrawn":
        consent_withdraw(actor=worker, consent=consent)
    with pytest.raises(LenteraError, match="No referral consent"):
        send_referral(worker, link, setup["external"])
    assert Referral.objects.count() == 0


def test_override_needs_supervisor_and_reason_both_audited(setup: dict[str, Any]) -> None:
    link, users = setup["link"], setup["a"]
    with pytest.raises(LenteraError) as exc:
        send_referral(
            users["caseworker"], link, setup["external"], override_reason="Anak dalam bahaya besar"
        )
    assert exc.value.code == "override_forbidden"
    assert _denials(link)[-1].detail["reason"] == "override_not_supervisor"
    with pytest.raises(LenteraError) as exc:
        send_referral(users["supervisor"], link, setup["external"], override_reason="short")
    assert exc.value.code == "too_short"
    assert Referral.objects.count() == 0
    r = send_referral(
        users["supervisor"],
        link,
        setup["external"],
        override_reason="Anak dalam bahaya besar",
        shared_fields=["sex_age"],
    )
    assert r.consent is None and r.override_by == users["supervisor"]
    assert r.shared_fields == ["sex_age"]
    created = AuditEvent.objects.get(action="create", object_type="referrals.referral")
    assert created.detail["consent_override"] is True
    assert "Anak" not in json.dumps(created.detail)  # the reason is not in the audit detail


def test_consent_covers_only_named_fields(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, ["sex_age", "contact"])
    with pytest.raises(LenteraError) as exc:
        send_referral(
            worker, link, setup["external"], shared_fields=["name", "contact"], services=["legal"]
        )
    assert exc.value.code == "beyond_consent"
    r = send_referral(worker, link, setup["external"], services=["legal"])
    assert r.shared_fields == ["contact", "sex_age"]  # default: all the consent allows
    r2 = send_referral(
        worker, link, setup["external"], services=["legal"], shared_fields=["sex_age"]
    )
    assert r2.shared_fields == ["sex_age"]


def test_service_must_be_offered_and_inputs_checked(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, ["name"])
    with pytest.raises(LenteraError, match="does not offer"):
        send_referral(worker, link, setup["external"], services=["shelter"])
    with pytest.raises(LenteraError) as exc:
        send_referral(worker, link, setup["external"], services=["legal"], reason="  ")
    assert exc.value.field == "reason" or exc.value.code == "required"
    with pytest.raises(LenteraError) as exc:
        send_referral(
            worker,
            link,
            setup["external"],
            services=["legal"],
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert exc.value.code == "date_past"
    r = send_referral(worker, link, setup["external"], services=["legal"], urgency="high")
    assert r.due_date == timezone.localdate() + dt.timedelta(days=3)
    assert r.number.startswith("ALFA-R")


# --------------------------------------------------------------------------- anonymisation


def test_anonymisation_scrubs_referral_payloads(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, ["name", "nik", "contact"])
    r = send_referral(worker, link, setup["internal"])
    person_anonymise(actor=setup["a"]["supervisor"], person=link.person, reason="request")
    r.refresh_from_db()
    text = json.dumps(r.payload_data, ensure_ascii=False) + r.reason
    assert NAME not in text and NIK not in text and PHONE not in text


def test_withdrawn_consent_stops_sharing_and_export_lists_referrals(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    consent = record_consent(worker, link, ["name", "nik"])
    r = send_referral(worker, link, setup["internal"])
    exported = person_export_data(actor=worker, person=link.person)
    refs = exported["cases"][0]["referrals"]
    assert refs[0]["number"] == r.number and refs[0]["data_passed_on"]["nik"] == NIK
    consent_withdraw(actor=worker, consent=consent)
    r.refresh_from_db()
    assert r.shared_fields == [] and r.payload_data["consent_withdrawn"] is True
    assert NAME not in r.payload and NIK not in json.dumps(r.payload_data)
    assert r.status == "sent"  # the referral itself (and any service) goes on
    receiver = setup["b"]["caseworker"]
    assert Notification.objects.filter(user=receiver, kind="referral_consent_withdrawn").exists()
    text = docx_text(letter_file(actor=receiver, referral=r, fmt="docx")[0])
    assert NAME not in text and NIK not in text
