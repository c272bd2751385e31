"""The outreach table of the analytics snapshot (registered in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from lentera.analytics.snapshot import ATTENDANCE, month_of
from lentera.web.core.snapshot_sources import KeyFn, known_region
from lentera.web.outreach.selectors import activities_for_snapshot


def snapshot_rows(
    org_ids: list[int] | None, key: KeyFn, only: Collection[int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The ``outreach`` table (of the activities ``only``, when given): type, month, place
    codes, topics, attendance aggregates (never the village, partners or materials)."""
    rows = []
    for pk, org, date, kind, province, regency, topics, *counts in activities_for_snapshot(
        org_ids, only
    ):
        province, regency = known_region(province, regency)
        row = {
            "activity_key": key("activity", pk), "org_code": org, "month": month_of(date),
            "kind": kind, "province_code": province, "regency_code": regency,
            "topics": sorted(set(topics or [])),
        }  # fmt: skip
        row.update({column: n for (column, _sex, _band), n in zip(ATTENDANCE, counts, strict=True)})
        rows.append(row)
    return {"outreach": rows}
