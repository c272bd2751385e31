"""SYNTHETIC snapshots for tests, demos and benchmarks. No row describes a real person or case.

:func:`synthetic_tables` draws a snapshot of ``n_cases`` cases (≈1.2 survivors each) with
numpy, column-wise, so a million cases take seconds. The distributions are invented for
exercising the engine (heavier in Java, NTB and NTT origins and Malaysia/Saudi Arabia
destinations, as public reporting describes); they are not estimates of anything.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from lentera import reference
from lentera.analytics.snapshot import AGE_BANDS, ARROW_SCHEMAS, Snapshot, codes

__all__ = ["synthetic_snapshot", "synthetic_tables"]


def _months(start: dt.date, count: int) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    for _ in range(count):
        out.append(dt.date(y, m, 1))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def _pick(
    rng: np.random.Generator, values: list[str], n: int, weights: list[float] | None = None
) -> np.ndarray:
    p = None if weights is None else np.asarray(weights, dtype=float) / sum(weights)
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]


def _lists(rng: np.random.Generator, values: list[str], n: int, mean: float) -> list[list[str]]:
    k = np.minimum(rng.poisson(mean, size=n), len(values))
    idx = rng.integers(0, len(values), size=(n, 3))
    return [sorted({values[j] for j in idx[i, : k[i]]}) for i in range(n)]


def synthetic_tables(n_cases: int, *, seed: int = 7, orgs: int = 3) -> dict[str, pa.Table]:
    """SYNTHETIC snapshot tables as Arrow (see the module docstring)."""
    rng = np.random.default_rng(seed)
    c = codes()
    months = _months(dt.date(2019, 1, 1), 72)
    case_keys = np.char.add("c", np.arange(n_cases).astype(str)).astype(object)
    opened_idx = rng.integers(0, len(months), size=n_cases)
    opened = np.asarray(months, dtype=object)[opened_idx]
    closed_gap = rng.integers(1, 13, size=n_cases)
    closed = [
        months[min(i + g, len(months) - 1)] if r < 0.6 else None
        for i, g, r in zip(opened_idx, closed_gap, rng.random(n_cases), strict=True)
    ]
    status = np.where(
        np.asarray([x is None for x in closed]),
        _pick(rng, ["active", "follow_up"], n_cases),
        "closed",
    )
    cases = pa.table(
        {
            "case_key": case_keys,
            "org_code": _pick(rng, [f"org{i}" for i in range(orgs)], n_cases),
            "opened_month": opened,
            "closed_month": closed,
            "status": status,
            "offence_year": [m.year for m in opened],
        },
        schema=ARROW_SCHEMAS["cases"],
    )
    per_case = 1 + (rng.random(n_cases) < 0.2).astype(int)
    s_case_idx = np.repeat(np.arange(n_cases), per_case)
    n = len(s_case_idx)
    provinces = sorted(reference.provinces())
    weights = [6.0 if p in ("32", "33", "35", "52", "53") else 1.0 for p in provinces]
    prov = _pick(rng, provinces, n, weights)
    by_prov = {p: [r.code for r in reference.regencies_of(p)] for p in provinces}
    regency = np.asarray(
        [
            by_prov[p][i % len(by_prov[p])]
            for p, i in zip(prov, rng.integers(0, 1000, n), strict=True)
        ],
        dtype=object,
    )
    bands = _pick(rng, list(AGE_BANDS), n, [1, 8, 10, 12, 11, 9, 14, 8, 4, 6])
    dest = _pick(
        rng, ["MY", "SA", "AE", "TW", "HK", "KH", "MM", "ID", ""], n, [30, 15, 8, 8, 6, 8, 4, 15, 6]
    )
    survivors = pa.table(
        {
            "survivor_key": np.char.add("s", np.arange(n).astype(str)).astype(object),
            "person_key": np.char.add(
                "p", (np.arange(n) - (rng.random(n) < 0.03)).clip(0).astype(str)
            ).astype(object),
            "case_key": case_keys[s_case_idx],
            "sex": _pick(rng, list(c["sex"]), n, [60, 36, 1, 3]),
            "age_band": bands,
            "is_child": np.isin(bands, ["0-8", "9-17"]),
            "citizenship": np.full(n, "ID", dtype=object),
            "origin_province_code": np.where(rng.random(n) < 0.05, "", prov),
            "origin_regency_code": np.where(rng.random(n) < 0.3, "", regency),
            "trafficking_status": _pick(rng, list(c["trafficking_status"]), n, [50, 45, 5]),
            "exploitation_types": _lists(rng, list(c["exploitation_type"]), n, 1.2),
            "sector": _pick(
                rng, ["", "A", "C", "F", "I", "T", "S"], n, [20, 15, 10, 10, 15, 25, 5]
            ),
            "recruitment_method": _pick(rng, ["", *c["recruitment_method"]], n),
            "means_of_control": _lists(rng, list(c["means_of_control"]), n, 1.8),
            "is_migrant_worker": np.asarray(dest != "ID") & np.asarray(dest != ""),
            "destination_country": dest,
        },
        schema=ARROW_SCHEMAS["survivors"],
    )
    skeys = survivors.column("survivor_key").to_numpy(zero_copy_only=False)
    smonth = opened[s_case_idx]
    scr = rng.random(n) < 0.7
    screenings = pa.table(
        {
            "survivor_key": skeys[scr],
            "month": smonth[scr],
            "list": _pick(rng, list(c["screening_list"]), int(scr.sum())),
            "outcome": _pick(rng, list(c["screening_outcome"]), int(scr.sum()), [55, 20, 10, 15]),
        },
        schema=ARROW_SCHEMAS["screenings"],
    )
    leg = rng.random(n) < 0.4
    k = int(leg.sum())
    pal = rng.random(k) < 0.8
    nat = pal & (rng.random(k) < 0.85)
    legal = pa.table(
        {
            "survivor_key": skeys[leg],
            "month": smonth[leg],
            "palermo_met": pal,
            "national_met": nat,
            "gap": pal != nat,
        },
        schema=ARROW_SCHEMAS["legal"],
    )
    ref = rng.random(n) < 0.5
    k = int(ref.sum())
    rstatus = _pick(rng, list(c["referral_status"]), k, [15, 20, 15, 30, 15, 5])
    accepted = np.isin(rstatus, list(c["referral_accepted_status"]))
    days = np.where(accepted, rng.integers(0, 30, size=k), -1)
    referrals = pa.table(
        {
            "referral_key": np.char.add("r", np.arange(k).astype(str)).astype(object),
            "case_key": case_keys[s_case_idx][ref],
            "survivor_key": skeys[ref],
            "provider_key": _pick(rng, [f"prov{i}" for i in range(12)], k),
            "provider_type": _pick(rng, ["ngo", "uptd_ppa", "ngo_shelter", "legal_aid", "lpsk"], k),
            "services": _lists(
                rng, ["shelter", "health", "psychosocial", "legal", "repatriation"], k, 1.0
            ),
            "created_month": smonth[ref],
            "status": rstatus,
            "days_to_accept": [None if d < 0 else int(d) for d in days],
            "overdue": np.isin(rstatus, ["sent", "accepted", "in_service"]) & (rng.random(k) < 0.2),
        },
        schema=ARROW_SCHEMAS["referrals"],
    )
    ev = rng.random(n_cases) < 0.5
    k = int(ev.sum())
    events = pa.table(
        {
            "case_key": case_keys[ev],
            "stage": _pick(rng, list(c["event_stage"]), k),
            "month": opened[ev],
            "country": _pick(rng, ["ID", "MY", "SA", ""], k),
            "region_code": np.full(k, "", dtype=object),
        },
        schema=ARROW_SCHEMAS["events"],
    )
    # legal process: a third of the survivors' cases reach a police report, fewer go further
    # (each step reached with the cumulative share below); survivor steps carry rupiah amounts
    chain = (
        ("police_report", 1.0), ("investigation", 0.8), ("case_file_complete", 0.6),
        ("indictment", 0.5), ("verdict", 0.4), ("final_judgment_notified", 0.35),
        ("restitution_paid", 0.12),
    )  # fmt: skip
    lp = np.flatnonzero(rng.random(n) < 0.35)
    reached = np.array([share for _, share in chain])
    depth = (rng.random(len(lp))[:, None] < reached[None, :]).sum(axis=1)
    who = np.repeat(lp, depth)
    order = np.concatenate([np.arange(d) for d in depth]) if len(depth) else np.zeros(0, int)
    steps = np.array([code for code, _ in chain], dtype=object)[order]
    month_index = {m: i for i, m in enumerate(months)}
    start = np.array([month_index[m] for m in smonth[who]], dtype=int)
    step_month = np.asarray(months, dtype=object)[np.minimum(start + 2 * order, len(months) - 1)]
    demanded = rng.integers(5, 200, size=n) * 1_000_000
    share = rng.uniform(0.2, 1, size=n)
    with_amount = np.isin(steps, ["indictment", "verdict", "restitution_paid"])
    amount = np.where(
        steps == "indictment", demanded[who], (demanded[who] * share[who]).astype(np.int64)
    )
    scoped = np.isin(
        steps, ["indictment", "verdict", "final_judgment_notified", "restitution_paid"]
    )
    legal_steps = pa.table(
        {
            "case_key": case_keys[s_case_idx[who]],
            "survivor_key": np.where(scoped, skeys[who], None),
            "step": steps,
            "month": step_month,
            "amount": [int(x) if w else None for x, w in zip(amount, with_amount, strict=True)],
        },
        schema=ARROW_SCHEMAS["legal_steps"],
    )
    legal_steps = (
        legal_steps.group_by(["case_key", "survivor_key", "step", "month"])
        .aggregate([("amount", "max")])
        .rename_columns(["case_key", "survivor_key", "step", "month", "amount"])
    )
    legal_steps = legal_steps.cast(ARROW_SCHEMAS["legal_steps"])
    per_case_p = rng.integers(0, 3, size=n_cases)
    p_case = np.repeat(np.arange(n_cases), per_case_p)
    k = len(p_case)
    perpetrators = pa.table(
        {
            "perpetrator_key": np.char.add("x", np.arange(k).astype(str)).astype(object),
            "case_key": case_keys[p_case],
            "kind": _pick(rng, list(c["perpetrator_kind"]), k, [40, 35, 10, 10, 5]),
            "sex": _pick(rng, list(c["sex"]), k, [30, 60, 1, 9]),
            "nationality": _pick(rng, ["ID", "MY", "CN", ""], k, [80, 8, 4, 8]),
            "is_state_official": [None if r < 0.5 else bool(r > 0.95) for r in rng.random(k)],
            "is_organised_group": [None if r < 0.4 else bool(r > 0.7) for r in rng.random(k)],
        },
        schema=ARROW_SCHEMAS["perpetrators"],
    )
    return {
        "cases": cases,
        "survivors": survivors,
        "events": events,
        "screenings": screenings,
        "legal": legal,
        "referrals": referrals,
        "legal_steps": legal_steps,
        "perpetrators": perpetrators,
    }


def synthetic_snapshot(n_cases: int, *, seed: int = 7) -> Snapshot:
    """A validated SYNTHETIC :class:`Snapshot` of ``n_cases`` cases."""
    return Snapshot.from_arrow(synthetic_tables(n_cases, seed=seed))
