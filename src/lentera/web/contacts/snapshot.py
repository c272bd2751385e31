"""The contact log's table of the analytics snapshot (registered in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from lentera.analytics.snapshot import month_of
from lentera.web.contacts.selectors import contacts_for_snapshot
from lentera.web.core.snapshot_sources import KeyFn, known_region


def snapshot_rows(
    org_ids: list[int] | None, key: KeyFn, only: Collection[int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The ``contacts`` table (of the contacts ``only``, when given): codes only, never the
    concern in words, a name or a number."""
    rows = []
    for (pk, org, received, channel, reporter, province, regency, concern, risk, urgency,
         missing, _destination, status, outcome, case_id) in contacts_for_snapshot(org_ids, only):  # fmt: skip
        province, regency = known_region(province, regency)
        rows.append({
            "contact_key": key("contact", pk), "org_code": org, "month": month_of(received),
            "channel": channel, "reporter": reporter, "origin_province_code": province,
            "origin_regency_code": regency, "concern": concern, "risk": risk, "urgency": urgency,
            "status": status, "outcome": outcome or "", "missing_person": bool(missing),
            "converted": case_id is not None,
        })  # fmt: skip
    return {"contacts": rows}
