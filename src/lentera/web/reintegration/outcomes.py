"""Outcome figures of the organisation's reintegration work, computed from this app's rows.

For supervisors. Every count from 1 to 4 is shown as "<5", medians and rates of fewer than 5
survivors are hidden, and sums follow the dominance rule (:mod:`lentera.analytics.suppress`).
The figures describe the organisation's own survivors; they are not a comparison of
programmes: who received which support was not decided at random, so a difference between
groups can come from who they were, not from what they received.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lentera.analytics.suppress import (
    suppress_median,
    suppress_rate,
    suppress_sum,
    suppress_value,
)
from lentera.analytics.warehouse import read_data_csv
from lentera.reference import region_name
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import require_supervisor
from lentera.web.reintegration import choices
from lentera.web.reintegration.models import (
    Departure,
    PlanAction,
    ReintegrationFollowUp,
    ReintegrationPlan,
)
from lentera.web.reintegration.selectors import plan_outcome_state

#: the answers to the RSS work question that mean the survivor has an income
INCOME_ANSWERS = frozenset({"regular", "irregular"})
AGE_BANDS = (
    (0, 17, "0–17"),
    (18, 24, "18–24"),
    (25, 34, "25–34"),
    (35, 44, "35–44"),
    (45, 200, "45+"),
)


@cache
def poverty_bands() -> tuple[int, dict[str, str]]:
    """Province code -> BPS poverty band (latest year in the analytics data)."""
    rows = [
        r
        for r in read_data_csv("bps_poverty_pct_by_province_2019_2024.csv")
        if r["poverty_pct"].strip()
    ]
    year = max(int(r["year"]) for r in rows)
    bands = {}
    for r in rows:
        if int(r["year"]) != year:
            continue
        pct = float(r["poverty_pct"])
        bands[r["bps_province_code"]] = "< 7 %" if pct < 7 else ("7–12 %" if pct < 12 else "≥ 12 %")
    return year, bands


@dataclass
class Survivor:
    """One plan reduced to what the figures need (no identity)."""

    province: str
    sex: str
    age_band: str
    cohort: int | None
    kinds: set[str]
    first: float | None
    last: float | None
    n_scores: int
    state: str
    reached: bool
    days_to_income: int | None
    cost: int
    departures: list[str] = field(default_factory=list)


def _age_band(person: Any, on: dt.date | None) -> str:
    age = None
    if person.birth_date and on:
        b = person.birth_date
        age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    elif person.estimated_age is not None:
        age = person.estimated_age
    if age is None:
        return _("unknown")
    return next(label for lo, hi, label in AGE_BANDS if lo <= age <= hi)


def _days_to_income(plan: ReintegrationPlan) -> int | None:
    if plan.return_date is None:
        return None
    days = []
    for f in plan.followups.all():
        score = getattr(f, "score", None)
        if score is not None and score.answers.get("economic.work") in INCOME_ANSWERS:
            days.append((f.done_on - plan.return_date).days)
    for a in plan.actions.all():
        if (
            a.kind in choices.INCOME_KINDS
            and a.status == choices.ActionStatus.DONE
            and a.actual_date
        ):
            days.append((a.actual_date - plan.return_date).days)
    days = [d for d in days if d >= 0]
    return min(days) if days else None


def survivors_of(organisation_id: int) -> list[Survivor]:
    plans = (
        ReintegrationPlan.objects.filter(organisation_id=organisation_id)
        .select_related("person")
        .prefetch_related(
            Prefetch("followups", queryset=ReintegrationFollowUp.objects.select_related("score")),
            Prefetch("actions", queryset=PlanAction.objects.all()),
            Prefetch("departures", queryset=Departure.objects.all()),
        )
    )
    out = []
    for plan in plans:
        scores = sorted(
            (f.score for f in plan.followups.all() if hasattr(f, "score")),
            key=lambda s: s.visit_date,
        )
        composites = [s.composite for s in scores if s.composite is not None]
        person = plan.person
        out.append(
            Survivor(
                province=person.origin_province_code,
                sex=person.sex,
                age_band=_age_band(person, plan.return_date),
                cohort=plan.return_date.year if plan.return_date else None,
                kinds={
                    a.kind for a in plan.actions.all() if a.status != choices.ActionStatus.CANCELLED
                },
                first=composites[0] if composites else None,
                last=composites[-1] if composites else None,
                n_scores=len(composites),
                state=plan_outcome_state(plan),
                reached=any(f.outcome == choices.Outcome.REACHED for f in plan.followups.all()),
                days_to_income=_days_to_income(plan),
                cost=sum(a.cost or 0 for a in plan.actions.all()),
                departures=[d.kind for d in plan.departures.all()],
            )
        )
    return out


def _median(values: list[float]) -> float | str | None:
    return suppress_median(len(values), statistics.median(values) if values else None)


def _trajectory_rows(
    survivors: list[Survivor], key: Callable[[Survivor], Iterable[str]], label: Callable[[str], str]
) -> list[dict[str, Any]]:
    groups: dict[str, list[Survivor]] = defaultdict(list)
    for s in survivors:
        if s.n_scores >= 2:
            for k in key(s):
                groups[k].append(s)
    rows = []
    for k, members in sorted(groups.items()):
        rows.append(
            {
                "group": label(k),
                "n": suppress_value(len(members)),
                "first": _median([m.first for m in members if m.first is not None]),
                "last": _median([m.last for m in members if m.last is not None]),
                "change": _median(
                    [
                        m.last - m.first
                        for m in members
                        if m.first is not None and m.last is not None
                    ]
                ),
            }
        )
    return rows


def outcomes_for_user(*, actor: User) -> dict[str, Any]:
    """Every outcome figure of the actor's organisation, suppressed (supervisors only)."""
    membership = require_supervisor(actor)
    survivors = survivors_of(membership.organisation_id)
    audit_log(
        actor=actor, action=AuditAction.READ, object_type="reintegration.outcomes",
        detail={"kind": "aggregates", "plans": len(survivors)},
    )  # fmt: skip
    year, bands = poverty_bands()
    kind_label = dict(choices.ActionKind.choices)
    sex_label = {"female": _("Female"), "male": _("Male")}
    started = [s for s in survivors if s.state != "not_started"]
    lost = [s for s in started if s.state == "lost"]
    cohorts: dict[int, list[Survivor]] = defaultdict(list)
    for s in survivors:
        if s.cohort is not None:
            cohorts[s.cohort].append(s)
    cohort_rows = []
    for c, members in sorted(cohorts.items()):
        left = sum(1 for m in members if choices.DepartureKind.RE_MIGRATION in m.departures)
        again = sum(1 for m in members if choices.DepartureKind.RE_EXPLOITATION in m.departures)
        n = len(members)
        cohort_rows.append(
            {
                "cohort": c,
                "n": suppress_value(n),
                "re_migrated": suppress_value(left),
                "re_migration_rate": suppress_rate(left, n, left / n if n else None),
                "re_exploited": suppress_value(again),
                "re_exploitation_rate": suppress_rate(again, n, again / n if n else None),
            }
        )
    reached = [s for s in survivors if s.reached]
    costs = [s.cost for s in reached]
    total = float(sum(costs))
    income = [float(s.days_to_income) for s in survivors if s.days_to_income is not None]
    return {
        "plans": suppress_value(len(survivors)),
        "followed": suppress_value(len(started)),
        "lost": suppress_value(len(lost)),
        "lost_rate": suppress_rate(
            len(lost), len(started), len(lost) / len(started) if started else None
        ),
        "cohorts": cohort_rows,
        "by_province": _trajectory_rows(
            survivors, lambda s: [s.province or "?"], lambda k: region_name(k) or _("unknown")
        ),
        "poverty_year": year,
        "by_poverty": _trajectory_rows(
            survivors,
            lambda s: [bands.get(s.province, "?")],
            lambda k: k if k != "?" else _("unknown"),
        ),
        "by_support": _trajectory_rows(
            survivors, lambda s: sorted(s.kinds), lambda k: str(kind_label.get(k, k))
        ),
        "by_age": _trajectory_rows(survivors, lambda s: [s.age_band], str),
        "by_sex": _trajectory_rows(
            survivors, lambda s: [s.sex], lambda k: str(sex_label.get(k, _("unknown")))
        ),
        "income_n": suppress_value(len(income)),
        "income_median_days": _median(income),
        "reached": suppress_value(len(reached)),
        "cost_per_reached": (
            suppress_sum(len(costs), total / len(costs), max(costs) / len(costs))
            if costs and total
            else None
        ),
    }
