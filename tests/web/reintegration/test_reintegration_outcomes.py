"""Outcome selectors: figures appear from 5 survivors on, smaller cells are suppressed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import FULL
from lentera.errors import LenteraError
from lentera.web.reintegration import services as ri
from lentera.web.reintegration.outcomes import outcomes_for_user

pytestmark = pytest.mark.django_db


def _plans(worker: Any, build_case: Any, n: int) -> list[Any]:
    plans = []
    for i in range(n):
        case = build_case(worker, name=f"Sintetis Nomor {i}", nik=f"53010547089900{i + 40:02d}")
        person = case.survivors.first().person
        plan = ri.plan_create(
            actor=worker, person=person, case=case, return_date=dt.date(2025, 1, 10)
        )
        for months, day, work in (
            (0, dt.date(2025, 1, 11), "none"),
            (3, dt.date(2025, 4, 12), "regular"),
        ):
            f = plan.followups.get(months=months)
            ri.followup_record(actor=worker, followup=f, outcome="reached", done_on=day)
            ri.score_record(actor=worker, followup=f, answers={**FULL, "economic.work": work})
        ri.action_save(actor=worker, plan=plan, data={"kind": "counselling", "cost": 1_000_000})
        plans.append(plan)
    return plans


def test_outcomes_show_figures_from_five_and_suppress_below(
    users_a: dict[str, Any], build_case: Any
) -> None:
    worker = users_a["caseworker"]
    plans = _plans(worker, build_case, 6)
    ri.departure_record(
        actor=worker,
        plan=plans[0],
        data={"kind": "re_migration", "departed_on": dt.date(2025, 8, 1)},
    )
    with pytest.raises(LenteraError):
        outcomes_for_user(actor=worker)
    o = outcomes_for_user(actor=users_a["supervisor"])
    assert o["plans"] == 6
    support = {r["group"]: r for r in o["by_support"]}
    row = next(iter(support.values()))
    assert row["n"] == 6 and isinstance(row["change"], float) and row["change"] > 0
    assert o["income_median_days"] == 92.0  # the 3-month visit found regular work
    assert o["cost_per_reached"] == 1_000_000.0
    cohort = o["cohorts"][0]
    assert cohort["cohort"] == 2025 and cohort["re_migrated"] == "<5"
    assert cohort["re_migration_rate"] == "<5"
    assert o["lost"] == 0
