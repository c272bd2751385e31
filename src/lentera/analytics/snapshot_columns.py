"""The analytics snapshot's column-wise schema: one Arrow schema per table and the rules the
loader checks column by column in DuckDB (required columns, unique keys, references).

The row models and code lists are :mod:`lentera.analytics.snapshot_rows`; the loader
:mod:`lentera.analytics.snapshot`.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["ARROW_SCHEMAS", "FOREIGN", "REQUIRED", "UNIQUE"]

_S, _D, _B, _I, _F = pa.string(), pa.date32(), pa.bool_(), pa.int32(), pa.float64()
#: the age bands of outreach attendance (vocabulary ``attendee_age_band``)
_BANDS = ("u18", "18_35", "36_59", "60p")
ARROW_SCHEMAS: dict[str, pa.Schema] = {
    "cases": pa.schema(
        [
            ("case_key", _S),
            ("org_code", _S),
            ("opened_month", _D),
            ("closed_month", _D),
            ("status", _S),
            ("offence_year", _I),
        ]
    ),
    "survivors": pa.schema(
        [
            ("survivor_key", _S),
            ("person_key", _S),
            ("case_key", _S),
            ("sex", _S),
            ("age_band", _S),
            ("is_child", _B),
            ("citizenship", _S),
            ("origin_province_code", _S),
            ("origin_regency_code", _S),
            ("trafficking_status", _S),
            ("exploitation_types", pa.list_(_S)),
            ("sector", _S),
            ("recruitment_method", _S),
            ("means_of_control", pa.list_(_S)),
            ("is_migrant_worker", _B),
            ("destination_country", _S),
        ]
    ),
    "events": pa.schema(
        [("case_key", _S), ("stage", _S), ("month", _D), ("country", _S), ("region_code", _S)]
    ),
    "screenings": pa.schema([("survivor_key", _S), ("month", _D), ("list", _S), ("outcome", _S)]),
    "legal": pa.schema(
        [
            ("survivor_key", _S),
            ("month", _D),
            ("palermo_met", _B),
            ("national_met", _B),
            ("gap", _B),
        ]
    ),
    "referrals": pa.schema(
        [
            ("referral_key", _S),
            ("case_key", _S),
            ("survivor_key", _S),
            ("provider_key", _S),
            ("provider_type", _S),
            ("services", pa.list_(_S)),
            ("created_month", _D),
            ("status", _S),
            ("days_to_accept", _I),
            ("overdue", _B),
        ]
    ),
    "legal_steps": pa.schema(
        [
            ("case_key", _S),
            ("survivor_key", _S),
            ("step", _S),
            ("month", _D),
            ("amount", pa.int64()),
        ]
    ),
    "perpetrators": pa.schema(
        [
            ("perpetrator_key", _S),
            ("case_key", _S),
            ("kind", _S),
            ("sex", _S),
            ("nationality", _S),
            ("is_state_official", _B),
            ("is_organised_group", _B),
        ]
    ),
    "contacts": pa.schema(
        [
            ("contact_key", _S),
            ("org_code", _S),
            ("month", _D),
            ("channel", _S),
            ("reporter", _S),
            ("origin_province_code", _S),
            ("origin_regency_code", _S),
            ("concern", _S),
            ("risk", _S),
            ("urgency", _S),
            ("status", _S),
            ("outcome", _S),
            ("missing_person", _B),
            ("converted", _B),
        ]
    ),
    "outreach": pa.schema(
        [
            ("activity_key", _S),
            ("org_code", _S),
            ("month", _D),
            ("kind", _S),
            ("province_code", _S),
            ("regency_code", _S),
            ("topics", pa.list_(_S)),
            *[(f"{sex}_{band}", _I) for sex in ("female", "male") for band in _BANDS],
        ]
    ),
    "reintegration": pa.schema(
        [
            ("plan_key", _S),
            ("person_key", _S),
            ("org_code", _S),
            ("return_month", _D),
            ("sex", _S),
            ("age_band", _S),
            ("origin_province_code", _S),
            ("origin_regency_code", _S),
            ("supports", pa.list_(_S)),
            ("cost", pa.int64()),
            ("first_income_months", _I),
        ]
    ),
    "followups": pa.schema(
        [
            ("plan_key", _S),
            ("sequence", _I),
            ("month", _D),
            ("months_since_return", _I),
            ("outcome", _S),
        ]
    ),
    "rss_scores": pa.schema(
        [
            ("plan_key", _S),
            ("month", _D),
            ("months_since_return", _I),
            ("economic", _F),
            ("social", _F),
            ("psychosocial", _F),
            ("composite", _F),
        ]
    ),
    "departures": pa.schema(
        [
            ("plan_key", _S),
            ("kind", _S),
            ("channel", _S),
            ("month", _D),
            ("months_after_return", _I),
        ]
    ),
}
#: columns that may not be NULL in column-wise loading (the rest are nullable)
REQUIRED = {
    "cases": ("case_key", "org_code", "opened_month", "status"),
    "survivors": ("survivor_key", "person_key", "case_key", "sex", "age_band"),
    "events": ("case_key", "stage"),
    "screenings": ("survivor_key", "month", "list", "outcome"),
    "legal": ("survivor_key", "month", "gap"),
    "referrals": (
        "referral_key",
        "case_key",
        "provider_key",
        "provider_type",
        "created_month",
        "status",
        "overdue",
    ),
    "legal_steps": ("case_key", "step", "month"),
    "perpetrators": ("perpetrator_key", "case_key", "kind", "sex"),
    "contacts": (
        "contact_key",
        "org_code",
        "month",
        "channel",
        "reporter",
        "concern",
        "risk",
        "urgency",
        "status",
        "missing_person",
        "converted",
    ),
    "outreach": (
        "activity_key",
        "org_code",
        "month",
        "kind",
        "province_code",
        *[f"{sex}_{band}" for sex in ("female", "male") for band in _BANDS],
    ),
    "reintegration": ("plan_key", "person_key", "org_code", "sex", "age_band"),
    "followups": ("plan_key", "sequence", "month", "outcome"),
    "rss_scores": ("plan_key", "month"),
    "departures": ("plan_key", "kind", "channel", "month"),
}
UNIQUE = {
    "cases": "case_key",
    "survivors": "survivor_key",
    "referrals": "referral_key",
    "perpetrators": "perpetrator_key",
    "contacts": "contact_key",
    "outreach": "activity_key",
    "reintegration": "plan_key",
}
#: the tables each table refers to; the reference is the parent's unique key, the same column in both
_PARENTS = {
    "survivors": ("cases",),
    "events": ("cases",),
    "screenings": ("survivors",),
    "legal": ("survivors",),
    "referrals": ("cases", "survivors"),
    "legal_steps": ("cases", "survivors"),
    "perpetrators": ("cases",),
    "followups": ("reintegration",),
    "rss_scores": ("reintegration",),
    "departures": ("reintegration",),
}
#: (child table, column, parent table, parent column) of every reference
FOREIGN = tuple(
    (child, UNIQUE[parent], parent, UNIQUE[parent])
    for child, parents in _PARENTS.items()
    for parent in parents
)
