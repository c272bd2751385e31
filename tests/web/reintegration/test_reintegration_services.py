"""Services of the reintegration app: schedule, actions, follow-ups, scoring, departures, rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _rss import FULL
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lentera.errors import LenteraError
from lentera.reintegration import load_catalogue, score
from lentera.web.audit.models import AuditEvent
from lentera.web.cases import services as case_services
from lentera.web.reintegration import selectors
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.choices import DEFAULT_SCHEDULE
from lentera.web.reintegration.models import RssScore

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_month_end() -> None:
    assert ri.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert ri.add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_plan_schedules_follow_ups_from_return_date(plan: Any) -> None:
    rows = list(plan.followups.order_by("months"))
    assert [f.months for f in rows] == [0, 3, 6, 12]
    assert [f.due_date for f in rows] == [
        dt.date(2025, 1, 31), dt.date(2025, 4, 30), dt.date(2025, 7, 31), dt.date(2026, 1, 31),
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="reintegration.reintegrationplan").exists()


def test_plan_without_return_date_has_no_schedule_until_set(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    plan = ri.plan_create(actor=worker_a, person=link.person, case=case)
    assert plan.followups.count() == 0
    ri.plan_update(actor=worker_a, plan=plan, data={"return_date": dt.date(2025, 3, 1)}, version=1)
    assert plan.followups.count() == 4


def test_one_plan_per_survivor(plan: Any, worker_a: Any) -> None:
    with pytest.raises(LenteraError) as exc:
        ri.plan_create(actor=worker_a, person=plan.person, case=plan.case)
    assert exc.value.code == "plan_exists"


def test_schedule_is_configurable_by_org_admin_only(
    users_a: dict[str, Any], build_case: Any
) -> None:
    with pytest.raises(LenteraError) as exc:
        ri.settings_save(actor=users_a["caseworker"], schedule_months=[0, 1], default_mode="call")
    assert exc.value.kind == "forbidden"
    ri.settings_save(actor=users_a["org_admin"], schedule_months=[1, 0, 24], default_mode="call")
    case = build_case(users_a["caseworker"])
    plan = ri.plan_create(
        actor=users_a["caseworker"], person=case.survivors.first().person, case=case,
        return_date=dt.date(2025, 1, 1),
    )  # fmt: skip
    assert sorted(f.months for f in plan.followups.all()) == [0, 1, 24]
    assert {f.mode for f in plan.followups.all()} == {"call"}


def test_settings_page_reads_the_schedule_once(users_a: dict[str, Any]) -> None:
    admin = users_a["org_admin"]
    row, months, mode = selectors.settings_for_user(actor=admin)
    assert (row, months, mode) == (None, list(DEFAULT_SCHEDULE), "visit")
    ri.settings_save(actor=admin, schedule_months=[3, 0], default_mode="call")
    with CaptureQueriesContext(connection) as queries:
        schedule = selectors.settings_for_user(actor=admin)
    assert (schedule.months, schedule.mode, schedule.row.version) == ([0, 3], "call", 2)
    reads = [q for q in queries if "reintegration_reintegrationsettings" in q["sql"]]
    assert len(reads) == 1


def test_stale_version_is_refused(plan: Any, worker_a: Any) -> None:
    ri.plan_update(actor=worker_a, plan=plan, data={"notes": "a"}, version=1)
    with pytest.raises(LenteraError) as exc:
        ri.plan_update(actor=worker_a, plan=plan, data={"notes": "b"}, version=1)
    assert exc.value.code == "stale_version"


def test_action_domain_follows_kind_and_cost(plan: Any, worker_a: Any) -> None:
    a = ri.action_save(
        actor=worker_a, plan=plan,
        data={"kind": "business_grant", "cost": 5_300_000, "donor": "Donor X", "status": "done"},
    )  # fmt: skip
    assert a.domain == "economic"
    assert a.actual_date is not None  # done gets today's date
    b = ri.action_save(actor=worker_a, plan=plan, data={"kind": "document_ktp"})
    assert b.domain == "social"


def test_other_org_cannot_write(plan: Any, worker_b: Any) -> None:
    with pytest.raises(LenteraError) as exc:
        ri.action_save(actor=worker_b, plan=plan, data={"kind": "counselling"})
    assert exc.value.kind == "not_found"


def test_could_not_reach_is_a_recorded_outcome(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=0)
    ri.followup_record(
        actor=worker_a, followup=f, outcome="not_reached", done_on=dt.date(2025, 2, 1)
    )
    f.refresh_from_db()
    assert f.outcome == "not_reached"
    with pytest.raises(LenteraError) as exc:
        ri.score_record(actor=worker_a, followup=f, answers=FULL)
    assert exc.value.code == "not_reached"


def test_score_matches_engine_and_keeps_catalogue_version(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=3)
    ri.followup_record(actor=worker_a, followup=f, outcome="reached", done_on=dt.date(2025, 5, 2))
    row = ri.score_record(actor=worker_a, followup=f, answers=FULL)
    cat = load_catalogue()
    expected = score({"survivor": "x", "visit_date": "2025-05-02", "answers": FULL}, catalogue=cat)
    assert row.composite == expected.composite
    assert row.economic == expected.dimensions["economic"].score
    assert row.catalogue == f"{cat.id}@{cat.version}"
    assert "indicators_unverified" in row.reasons
    # a second survey replaces the first
    ri.score_record(actor=worker_a, followup=f, answers={**FULL, "economic.work": "none"})
    assert RssScore.objects.filter(followup=f).count() == 1


def test_bad_answer_is_refused_naming_the_question(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=0)
    ri.followup_record(actor=worker_a, followup=f, outcome="reached", done_on=dt.date(2025, 2, 1))
    with pytest.raises(LenteraError) as exc:
        ri.score_record(actor=worker_a, followup=f, answers={"economic.work": "sometimes"})
    assert exc.value.field == "economic.work"
    assert not RssScore.objects.exists()


def test_changing_reached_to_not_reached_drops_score(plan: Any, worker_a: Any) -> None:
    f = plan.followups.get(months=0)
    ri.followup_record(actor=worker_a, followup=f, outcome="reached", done_on=dt.date(2025, 2, 1))
    ri.score_record(actor=worker_a, followup=f, answers=FULL)
    f.refresh_from_db()
    ri.followup_record(
        actor=worker_a,
        followup=f,
        outcome="refused",
        done_on=dt.date(2025, 2, 1),
        version=f.version,
    )
    assert not RssScore.objects.exists()


def test_departure_links_earlier_case(plan: Any, worker_a: Any) -> None:
    d = ri.departure_record(
        actor=worker_a, plan=plan,
        data={"kind": "re_exploitation", "departed_on": dt.date(2025, 8, 1), "channel": "undocumented",
              "same_recruiter": "yes", "destination_country": "my"},
    )  # fmt: skip
    assert d.earlier_case_id == plan.case_id
    assert d.destination_country == "MY"
    with pytest.raises(LenteraError):
        ri.departure_record(
            actor=worker_a, plan=plan,
            data={"kind": "re_migration", "departed_on": dt.date(2999, 1, 1)},
        )  # fmt: skip


def test_anonymise_erases_plan_notes(plan: Any, worker_a: Any, users_a: dict[str, Any]) -> None:
    ri.plan_update(actor=worker_a, plan=plan, data={"notes": "Ibu Sutinah di Kupang"}, version=1)
    case_services.person_anonymise(
        actor=users_a["supervisor"], person=plan.person, reason="data_subject_request"
    )
    plan.refresh_from_db()
    assert "Sutinah" not in plan.notes
