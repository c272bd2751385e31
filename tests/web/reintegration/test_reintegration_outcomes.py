"""The outcomes page's figures: read from the organisation's warehouse (the same function as the
dashboard and the evidence report), figures from 5 survivors on, smaller cells suppressed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from _rss import FULL

from lentera.errors import LenteraError
from lentera.web.core.warehouse import warehouse_path
from lentera.web.insights.services import rebuild
from lentera.web.jobs.models import Job
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
    supervisor = users_a["supervisor"]
    warehouse_path(supervisor.membership.organisation.code).unlink(missing_ok=True)
    page = outcomes_for_user(actor=supervisor)
    # no warehouse yet: nothing computed in the request, a rebuild is queued
    assert page.outcomes is None and page.built_at is None
    assert isinstance(page.job, Job) and page.job.kind == "warehouse_rebuild"
    rebuild(actor=supervisor)
    page = outcomes_for_user(actor=supervisor)
    o = page.outcomes
    assert page.built_at is not None and o.recorded
    figures = dict(o.figures)
    assert figures["Korban dengan rencana reintegrasi"] == "6", figures
    cuts = {c.key: c for c in o.cuts}
    support = cuts["by_support"].rows
    assert support and all(cell for row in support for cell in row)
    cohorts = cuts["cohorts"].rows
    assert cohorts[0][0] == "2025"
    # one re-migration among 6: the rate's numerator is 1-4, so it is not shown as a number
    assert not any(c.endswith(" %") and c.startswith("16") for c in cohorts[0])
    assert "acak" in o.caveat
