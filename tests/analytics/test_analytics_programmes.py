"""Snapshot schema 3 (contacts, outreach, reintegration): round trip, old directories, and the
new metrics on a small SYNTHETIC fixture checked against independent DuckDB queries on the
raw snapshot tables, plus the donor report's new sections (filled, no cell 1-4)."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest
from _analytics_fixture import fixture_rows

from lentera.analytics import metrics, outcomes
from lentera.analytics import report as evidence
from lentera.analytics.snapshot import (
    SCHEMA_VERSION,
    TABLES,
    TABLES_V2,
    Snapshot,
    SnapshotError,
    load_snapshot_dir,
)
from lentera.analytics.suppress import SUPPRESSED
from lentera.analytics.warehouse import Warehouse, build_warehouse
from lentera.reports import build_report, load_template
from lentera.reports.period import parse_period

M = [dt.date(2024, m, 1) for m in range(1, 13)]
NEW = ("contacts", "outreach", "reintegration", "followups", "rss_scores", "departures")


def programme_rows() -> dict[str, list[dict]]:
    """Seeded synthetic contacts, outreach and reintegration rows (org A)."""
    rng = random.Random(7)
    contacts, outreach, plans, followups, scores, departures = [], [], [], [], [], []
    for i in range(60):
        status = rng.choice(["open", "closed", "closed"])
        contacts.append({
            "contact_key": f"k{i}", "org_code": "A", "month": rng.choice(M[:6]),
            "channel": rng.choice(["phone", "whatsapp", "walk_in"]),
            "reporter": rng.choice(["family", "survivor"]),
            "origin_province_code": rng.choice(["52", "53", "35"]),
            "concern": rng.choice(["migrant_worker", "missing", "labour"]),
            "status": status,
            "outcome": rng.choice(["information", "referred", "case_opened"]) if status == "closed" else "",
            "missing_person": rng.random() < 0.3, "converted": rng.random() < 0.2,
        })  # fmt: skip
    for i in range(12):
        outreach.append({
            "activity_key": f"a{i}", "org_code": "A", "month": rng.choice(M[:6]),
            "kind": rng.choice(["village", "school"]), "province_code": rng.choice(["52", "35"]),
            "topics": rng.sample(["calo", "safe_migration", "online_scams"], 2),
            "female_u18": rng.randint(0, 30), "female_18_35": rng.randint(0, 30),
            "male_u18": rng.randint(0, 30), "male_18_35": rng.randint(0, 3),
        })  # fmt: skip
    for i in range(40):
        ret = rng.choice(M[:3])
        plans.append({
            "plan_key": f"p{i}", "person_key": f"q{i}", "org_code": "A", "return_month": ret,
            "sex": rng.choice(["female", "male"]), "age_band": rng.choice(["18-20", "21-23"]),
            "origin_province_code": rng.choice(["52", "53", "35"]),
            "supports": rng.sample(["counselling", "business_grant", "job_placement"], 2),
            "cost": rng.randint(1, 10) * 500_000,
            "first_income_months": rng.choice([None, 2, 4, 7]),
        })  # fmt: skip
        n_visits = rng.randint(0, 3)
        for s, months in enumerate([0, 3, 6][:n_visits], start=1):
            out = rng.choice(["reached", "reached", "not_reached"])
            followups.append({
                "plan_key": f"p{i}", "sequence": s, "month": M[M.index(ret) + months],
                "months_since_return": months, "outcome": out,
            })  # fmt: skip
            if out == "reached":
                scores.append({
                    "plan_key": f"p{i}", "month": M[M.index(ret) + months],
                    "months_since_return": months, "economic": rng.random(),
                    "social": rng.random(), "psychosocial": rng.random(),
                    "composite": round(0.3 + 0.1 * s + 0.2 * rng.random(), 3),
                })  # fmt: skip
        if rng.random() < 0.2:
            departures.append({
                "plan_key": f"p{i}", "kind": rng.choice(["re_migration", "re_exploitation"]),
                "channel": "undocumented", "month": M[M.index(ret) + 5], "months_after_return": 5,
            })  # fmt: skip
    return {
        "contacts": contacts, "outreach": outreach, "reintegration": plans,
        "followups": followups, "rss_scores": scores, "departures": departures,
    }  # fmt: skip


@pytest.fixture(scope="module")
def snap():
    return Snapshot.from_rows(**fixture_rows(), **programme_rows())


@pytest.fixture(scope="module")
def wh(snap, tmp_path_factory):
    path = build_warehouse(snap, tmp_path_factory.mktemp("p") / "wh.duckdb")
    with Warehouse(path) as w:
        yield w


@pytest.fixture(scope="module")
def raw(snap):
    con = duckdb.connect()
    for name in TABLES:
        con.register(name, snap[name])
    yield con
    con.close()


def test_schema_version_and_tables():
    assert SCHEMA_VERSION == "lentera-analytics-snapshot/3"
    assert TABLES[: len(TABLES_V2)] == TABLES_V2 and TABLES[len(TABLES_V2) :] == NEW


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_round_trip_with_the_new_tables(snap, tmp_path, fmt):
    back = load_snapshot_dir(snap.write_dir(tmp_path / fmt, fmt=fmt))
    for name in NEW:
        assert back[name].to_pylist() == snap[name].to_pylist(), name
    assert set(NEW) <= set(back.provided)


def test_schema_2_directory_still_loads_with_new_tables_not_provided(tmp_path):
    old = Snapshot.from_rows(**fixture_rows())
    back = load_snapshot_dir(old.write_dir(tmp_path / "v2"))
    assert not set(NEW) & set(back.provided)
    assert all(back[name].num_rows == 0 for name in NEW)


def test_free_text_and_names_are_refused():
    row = programme_rows()["contacts"][0] | {"concern_text": "agent stopped answering"}
    with pytest.raises(SnapshotError, match="concern_text"):
        Snapshot.from_rows(contacts=[row])
    with pytest.raises(SnapshotError, match="channel"):
        Snapshot.from_rows(contacts=[programme_rows()["contacts"][0] | {"channel": "pigeon"}])


def _by(frame, dim):
    return dict(zip(frame[dim], frame["value"], strict=True))


def test_contacts_by_channel_match_sql(wh, raw):
    got = _by(
        metrics.compute_raw_unsuppressed(wh, "contacts", ["contact_channel"]), "contact_channel"
    )
    want = dict(raw.execute("SELECT channel, count(*) FROM contacts GROUP BY 1").fetchall())
    assert got == want
    missing = raw.execute(
        "SELECT count(*) FROM contacts WHERE missing_person AND status = 'open'"
    ).fetchone()[0]
    assert metrics.compute_raw_unsuppressed(wh, "contacts_missing_open")["value"][0] == missing
    conv = raw.execute("SELECT count(*) FROM contacts WHERE converted").fetchone()[0]
    assert metrics.compute_raw_unsuppressed(wh, "contacts_converted")["value"][0] == conv


def test_people_reached_by_sex_and_age_band_match_sql(wh, raw):
    got = metrics.compute_raw_unsuppressed(wh, "outreach_people", ["sex", "attendee_age_band"])
    cells = {
        (s, b): v
        for s, b, v in zip(got["sex"], got["attendee_age_band"], got["value"], strict=True)
    }
    for sex in ("female", "male"):
        for band in ("u18", "18_35"):
            (want,) = raw.execute(f"SELECT sum({sex}_{band}) FROM outreach").fetchone()  # noqa: S608
            assert cells[(sex, band)] == want
    shown = metrics.compute(wh, "outreach_people", ["sex", "attendee_age_band"])
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in shown["value"])


def test_origin_provinces_without_outreach_match_sql(wh, raw):
    (want,) = raw.execute(
        """SELECT count(DISTINCT origin_province_code) FROM survivors
        WHERE origin_province_code <> '' AND origin_province_code NOT IN
              (SELECT province_code FROM outreach)"""
    ).fetchone()
    assert (
        metrics.compute_raw_unsuppressed(wh, "origin_provinces_without_outreach")["value"][0]
        == want
    )


def test_rss_trajectory_and_rates_match_sql(wh, raw):
    got = metrics.compute_raw_unsuppressed(wh, "rss_composite", ["followup_point"])
    want = dict(raw.execute(
        """SELECT CASE months_since_return WHEN 0 THEN 'm0' WHEN 3 THEN 'm3' ELSE 'm6' END,
                  avg(composite) FROM rss_scores GROUP BY 1"""
    ).fetchall())  # fmt: skip
    assert _by(got, "followup_point") == pytest.approx(want)
    rate = metrics.compute_raw_unsuppressed(wh, "re_migration_rate")
    n, d = raw.execute(
        """SELECT count(DISTINCT d.plan_key) FILTER (WHERE d.kind = 're_migration'),
                  (SELECT count(*) FROM reintegration)
           FROM departures d"""
    ).fetchone()
    assert (rate["numerator"][0], rate["denominator"][0]) == (n, d)
    lost = metrics.compute_raw_unsuppressed(wh, "loss_to_follow_up_rate")
    n, d = raw.execute(
        """SELECT count(*) FILTER (WHERE outcome = 'not_reached'), count(*) FROM (
             SELECT plan_key, arg_max(outcome, sequence) AS outcome FROM followups GROUP BY 1)"""
    ).fetchone()
    assert (lost["numerator"][0], lost["denominator"][0]) == (n, d)
    cost = metrics.compute_raw_unsuppressed(wh, "cost_per_survivor_reached")
    (want_cost,) = raw.execute(
        """SELECT avg(cost) FROM reintegration WHERE plan_key IN
             (SELECT plan_key FROM followups WHERE outcome = 'reached')"""
    ).fetchone()
    assert cost["value"][0] == pytest.approx(want_cost)
    (median,) = raw.execute(
        "SELECT median(first_income_months) FROM reintegration WHERE first_income_months IS NOT NULL"
    ).fetchone()
    assert metrics.compute_raw_unsuppressed(wh, "months_to_first_income")["value"][0] == median


def test_small_means_are_suppressed(wh):
    frame = metrics.compute(wh, "rss_composite", ["followup_point", "origin_province"])
    raw = metrics.compute_raw_unsuppressed(
        wh, "rss_composite", ["followup_point", "origin_province"]
    )
    for shown, n in zip(frame["value"], raw["n"], strict=True):
        assert (shown == SUPPRESSED) == (n < 5)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_donor_report_fills_contacts_outreach_and_reintegration(wh, lang):
    report = build_report(wh, load_template("donor"), parse_period("2024-H1"), lang=lang)
    sections = {s.id: s for s in report.sections}
    for sid in ("contacts", "outreach", "reintegration"):
        assert not sections[sid].not_recorded and not sections[sid].missing, sid
        assert sections[sid].figures or sections[sid].tables
    contacts = next(f for f in sections["contacts"].figures if f.metric == "contacts")
    assert contacts.current == 60
    counts = []
    for sec in report.sections:
        counts += [v for f in sec.figures if f.unit == "count" for v in (f.current, f.previous)]
        counts += [v for t in sec.tables if t.unit == "count" for row in t.rows for v in row[1:]]
    assert counts and not [v for v in counts if isinstance(v, int) and 1 <= v <= 4]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_evidence_report_has_the_reintegration_section_suppressed_with_its_caveat(wh, lang):
    rep = evidence.build_report(wh, lang=lang)
    heads = [b.text for b in rep.blocks if b.kind == "h2"]
    start = heads.index(outcomes.TEXT["heading"][lang])
    blocks = rep.blocks[[i for i, b in enumerate(rep.blocks) if b.kind == "h2"][start] :]
    blocks = blocks[: next(i for i, b in enumerate(blocks[1:], 1) if b.kind == "h2")]
    cells = [str(c) for b in blocks if b.kind in ("table", "kpis") for row in b.rows for c in row]
    assert "40" in cells  # survivors with a plan
    assert not [c for c in cells if c.strip() in {"1", "2", "3", "4"}], cells
    assert outcomes.TEXT["suppressed"][lang] in cells  # small cells of the trajectories
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == len(outcomes.TRAJECTORIES) + 2
    html = evidence.render_html(rep)
    assert outcomes.CAVEAT[lang].split(":")[0] in html
    other = "en" if lang == "id" else "id"
    assert outcomes.CAVEAT[other].split(":")[0] not in html


def test_evidence_report_without_reintegration_data_says_so(tmp_path):
    path = build_warehouse(Snapshot.from_rows(**fixture_rows()), tmp_path / "old.duckdb")
    rep = evidence.build_report(path, lang="en")
    assert outcomes.TEXT["none"]["en"] in [b.text for b in rep.blocks]
