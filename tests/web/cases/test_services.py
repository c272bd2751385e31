"""Services: validation with field-named messages, atomicity, locking, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.audit.services import audit_verify
from lentera.web.cases import services
from lentera.web.cases.models import CaseSurvivor, CaseTag, Person

pytestmark = pytest.mark.django_db


def test_case_numbers_are_sequential_per_org_and_year(worker_a: Any, worker_b: Any) -> None:
    a1 = services.case_open(actor=worker_a, opened_on=dt.date(2026, 1, 5))
    a2 = services.case_open(actor=worker_a, opened_on=dt.date(2026, 2, 5))
    b1 = services.case_open(actor=worker_b, opened_on=dt.date(2026, 2, 5))
    a_old = services.case_open(actor=worker_a, opened_on=dt.date(2025, 12, 31))
    assert (a1.reference, a2.reference, b1.reference, a_old.reference) == (
        "ALFA-2026-00001",
        "ALFA-2026-00002",
        "BETA-2026-00001",
        "ALFA-2025-00001",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"nik": "53010547089900AB"}, "nik"),
        ({"nik": "5301053308990003"}, "nik"),  # day 33: impossible
        ({"origin_province_code": "99"}, "origin_province_code"),
        ({"origin_regency_code": "5399"}, "origin_regency_code"),
        ({"origin_province_code": "35", "origin_regency_code": "5301"}, "origin_regency_code"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date"),
        ({"citizenship": "XX"}, "citizenship"),
        ({"estimated_age": 130}, "estimated_age"),
        ({"full_name": ""}, "full_name"),
        ({"sex": "robot"}, "sex"),
    ],
)
def test_person_create_rejects_bad_input_naming_the_field(
    worker_a: Any, fields: dict[str, Any], field: str
) -> None:
    data = {"full_name": "Wayan Sudarma", **fields}
    with pytest.raises(LenteraError) as err:
        services.person_create(actor=worker_a, **data)
    assert err.value.field == field
    assert field in err.value.message
    assert Person.objects.count() == 0


def test_survivor_create_is_all_or_nothing(worker_a: Any) -> None:
    """A bad link field after a valid person leaves no person behind."""
    case = services.case_open(actor=worker_a)
    with pytest.raises(LenteraError) as err:
        services.case_survivor_create(
            actor=worker_a,
            case=case,
            person_fields={"full_name": "Made Ayu"},
            link_fields={"means_of_control": ["magic"]},
        )
    assert err.value.field == "means_of_control"
    assert Person.objects.count() == 0
    assert CaseSurvivor.objects.count() == 0


def test_stale_edit_is_refused(worker_a: Any, users_a: dict[str, Any]) -> None:
    case = services.case_open(actor=worker_a)
    services.case_update(actor=worker_a, case=case, version=1, summary="first edit")
    with pytest.raises(LenteraError) as err:
        services.case_update(
            actor=users_a["supervisor"], case=case, version=1, summary="stale edit"
        )
    assert err.value.kind == "conflict"
    assert err.value.params["fields"] == ["summary"]
    assert "ringkasan" in err.value.message  # names what changed meanwhile, in the user's language
    case.refresh_from_db()
    assert case.summary == "first edit"
    assert case.version == 2


def test_other_org_cannot_write(worker_a: Any, worker_b: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    with pytest.raises(LenteraError) as err:
        services.case_update(actor=worker_b, case=case, summary="hijack")
    assert err.value.kind == "not_found"
    person = case.survivors.first().person
    with pytest.raises(LenteraError):
        services.person_update(actor=worker_b, person=person, full_name="x")
    with pytest.raises(LenteraError):
        services.case_survivor_add(actor=worker_b, case=case, person=person)


def test_analyst_cannot_touch_survivor_records(users_a: dict[str, Any]) -> None:
    with pytest.raises(LenteraError) as err:
        services.case_open(actor=users_a["analyst"])
    assert err.value.kind == "forbidden"


def test_every_write_is_audited_without_personal_data(worker_a: Any, build_case: Any) -> None:
    before = AuditEvent.objects.count()
    case = build_case(worker_a)
    rows = list(AuditEvent.objects.all()[before:])
    assert len(rows) >= 7
    blob = " ".join(str(r.detail) for r in rows)
    assert "Sutinah" not in blob and "5301054708990003" not in blob
    assert all(r.actor_id == worker_a.pk for r in rows)
    assert audit_verify().ok
    assert set(CaseTag.objects.filter(case=case).values_list("kind", "code")) >= {
        (CaseTag.Kind.PROVINCE, "53")
    }


@pytest.mark.usefixtures("audit_table_owner")  # on PostgreSQL: a role that may disable the trigger
def test_audit_chain_detects_tampering(worker_a: Any, build_case: Any) -> None:
    build_case(worker_a)
    assert audit_verify().ok
    row = AuditEvent.objects.order_by("id")[2]
    AuditEvent.objects.filter(pk=row.pk).update(action="delete")
    report = audit_verify()
    assert not report.ok and any(f"row {row.pk}" in p for p in report.problems)


@pytest.mark.usefixtures("audit_table_owner")
def test_audit_chain_detects_deletion(worker_a: Any, build_case: Any) -> None:
    build_case(worker_a)
    AuditEvent.objects.order_by("id")[3].delete()
    assert not audit_verify().ok


def test_consent_new_record_supersedes(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    person = case.survivors.first().person
    services.consent_record(
        actor=worker_a, person=person, case=case, purpose="referral", granted=True
    )
    services.consent_record(
        actor=worker_a, person=person, case=case, purpose="referral", granted=False
    )
    from lentera.web.cases.selectors import current_consents

    assert current_consents(person)["referral"].granted is False


def test_event_rejects_region_outside_indonesia(worker_a: Any) -> None:
    case = services.case_open(actor=worker_a)
    with pytest.raises(LenteraError) as err:
        services.event_add(
            actor=worker_a, case=case, stage="exploitation", country="MY", region_code="3201"
        )
    assert err.value.field == "region_code"
    with pytest.raises(LenteraError) as err:
        services.event_add(actor=worker_a, case=case, stage="exploitation", country="ZZ")
    assert err.value.field == "country"


def test_audit_chain_detects_insertion(worker_a: Any, build_case: Any) -> None:
    """A row slipped into the middle of the log (even with a self-consistent hash) is detected."""
    import hashlib

    from django.utils import timezone

    build_case(worker_a)
    rows = list(AuditEvent.objects.order_by("id"))
    forged = AuditEvent(
        at=timezone.now(),
        actor_username="intruder",
        action="read",
        object_type="cases.person",
        object_id="1",
        detail={},
        prev_hash=rows[2].hash,
    )
    forged.hash = hashlib.sha256(b"forged").hexdigest()
    forged.save()
    report = audit_verify()
    assert not report.ok and any(f"row {forged.pk}" in p for p in report.problems)
