"""The reintegration tables of the analytics snapshot (registered in ``apps.py``): one row per
plan (sex, CTDC age band at return, origin, kinds of support not cancelled, summed cost,
months to a first income) and its follow-ups, RSS scores and departures (months, months since
return, codes). No name, note, answer text or exact date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from lentera.analytics.snapshot import age_band, month_of
from lentera.web.core.snapshot_sources import KeyFn, known_region, months_between
from lentera.web.reintegration import choices
from lentera.web.reintegration.selectors import first_income_on, plans_for_snapshot


def _age(person: Any, on: dt.date | None) -> int | None:
    if person.birth_date and on:
        b = person.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    if person.estimated_age is not None and person.age_recorded_on and on:
        return person.estimated_age + (on.year - person.age_recorded_on.year)
    return person.estimated_age


def snapshot_rows(
    org_ids: list[int] | None, key: KeyFn, only: Collection[int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``reintegration``, ``followups``, ``rss_scores`` and ``departures`` (of the
    plans ``only``, when given)."""
    out: dict[str, list[dict[str, Any]]] = {
        "reintegration": [], "followups": [], "rss_scores": [], "departures": []
    }  # fmt: skip
    for plan in plans_for_snapshot(org_ids, only):
        pk, person, ret = key("plan", plan.pk), plan.person, plan.return_date
        age = _age(person, ret)
        actions = [a for a in plan.actions.all() if a.status != choices.ActionStatus.CANCELLED]
        costs = [a.cost for a in actions if a.cost is not None]
        province, regency = known_region(
            person.origin_province_code or "", person.origin_regency_code or ""
        )
        out["reintegration"].append({
            "plan_key": pk, "person_key": key("person", person.pk),
            "org_code": plan.organisation.code, "return_month": month_of(ret) if ret else None,
            "sex": person.sex or "unknown",
            "age_band": age_band(age if age is not None and 0 <= age <= 130 else None),
            "origin_province_code": province, "origin_regency_code": regency,
            "supports": sorted({a.kind for a in actions}),
            "cost": sum(costs) if costs else None,
            "first_income_months": months_between(ret, first_income_on(plan)),
        })  # fmt: skip
        done = sorted(
            (f for f in plan.followups.all() if f.outcome),
            key=lambda f: (f.done_on or f.due_date, f.pk),
        )
        for n, f in enumerate(done, start=1):
            on = f.done_on or f.due_date
            out["followups"].append({
                "plan_key": pk, "sequence": n, "month": month_of(on),
                "months_since_return": months_between(ret, on), "outcome": f.outcome,
            })  # fmt: skip
        for s in sorted(plan.scores.all(), key=lambda s: (s.visit_date, s.pk)):
            out["rss_scores"].append({
                "plan_key": pk, "month": month_of(s.visit_date),
                "months_since_return": months_between(ret, s.visit_date),
                "economic": s.economic, "social": s.social, "psychosocial": s.psychosocial,
                "composite": s.composite,
            })  # fmt: skip
        for d in sorted(plan.departures.all(), key=lambda d: (d.departed_on, d.pk)):
            out["departures"].append({
                "plan_key": pk, "kind": d.kind, "channel": d.channel or "unknown",
                "month": month_of(d.departed_on),
                "months_after_return": months_between(ret, d.departed_on),
            })  # fmt: skip
    return out
