"""Incremental warehouse builds: after random edit sequences an updated warehouse equals a
fresh full build table by table, dashboard figures included; every fallback to a full build
says why; a failed update leaves the old file."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from test_analytics_programmes import programme_rows

from _warehouse import content, figures
from lentera import reference
from lentera.analytics import warehouse as warehouse_module
from lentera.analytics.snapshot import ARROW_SCHEMAS, TABLES, Snapshot
from lentera.analytics.synthetic import synthetic_tables
from lentera.analytics.warehouse import build_warehouse
from lentera.analytics.warehouse_incremental import BuildState, plan_build, update_warehouse
from lentera.analytics.warehouse_manifest import BY_SURVIVOR, UNITS

Rows = dict[str, list[dict[str, Any]]]


def rows_of(n: int, seed: int) -> Rows:
    """Synthetic case tables and the programme tables of the programme tests."""
    rows = {name: table.to_pylist() for name, table in synthetic_tables(n, seed=seed).items()}
    programmes = Snapshot.from_rows(**programme_rows())
    return {**rows, **{name: programmes[name].to_pylist() for name in programme_rows()}}


def snapshot(rows: Rows) -> Snapshot:
    return Snapshot.from_arrow(
        {n: pa.Table.from_pylist(rows.get(n, []), schema=ARROW_SCHEMAS[n]) for n in TABLES}
    )


def unit_of(rows: Rows) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, row repr) -> (kind, unit key), screenings and legal through their survivor."""
    case_of = {s["survivor_key"]: s["case_key"] for s in rows["survivors"]}
    out = {}
    for kind, tables in UNITS.items():
        for name, column in tables.items():
            for row in rows[name]:
                out[name, repr(sorted(row.items()))] = (kind, row[column])
    for name in BY_SURVIVOR:
        for row in rows[name]:
            out[name, repr(sorted(row.items()))] = ("case", case_of[row["survivor_key"]])
    return out


def state(rows: Rows, source: str = "test:probe") -> BuildState:
    """Signatures from the rows themselves (the web side uses change stamps instead)."""
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (name, text), (kind, key) in unit_of(rows).items():
        parts[kind][key].append(f"{name}{text}")
    units = {
        kind: {
            key: hashlib.sha256("".join(sorted(p)).encode()).hexdigest()[:16]
            for key, p in by_key.items()
        }
        for kind, by_key in parts.items()
    }
    return BuildState(source=source, units=units)


def delta(rows: Rows, changed: dict[str, tuple[str, ...]]) -> Snapshot:
    wanted = {(k, key) for k, keys in changed.items() for key in keys}
    units = unit_of(rows)
    return snapshot(
        {n: [r for r in rows[n] if units[n, repr(sorted(r.items()))] in wanted] for n in TABLES}
    )


# --- random edits on snapshot rows -----------------------------------------------------------


def _drop_case(rows: Rows, key: str) -> None:
    gone = {s["survivor_key"] for s in rows["survivors"] if s["case_key"] == key}
    for name in BY_SURVIVOR:
        rows[name] = [r for r in rows[name] if r["survivor_key"] not in gone]
    for name, column in UNITS["case"].items():
        rows[name] = [r for r in rows[name] if r[column] != key]


def _copy_case(rows: Rows, key: str, new: str) -> None:
    survivors = {s["survivor_key"]: f"{s['survivor_key']}{new}" for s in rows["survivors"]}
    for name in (*UNITS["case"], *BY_SURVIVOR):
        for r in list(rows[name]):
            if r.get("case_key", None) == key or (
                name in BY_SURVIVOR
                and any(
                    s["survivor_key"] == r["survivor_key"] and s["case_key"] == key
                    for s in rows["survivors"]
                )
            ):
                c = dict(r)
                c["case_key"] = new if "case_key" in c else None
                if c.get("survivor_key"):
                    c["survivor_key"] = survivors[c["survivor_key"]]
                for k in ("referral_key", "perpetrator_key"):
                    if k in c:
                        c[k] = f"{c[k]}{new}"
                if name in BY_SURVIVOR:
                    del c["case_key"]
                rows[name].append(c)


def edit(rows: Rows, rng: random.Random, step: int) -> str:
    cases = [c["case_key"] for c in rows["cases"]]
    plans = [p["plan_key"] for p in rows["reintegration"]]
    what = rng.choice(
        ["edit_case", "edit_survivor", "delete_case", "create_case", "add_referral",
         "edit_plan", "delete_plan", "add_followup", "delete_contact", "edit_outreach"]
    )  # fmt: skip
    if what == "edit_case":
        c = rng.choice(rows["cases"])
        c["status"] = "closed" if c["status"] != "closed" else "active"
        c["closed_month"] = c["opened_month"] if c["status"] == "closed" else None
    elif what == "edit_survivor" and rows["survivors"]:
        s = rng.choice(rows["survivors"])
        s["sex"] = "male" if s["sex"] == "female" else "female"
    elif what == "delete_case":
        _drop_case(rows, rng.choice(cases))
    elif what == "create_case":
        _copy_case(rows, rng.choice(cases), f"n{step}")
    elif what == "add_referral" and rows["referrals"]:
        r = dict(rng.choice(rows["referrals"]))
        r["referral_key"] = f"r_new{step}"
        r["status"] = "sent"
        rows["referrals"].append(r)
    elif what == "edit_plan" and plans:
        p = rng.choice(rows["reintegration"])
        p["cost"] = (p["cost"] or 0) + 1000
    elif what == "delete_plan" and plans:
        key = rng.choice(plans)
        for name in UNITS["plan"]:
            rows[name] = [r for r in rows[name] if r["plan_key"] != key]
    elif what == "add_followup" and plans:
        key = rng.choice(plans)
        done = [f for f in rows["followups"] if f["plan_key"] == key]
        base = next(p for p in rows["reintegration"] if p["plan_key"] == key)
        month = base["return_month"] or rows["cases"][0]["opened_month"]
        rows["followups"].append(
            {"plan_key": key, "sequence": len(done) + 1, "month": month,
             "months_since_return": 0, "outcome": "reached"}
        )  # fmt: skip
    elif what == "delete_contact" and rows["contacts"]:
        rows["contacts"].remove(rng.choice(rows["contacts"]))
    elif what == "edit_outreach" and rows["outreach"]:
        o = rng.choice(rows["outreach"])
        o["female_u18"] += 3
    return what


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_incremental_equals_full_after_random_edits(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    rows = rows_of(120, seed)
    inc = build_warehouse(snapshot(rows), tmp_path / "inc.duckdb", state=state(rows))
    for build in range(3):
        done = [edit(rows, rng, build * 10 + i) for i in range(rng.randint(1, 4))]
        now = state(rows)
        plan = plan_build(inc, now, max_share=1.0)
        assert plan.incremental, (done, plan.reason)
        assert sum(plan.count()) >= 1 or not done
        update_warehouse(inc, delta(rows, dict(plan.changed)), plan, now)
        ref = build_warehouse(snapshot(rows), tmp_path / f"full{build}.duckdb", state=now)
        assert content(inc) == content(ref), done
        assert figures(inc) == figures(ref), done
        con = duckdb.connect(str(inc), read_only=True)
        manifest = dict(con.execute("SELECT key, value FROM build_manifest").fetchall())
        con.close()
        assert manifest["mode"] == "incremental"
        assert int(manifest["changed"]) + int(manifest["removed"]) == sum(plan.count())


def test_an_incremental_build_does_replace_rows(tmp_path: Path) -> None:
    """Control: the comparison above sees a difference when a changed unit is not applied."""
    rows = rows_of(60, 9)
    path = build_warehouse(snapshot(rows), tmp_path / "wh.duckdb", state=state(rows))
    rows["cases"][0]["status"] = "closed" if rows["cases"][0]["status"] != "closed" else "active"
    rows["cases"][0]["closed_month"] = rows["cases"][0]["opened_month"]
    now = state(rows)
    plan = plan_build(path, now)
    assert plan.count() == (1, 0) and plan.changed["case"] == (rows["cases"][0]["case_key"],)
    update_warehouse(path, delta(rows, {}), plan, now)  # rows deleted, nothing put back
    ref = build_warehouse(snapshot(rows), tmp_path / "ref.duckdb", state=now)
    assert content(path)["cases"] != content(ref)["cases"]


def test_fallback_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = rows_of(60, 11)
    now = state(rows)
    path = tmp_path / "wh.duckdb"
    assert plan_build(path, now).reason == "no_warehouse"
    path.write_bytes(b"not a duckdb file")
    assert plan_build(path, now).reason == "unreadable"
    build_warehouse(snapshot(rows), path)  # no state: nothing to compare with
    assert plan_build(path, now).reason == "no_manifest"
    build_warehouse(snapshot(rows), path, state=now)
    assert plan_build(path, now).incremental and plan_build(path, now).count() == (0, 0)
    assert plan_build(path, BuildState("test:other-key", now.units)).reason == "source_changed"
    _drop_case(rows, rows["cases"][0]["case_key"])
    for r in rows["cases"][:45]:  # of 172 units
        r["status"] = "closed" if r["status"] != "closed" else "active"
        r["closed_month"] = r["opened_month"]
    assert plan_build(path, state(rows)).reason == "too_many_changes"
    assert plan_build(path, state(rows), max_share=1.0).incremental
    with monkeypatch.context() as m:
        m.setattr(warehouse_module, "WAREHOUSE_VERSION", "lentera-analytics-warehouse/99")
        assert plan_build(path, now).reason == "engine_version"
    with monkeypatch.context() as m:
        m.setattr(reference, "DATA_VERSION", "other")
        assert plan_build(path, now).reason == "reference_data"


def test_a_failed_update_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from lentera.analytics import warehouse_incremental

    rows = rows_of(60, 12)
    path = build_warehouse(snapshot(rows), tmp_path / "wh.duckdb", state=state(rows))
    before = content(path)
    rows["survivors"][0]["sex"] = "male" if rows["survivors"][0]["sex"] == "female" else "female"
    now = state(rows)
    plan = plan_build(path, now)

    def boom(_con: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse_incremental, "build_facts", boom)
    with pytest.raises(RuntimeError):
        update_warehouse(path, delta(rows, dict(plan.changed)), plan, now)
    assert content(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["wh.duckdb"]
