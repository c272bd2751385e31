"""Fixtures for the Django side: organisations, users per role, cases built through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.web.accounts.models import Role
from lentera.web.accounts.services import organisation_create, user_create
from lentera.web.cases import services

ROLES = [r.value for r in Role]

#: personal values ``build_case`` plants: no page of another organisation, no export, no
#: analytics output may show them
SECRETS = (
    "Sutinah",
    "5301054708990003",
    "081234567890",
    "Catatan rahasia",
    "Pak Calo",
    "Dijanjikan",
)


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Every test starts in the instance's default language (Bahasa Indonesia): a request of an
    earlier test in English leaves its language active on the thread, and a service message
    read outside a request would then come out in English or Indonesian by test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def roles() -> list[str]:
    """Every role of an organisation."""
    return list(ROLES)


@pytest.fixture
def planted_secrets() -> tuple[str, ...]:
    """The personal values :func:`build_case` plants (:data:`SECRETS`)."""
    return SECRETS


@pytest.fixture
def org_a(db: Any) -> Any:
    return organisation_create(
        actor=None, name="Yayasan Alfa", code="ALFA", org_type="ngo", province_code="35"
    )


@pytest.fixture
def org_b(db: Any) -> Any:
    return organisation_create(
        actor=None, name="UPTD PPA Beta", code="BETA", org_type="uptd_ppa", province_code="53"
    )


def make_users(org: Any, prefix: str) -> dict[str, Any]:
    return {
        role: user_create(
            actor=None,
            username=f"{prefix}_{role}",
            password="x",
            organisation=org,
            role=role,
            check_password=False,
        )
        for role in ROLES
    }


@pytest.fixture
def users_a(org_a: Any) -> dict[str, Any]:
    return make_users(org_a, "a")


@pytest.fixture
def users_b(org_b: Any) -> dict[str, Any]:
    return make_users(org_b, "b")


@pytest.fixture
def worker_a(users_a: dict[str, Any]) -> Any:
    return users_a["caseworker"]


@pytest.fixture
def worker_b(users_b: dict[str, Any]) -> Any:
    return users_b["caseworker"]


def _nik_birth(nik: str) -> dt.date:
    from lentera import linkage

    return linkage.decode_nik(nik).birth_date


def _build_case(
    actor: Any,
    *,
    name: str = "Sutinah binti Karto",
    nik: str = "5301054708990003",
    survivors: int = 1,
) -> Any:
    case = services.case_open(
        actor=actor,
        opened_on=dt.date(2025, 3, 1),
        offence_date=dt.date(2024, 11, 5),
        summary="Dijanjikan kerja di Malaysia.",
    )
    for i in range(survivors):
        services.case_survivor_create(
            actor=actor,
            case=case,
            person_fields={
                "full_name": name if i == 0 else f"{name} {i}",
                "nik": nik if i == 0 else "",
                # the date of birth agrees with the NIK's (a contradiction is refused)
                "birth_date": _nik_birth(nik) if i == 0 and nik else dt.date(1999, 8, 7),
                "sex": "female",
                "origin_province_code": "53",
                "origin_regency_code": "5301",
                "phone": "081234567890",
            },
            link_fields={
                "exploitation_types": ["forced_labour"],
                "means_of_control": ["false_promises", "withholds_documents"],
                "sector": "T",
            },
        )
    services.perpetrator_add(
        actor=actor,
        case=case,
        name="Pak Calo",
        kind="individual_recruiter",
        roles=["recruiter_or_intermediary"],
        relationship="neighbour",
        is_state_official=False,
    )
    services.event_add(
        actor=actor,
        case=case,
        stage="recruitment",
        date=dt.date(2024, 11, 5),
        country="ID",
        region_code="5301",
    )
    services.event_add(
        actor=actor, case=case, stage="exploitation", date=dt.date(2024, 12, 20), country="MY"
    )
    services.note_add(actor=actor, case=case, body="Catatan rahasia tentang penyintas.")
    return case


@pytest.fixture
def build_case(db: Any) -> Any:
    """A function that builds a complete case (survivor, perpetrator, events, note) through the services."""
    return _build_case


def _run_worker() -> None:
    """What `lentera worker --once` does with the database queue: run every waiting job."""
    from django.core.management import call_command

    call_command(
        "db_worker",
        queue_name="default",
        batch=True,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )


@pytest.fixture
def run_worker() -> Any:
    """Run the background jobs queued so far (tests that use it need a transactional db)."""
    return _run_worker


def _run_queued() -> list[Any]:
    from lentera.web.jobs.models import Job, JobStatus
    from lentera.web.jobs.services import execute

    queued = Job.objects.filter(status=JobStatus.QUEUED).order_by("pk")
    return [execute(pk) for pk in list(queued.values_list("pk", flat=True))]


@pytest.fixture
def run_queued() -> Any:
    """Run the jobs queued so far in this process, as the worker's task body does (for
    tests on a non-transactional db, where the queue backend never sees the jobs)."""
    return _run_queued


@pytest.fixture
def audit_table_owner(db: Any) -> Any:
    """The attacker of finding 3 with the audit table's ownership: on PostgreSQL it disables
    the append-only trigger (migration ``audit.0003``) for the test, as an owner can — the
    tampering tests prove the chain detects what such a role does. Nothing on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # rows other fixtures already wrote
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER lentera_audit_append_only")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending (deferred) trigger events
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER lentera_audit_append_only")
