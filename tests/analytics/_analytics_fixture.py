"""A small hand-made SYNTHETIC snapshot whose metrics are computed by hand in the tests.

cases: c1 (org A, 2024-01), c2 (org A, 2024-01), c3 (org A, 2024-02), c4 (org B, 2024-03, no
survivors). survivors: 6 from Jawa Timur (35) in c1, female 18-20, forced labour, to MY;
2 from NTB (52) in c2, male 9-17 children, sexual exploitation, to SA; 7 from NTT (53) in c3,
female 21-23, forced labour + servitude, debt bondage, to MY.
screenings: 10 trafficked + 5 not_indicated. legal: 5 Palermo+national met, 3 gaps.
referrals: provider P1 8 accepted (1..8 days), 5 declined, 6 sent (2 overdue); P2 3 accepted.
"""

from __future__ import annotations

import datetime as dt

from lentera.analytics.snapshot import Snapshot

M1, M2, M3 = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)


def fixture_rows() -> dict[str, list[dict]]:
    cases = [
        {
            "case_key": "c1",
            "org_code": "A",
            "opened_month": M1,
            "status": "active",
            "offence_year": 2023,
        },
        {"case_key": "c2", "org_code": "A", "opened_month": M1, "status": "active"},
        {
            "case_key": "c3",
            "org_code": "A",
            "opened_month": M2,
            "status": "closed",
            "closed_month": M3,
        },
        {"case_key": "c4", "org_code": "B", "opened_month": M3, "status": "active"},
    ]
    survivors = []
    groups = [
        ("c1", 6, "35", "3578", "female", "18-20", False, ["forced_labour"], [], "MY"),
        ("c2", 2, "52", "", "male", "9-17", True, ["sexual_exploitation"], [], "SA"),
        (
            "c3",
            7,
            "53",
            "5301",
            "female",
            "21-23",
            False,
            ["forced_labour", "servitude"],
            ["debt_bondage"],
            "MY",
        ),
    ]
    n = 0
    for case, count, prov, reg, sex, band, child, types, means, dest in groups:
        for _ in range(count):
            n += 1
            survivors.append(
                {
                    "survivor_key": f"s{n}",
                    "person_key": f"p{n}",
                    "case_key": case,
                    "sex": sex,
                    "age_band": band,
                    "is_child": child,
                    "citizenship": "ID",
                    "origin_province_code": prov,
                    "origin_regency_code": reg,
                    "trafficking_status": "actual_victim",
                    "exploitation_types": types,
                    "sector": "T" if case == "c1" else "",
                    "recruitment_method": "sponsor_local",
                    "means_of_control": means,
                    "is_migrant_worker": True,
                    "destination_country": dest,
                }
            )
    screenings = [
        {
            "survivor_key": f"s{i}",
            "month": M2,
            "list": "adult_labour",
            "outcome": "trafficked" if i <= 10 else "not_indicated",
        }
        for i in range(1, 16)
    ]
    legal = [
        {
            "survivor_key": f"s{i}",
            "month": M2,
            "palermo_met": True,
            "national_met": i <= 5,
            "gap": i > 5,
        }
        for i in range(1, 9)
    ]
    referrals = []
    k = 0
    for status, count, provider in (
        ("accepted", 8, "P1"),
        ("declined", 5, "P1"),
        ("sent", 6, "P1"),
        ("accepted", 3, "P2"),
    ):
        for j in range(count):
            k += 1
            referrals.append(
                {
                    "referral_key": f"r{k}",
                    "case_key": "c1",
                    "survivor_key": "s1",
                    "provider_key": provider,
                    "provider_type": "ngo",
                    "services": ["shelter"],
                    "created_month": M2,
                    "status": status,
                    "days_to_accept": (j + 1)
                    if status == "accepted" and provider == "P1"
                    else (2 if status == "accepted" else None),
                    "overdue": status == "sent" and j < 2,
                }
            )
    events = [
        {"case_key": "c1", "stage": "exploitation", "month": M1, "country": "MY", "region_code": ""}
    ]
    return {
        "cases": cases,
        "survivors": survivors,
        "events": events,
        "screenings": screenings,
        "legal": legal,
        "referrals": referrals,
    }


def fixture_snapshot() -> Snapshot:
    return Snapshot.from_rows(**fixture_rows())
