"""Reads of prevention outreach, scoped to the actor's organisation, and the
"where to go next" comparison (outreach beside survivors' origin areas and poverty)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import reference
from lentera.analytics.suppress import is_suppressed
from lentera.web.accounts.models import User
from lentera.web.core.access import membership_for
from lentera.web.core.selectors import of_organisation, one_of_organisation
from lentera.web.core.snapshot_sources import selected_units, stamp
from lentera.web.core.warehouse import warehouse_path
from lentera.web.outreach import choices
from lentera.web.outreach.models import OutreachActivity


def activities_list_for_user(
    *, actor: User, year: int | None = None, province: str = "", kind: str = ""
) -> QuerySet[OutreachActivity]:
    membership = membership_for(actor)
    return of_organisation(
        OutreachActivity,
        membership.organisation_id,
        date__year=year,
        province=province,
        kind=kind,
    )


def activity_get_for_user(*, actor: User, activity_id: int) -> OutreachActivity:
    membership = membership_for(actor)
    return one_of_organisation(
        OutreachActivity, activity_id, membership.organisation_id, _("Activity not found.")
    )


def reach_totals(activities: QuerySet[OutreachActivity]) -> dict[str, int]:
    """Activities and people reached by sex and age band (aggregates only): one aggregate
    query, not a walk over every activity of the organisation."""
    sums = activities.order_by().aggregate(
        activities=Count("pk"), **{f: Sum(f) for f in choices.ATTENDANCE_FIELDS}
    )
    totals = {f: int(sums[f] or 0) for f in choices.ATTENDANCE_FIELDS}
    totals["activities"] = int(sums["activities"] or 0)
    totals["people"] = sum(totals[f] for f in choices.ATTENDANCE_FIELDS)
    return totals


@dataclass
class Area:
    """One origin area: survivors (suppressed), outreach done, poverty %."""

    code: str
    name: str
    survivors: Any  # int, "<5" or "x"
    activities: int = 0
    people: int = 0
    poverty: float | None = None

    @property
    def reached(self) -> bool:
        return self.activities > 0


@dataclass
class WhereNext:
    year: int | None
    activities_by_province: dict[str, int]
    people_by_province: dict[str, int]
    survivors_by_province: dict[str, Any] | None  # None: the figures are not built yet
    poverty: dict[str, float | None]
    provinces: list[Area] = field(default_factory=list)
    regencies: list[Area] = field(default_factory=list)
    warehouse: Any = None
    activities_by_regency: dict[str, int] = field(default_factory=dict)
    #: activities recorded without a regency, by province (the regency map's province fallback)
    activities_province_only: dict[str, int] = field(default_factory=dict)
    survivors_by_regency: dict[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> str:
        """ "regency" when the organisation's data has regencies (survivors' origins or
        activities recorded by regency), "province" otherwise: the maps follow it."""
        has = any(v not in (0, None) for v in self.survivors_by_regency.values())
        return "regency" if has or self.activities_by_regency else "province"

    @property
    def not_reached(self) -> list[Area]:
        return [a for a in self.provinces if not a.reached]

    @property
    def regencies_not_reached(self) -> list[Area]:
        return [a for a in self.regencies if not a.reached]


def _weight(value: Any) -> float:
    """Sort key of a suppressed count: a hidden 1–4 ranks below 5 and above 0."""
    if is_suppressed(value):
        return 2.5
    return float(value or 0)


def where_next_for_user(*, actor: User, year: int | None = None) -> WhereNext:
    """Outreach done (this organisation) beside survivors' origin (its warehouse, suppressed)
    and BPS poverty, by province, and by regency where origins are recorded by regency."""
    # heavy backend (DuckDB, pandas): loaded only when the map is asked for
    from lentera.analytics.maps import poverty_values, survivor_values
    from lentera.analytics.metrics import compute

    membership = membership_for(actor)
    acts = list(activities_list_for_user(actor=actor, year=year))
    by_prov: dict[str, int] = {}
    people_prov: dict[str, int] = {}
    by_reg: dict[str, int] = {}
    people_reg: dict[str, int] = {}
    prov_only: dict[str, int] = {}
    for a in acts:
        by_prov[a.province] = by_prov.get(a.province, 0) + 1
        people_prov[a.province] = people_prov.get(a.province, 0) + a.attendance
        if a.regency:
            by_reg[a.regency] = by_reg.get(a.regency, 0) + 1
            people_reg[a.regency] = people_reg.get(a.regency, 0) + a.attendance
        else:
            prov_only[a.province] = prov_only.get(a.province, 0) + 1
    poverty = poverty_values()
    path = warehouse_path(membership.organisation.code)
    survivors: dict[str, Any] | None = None
    regency_values: dict[str, Any] = {}
    if path.exists():
        survivors = survivor_values(str(path))
        frame = compute(str(path), "survivors", ["origin_regency"])
        regency_values = {
            code: value
            for code, value in zip(frame["origin_regency"], frame["value"], strict=True)
            if code in reference.regencies()
        }
    names = {code: p.name for code, p in reference.provinces().items()}
    provinces = [
        Area(
            code=code,
            name=names[code],
            survivors=value,
            activities=by_prov.get(code, 0),
            people=people_prov.get(code, 0),
            poverty=poverty.get(code),
        )
        for code, value in (survivors or {}).items()
        if value not in (0, None)
    ]
    provinces.sort(key=lambda a: (a.reached, -_weight(a.survivors), -(a.poverty or 0)))
    regencies = [
        Area(
            code=code,
            name=reference.region_name(code) or code,
            survivors=value,
            activities=by_reg.get(code, 0),
            people=people_reg.get(code, 0),
            poverty=poverty.get(code[:2]),
        )
        for code, value in regency_values.items()
        if value not in (0, None)
    ]
    regencies.sort(key=lambda a: (a.reached, -_weight(a.survivors), -(a.poverty or 0)))
    return WhereNext(
        year=year,
        activities_by_province=by_prov,
        people_by_province=people_prov,
        survivors_by_province=survivors,
        poverty=poverty,
        provinces=provinces,
        regencies=regencies,
        warehouse=path if survivors is not None else None,
        activities_by_regency=by_reg,
        activities_province_only=prov_only,
        survivors_by_regency=regency_values,
    )


def years_for_user(*, actor: User) -> list[int]:
    membership = membership_for(actor)
    dates = OutreachActivity.objects.filter(organisation_id=membership.organisation_id).dates(
        "date", "year", order="DESC"
    )
    return [d.year for d in dates] or [timezone.localdate().year]


def activities_for_snapshot(org_ids: list[int] | None, only: Collection[int] | None = None) -> Any:
    """Outreach rows for the analytics snapshot: codes, month and attendance counts (of the
    activities ``only``, when given)."""
    qs = selected_units(OutreachActivity.objects.all(), org_ids, only)
    return qs.values_list(
        "pk", "organisation__code", "date", "kind", "province", "regency", "topics",
        *choices.ATTENDANCE_FIELDS,
    )  # fmt: skip


def activity_stamps(org_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Per activity of the organisations: its last change (the incremental warehouse build)."""
    qs = OutreachActivity.objects.filter(organisation_id__in=org_ids)
    return {pk: (t,) for pk, t in qs.order_by().values_list("pk", stamp("updated_at"))}
