"""The snapshot export from the case store, pinned: a small organisation with every kind of
row (ages from a recorded age, a date of birth, an estimated age and none; screenings and
legal assessments in several versions; referrals, legal steps, perpetrators, a contact, an
outreach activity, a reintegration plan) exports exactly the rows below — written down from
the export before it was rewritten to read columns, so a speed change cannot change the data —
and the export's number of queries does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from _rss import FULL
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lentera.analytics.snapshot import month_of
from lentera.web.assessments.services import legal_assessment_get_or_open, screening_save
from lentera.web.cases import services as cases
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator, Person
from lentera.web.contacts import services as contacts
from lentera.web.contacts.models import Contact
from lentera.web.insights.changes import source_state
from lentera.web.insights.snapshot import export_snapshot, opaque_key
from lentera.web.outreach import services as outreach
from lentera.web.outreach.models import OutreachActivity
from lentera.web.referrals import services as referrals
from lentera.web.referrals.models import Referral, ServiceProvider
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.models import ReintegrationPlan

pytestmark = pytest.mark.django_db(transaction=True)

KINDS = {
    "case": Case, "survivor": CaseSurvivor, "person": Person, "referral": Referral,
    "provider": ServiceProvider, "perpetrator": Perpetrator, "contact": Contact,
    "activity": OutreachActivity, "plan": ReintegrationPlan,
}  # fmt: skip


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path / "data"


def canonical(snapshot: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows in order, the opaque keys named by kind and creation order (the
    primary keys differ between databases and runs) and this month (rows dated today) named."""
    names = {}
    for kind, model in KINDS.items():
        for n, pk in enumerate(sorted(model.objects.values_list("pk", flat=True))):
            names[opaque_key(kind, pk)] = f"{kind}{n}"
    this_month = month_of(timezone.now()).isoformat()

    def value(v: Any) -> Any:
        if isinstance(v, dt.date):
            v = v.isoformat()
            return "this-month" if v == this_month else v
        if isinstance(v, list):
            return [value(x) for x in v]
        return names.get(v, v) if isinstance(v, str) else v

    tables = {
        table: [{k: value(v) for k, v in row.items()} for row in snapshot.tables[table].to_pylist()]
        for table in snapshot.provided
    }
    return json.loads(json.dumps(tables))  # as the file holds them


def organisation(users: dict[str, Any], build_case: Any, n_cases: int = 3) -> Any:
    """The small organisation of the pinned export (``n_cases`` cases built alike)."""
    worker = users["caseworker"]
    provider = referrals.provider_save(
        actor=worker,
        data={"name": "UPTD PPA Kupang", "institution_type": "uptd_ppa",
              "services": ["legal", "shelter"], "province_codes": ["53"]},
    )  # fmt: skip
    built = [build_case(worker, name=f"Penyintas Uji {i}", nik="") for i in range(n_cases)]
    first = built[0]
    link = first.survivors.first()
    # a second survivor with a recorded age, a third with an estimated age only
    cases.case_survivor_create(
        actor=worker, case=first,
        person_fields={"full_name": "Anak Uji", "sex": "male", "origin_province_code": "53"},
        link_fields={"age_at_offence": 15, "exploitation_types": ["child_labour"]},
    )  # fmt: skip
    cases.case_survivor_create(
        actor=worker, case=built[1],
        person_fields={"full_name": "Dewasa Uji", "sex": "female", "estimated_age": 30,
                       "age_recorded_on": dt.date(2025, 1, 1), "citizenship": "TL"},
    )  # fmt: skip
    cases.case_update(actor=worker, case=built[2], status="closed", closed_on=dt.date(2025, 6, 9))
    for indicators in (["adult_labour.D4.excessive_hours"], []):
        screening_save(actor=worker, link=link, indicators=indicators, notes={})
    legal_assessment_get_or_open(actor=worker, link=link)
    cases.consent_record(
        actor=worker, person=link.person, case=first, purpose="referral", granted=True,
        shared_fields=["name", "contact"], note="x",
    )  # fmt: skip
    sent = [
        referrals.referral_send(
            actor=worker, link=link, provider=provider, services=services,
            reason="Butuh pendampingan.", shared_fields=["name"],
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )
        for services in (["legal"], ["shelter", "legal"], ["legal"])
    ]  # fmt: skip
    # one overdue, one accepted after four days (set in the table: no service back-dates)
    Referral.objects.filter(pk=sent[1].pk).update(due_date=timezone.localdate() - dt.timedelta(2))
    Referral.objects.filter(pk=sent[2].pk).update(
        status="accepted", answered_at=sent[2].sent_at + dt.timedelta(days=4, hours=1)
    )
    referrals.legal_step_add(
        actor=worker, case=first, step="verdict", date=dt.date(2025, 9, 20), link=link,
        amount=25_000_000,
    )  # fmt: skip
    referrals.legal_step_add(actor=worker, case=built[1], step="police_report",
                             date=dt.date(2025, 3, 4))  # fmt: skip
    contacts.contact_create(actor=worker, channel="phone", reporter="family", concern="x")
    outreach.activity_create(
        actor=worker, kind="village", date=dt.date(2025, 3, 1), province="53",
        regency="5302", village="Oelbubuk", topics=["calo"], female_18_35=12,
    )  # fmt: skip
    plan = ri.plan_create(
        actor=worker, person=link.person, case=first, return_date=dt.date(2025, 1, 31)
    )
    f = plan.followups.filter(outcome="").order_by("due_date").first()
    ri.followup_record(actor=worker, followup=f, outcome="reached", done_on=f.due_date)
    ri.score_record(actor=worker, followup=f, answers=FULL)
    ri.action_save(actor=worker, plan=plan, data={"kind": "counselling", "cost": 300_000})
    ri.departure_record(
        actor=worker, plan=plan, data={"kind": "re_migration", "departed_on": dt.date(2025, 8, 1)}
    )
    return users["caseworker"].membership.organisation


#: the export of :func:`organisation` before the export read columns (one row a line)
PINNED = Path(__file__).with_name("snapshot_export_pinned.json")


def test_the_export_of_a_small_organisation_is_pinned(
    users_a: dict[str, Any], build_case: Any, worker_b: Any
) -> None:
    org = organisation(users_a, build_case)
    build_case(worker_b, name="Wayan Sari", nik="")  # another organisation: never exported
    got = canonical(export_snapshot(organisation_codes=[org.code]))
    assert got == json.loads(PINNED.read_text(encoding="utf-8"))


def test_the_number_of_queries_does_not_grow_with_the_cases(
    users_a: dict[str, Any], build_case: Any
) -> None:
    org = organisation(users_a, build_case, n_cases=3)

    def counted() -> tuple[int, int, int]:
        _state, pks = source_state(org)
        only = {kind: list(by_key.values()) for kind, by_key in pks.items()}
        with CaptureQueriesContext(connection) as full:
            export_snapshot(organisation_codes=[org.code])
        with CaptureQueriesContext(connection) as some:
            export_snapshot(organisation_codes=[org.code], only=only)
        with CaptureQueriesContext(connection) as state:
            source_state(org)
        return len(full), len(some), len(state)

    small = counted()
    for i in range(6):
        build_case(users_a["caseworker"], name=f"Penyintas Tambahan {i}", nik="")
    assert Case.objects.filter(organisation=org).count() == 9
    assert counted() == small
