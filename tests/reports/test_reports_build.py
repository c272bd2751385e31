"""Reports filled from a warehouse: checked against independent DuckDB queries on the raw
snapshot tables of the same file, compared in words, and free of any count from 1 to 4 in
every output format."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import duckdb
import pytest

from lentera.analytics.labels import label
from lentera.analytics.snapshot import Snapshot
from lentera.analytics.synthetic import synthetic_snapshot
from lentera.analytics.warehouse import build_warehouse
from lentera.cli import main
from lentera.reports import build_report, parse_period, parse_template, shipped_templates
from lentera.reports.render import write_report

# The synthetic warehouse by default; LENTERA_REPORTS_WAREHOUSE=FILE (and
# LENTERA_REPORTS_PERIOD) run the same checks on another one, e.g. the demo data's:
#   lentera demo && lentera analytics build --out wh.duckdb
#   LENTERA_REPORTS_WAREHOUSE=wh.duckdb LENTERA_REPORTS_PERIOD=2026-Q3 pytest tests/reports
OTHER_WAREHOUSE = os.environ.get("LENTERA_REPORTS_WAREHOUSE")
PERIOD = parse_period(os.environ.get("LENTERA_REPORTS_PERIOD", "2023-Q3"))
ACCEPTED = ("accepted", "in_service", "completed")


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Path:
    if OTHER_WAREHOUSE:
        return Path(OTHER_WAREHOUSE)
    return build_warehouse(
        synthetic_snapshot(3000, seed=11), tmp_path_factory.mktemp("rep") / "wh.duckdb"
    )


def q(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def shown(n: int):
    return "<5" if 0 < n < 5 else n


def shown_rate(num: int, den: int):
    if not den:
        return None
    if any(0 < x < 5 for x in (num, den, den - num)):
        return "<5"
    return round(100 * num / den, 1)


def months(period) -> list[dt.date]:
    return [period.start, period.end]


def figures(report) -> dict[str, object]:
    return {f.title: f for s in report.sections for f in s.figures}


def table(report, title: str):
    return next(t for s in report.sections for t in s.tables if t.title == title)


def check_column(rows: dict[str, object], raw: dict[str, int]) -> None:
    """Shown cells equal the raw counts; "<5" exactly where 1–4; "x" only over 4."""
    assert set(rows) == {k for k, v in raw.items() if v} | {k for k in rows if rows[k] == 0}
    for key, value in rows.items():
        n = raw.get(key, 0)
        if value == "<5":
            assert 0 < n < 5, key
        elif value == "x":
            assert n >= 5, key
        else:
            assert value == n, key


def test_donor_figures_match_independent_queries(wh: Path):
    report = build_report(wh, shipped_templates()["donor"], PERIOD, lang="en")
    f = figures(report)
    for period, attr in ((PERIOD, "current"), (PERIOD.previous(), "previous")):
        a, b = months(period)
        survivors, persons = q(
            wh,
            "SELECT count(*), count(DISTINCT s.person_key) FROM survivors s "
            "JOIN cases c USING (case_key) WHERE c.opened_month BETWEEN ? AND ?",
            [a, b],
        )[0]
        cases = q(wh, "SELECT count(*) FROM cases WHERE opened_month BETWEEN ? AND ?", [a, b])[0][0]
        refs, done, not_cancelled, assisted, median_days, n_days = q(
            wh,
            "SELECT count(*), count(*) FILTER (WHERE status = 'completed'), "
            "count(*) FILTER (WHERE status <> 'cancelled'), "
            "count(DISTINCT survivor_key) FILTER (WHERE list_contains(?, status)), "
            "median(days_to_accept), count(days_to_accept) "
            "FROM referrals WHERE created_month BETWEEN ? AND ?",
            [list(ACCEPTED), a, b],
        )[0]
        assert getattr(f["Survivors"], attr) == shown(survivors)
        assert getattr(f["Unique persons"], attr) == shown(persons)
        assert getattr(f["Cases opened"], attr) == shown(cases)
        assert getattr(f["Referrals"], attr) == shown(refs)
        assert getattr(f["Survivors assisted (any service)"], attr) == shown(assisted)
        completed = next(x for x in f.values() if x.metric == "referrals_completed")
        assert getattr(completed, attr) == shown(done)
        rate = next(x for x in f.values() if x.metric == "referral_completion_rate")
        assert getattr(rate, attr) == pytest.approx(shown_rate(done, not_cancelled))
        days = f["Median days to service (referral accepted)"]
        if n_days >= 5:
            assert getattr(days, attr) == pytest.approx(median_days)
        else:
            assert getattr(days, attr) == ("<5" if n_days else None)
        stage = dict(
            q(
                wh,
                "SELECT step, count(DISTINCT case_key) FROM legal_steps "
                "WHERE month BETWEEN ? AND ? GROUP BY step",
                [a, b],
            )
        )
        rest = {
            step: q(
                wh,
                "SELECT count(DISTINCT survivor_key) FILTER (WHERE amount > 0), sum(amount), "
                "count(DISTINCT survivor_key), max(amount) FROM legal_steps "
                "WHERE step = ? AND month BETWEEN ? AND ? AND amount IS NOT NULL",
                [step, a, b],
            )[0]
            for step in ("indictment", "verdict", "restitution_paid")
        }
        (verdicts,) = q(
            wh,
            "SELECT count(DISTINCT coalesce(survivor_key, case_key)) FROM legal_steps "
            "WHERE step = 'verdict' AND month BETWEEN ? AND ?",
            [a, b],
        )[0]
        by_metric = {x.metric: getattr(x, attr) for x in f.values()}
        assert by_metric["verdicts"] == shown(verdicts)
        for step, name in (("indictment", "claimed"), ("verdict", "awarded"),
                           ("restitution_paid", "paid")):  # fmt: skip
            people, total, n, top = rest[step]
            assert by_metric[f"restitution_{name}_survivors"] == shown(people)
            amount = by_metric[f"restitution_{name}_amount"]
            if n == 0:
                assert amount is None
            elif n < 5:
                assert amount == "<5"
            elif top > total / 2:  # one amount dominates the total
                assert amount == "x"
            else:
                assert amount == pytest.approx(total)
        stages = table(report, "Cases reaching a stage of legal proceedings")
        col = 1 if attr == "current" else 2
        check_column(
            {r[0]: r[col] for r in stages.rows[:-1]},
            {label("legal_step", k, "en"): v for k, v in stage.items()},
        )
    # every compared figure has its sentence, and the report lists them
    assert len(report.changes) == sum(1 for x in f.values() if x.compared) == 17
    # this warehouse's source gives no contact, outreach or reintegration tables (schema 3)
    programme = {"contacts", "outreach", "reintegration"}
    assert all(s.missing == [] for s in report.sections if s.id not in programme)
    assert all(s.missing for s in report.sections if s.id in programme)


def test_tables_the_source_did_not_give_are_not_recorded_not_zero(tmp_path: Path):
    """A snapshot without legal steps or perpetrators (an older export) must not read as 0."""
    from lentera.analytics.synthetic import synthetic_tables

    tables = synthetic_tables(300, seed=3)
    del tables["legal_steps"], tables["perpetrators"]
    snap = Snapshot.from_arrow(tables)
    assert "legal_steps" not in snap.provided
    wh = build_warehouse(snap, tmp_path / "old.duckdb")
    report = build_report(wh, shipped_templates()["government"], PERIOD, lang="en")
    sections = {s.id: s for s in report.sections}
    assert not sections["perpetrators"].figures and not sections["perpetrators"].tables
    assert sections["perpetrators"].missing == [
        "Perpetrators: not recorded: the source of this warehouse did not include the "
        "perpetrators table.",
        "Perpetrators by kind and sex: not recorded: the source of this warehouse did not "
        "include the perpetrators table.",
        "Perpetrators by nationality: not recorded: the source of this warehouse did not "
        "include the perpetrators table.",
        "Perpetrators who are state officials: not recorded: the source of this warehouse "
        "did not include the perpetrators table.",
    ]
    assert len(sections["legal_stage"].missing) == 3
    assert sections["origin"].tables  # the rest is filled
    text = write_report(report, tmp_path / "r.docx")
    from docx import Document

    paragraphs = [p.text for p in Document(str(text)).paragraphs]
    assert any("did not include the legal_steps table" in p for p in paragraphs)


def test_donor_and_government_tables_match_independent_queries(wh: Path):
    a, b = months(PERIOD)
    donor = build_report(wh, shipped_templates()["donor"], PERIOD, lang="en")
    by_service = table(donor, "Survivors assisted by service")
    raw = dict(
        q(
            wh,
            "SELECT svc, count(DISTINCT survivor_key) FROM (SELECT survivor_key, "
            "unnest(CASE WHEN len(services) = 0 THEN ['unknown'] ELSE services END) AS svc FROM referrals WHERE list_contains(?, status) "
            "AND created_month BETWEEN ? AND ?) GROUP BY svc",
            [list(ACCEPTED), a, b],
        )
    )
    check_column(
        {r[0]: r[1] for r in by_service.rows[:-1]},
        {label("service", k, "en"): v for k, v in raw.items()},
    )
    assert label("service", "psychosocial", "en") == "Psychosocial support / counselling"
    gov = build_report(wh, shipped_templates()["government"], PERIOD, lang="id")
    dest = table(gov, "Korban menurut negara tujuan")
    raw = dict(
        q(
            wh,
            "SELECT coalesce(nullif(c2.name_id, ''), 'Tidak diketahui'), count(*) FROM survivors s "
            "JOIN cases c USING (case_key) LEFT JOIN ref_countries c2 "
            "ON c2.alpha2 = s.destination_country WHERE c.opened_month BETWEEN ? AND ? GROUP BY 1",
            [a, b],
        )
    )
    check_column({r[0]: r[1] for r in dest.rows[:-1]}, raw)
    assert dest.rows[-1][0] == "Jumlah" and dest.rows[-1][1] == sum(raw.values())
    expl = table(gov, "Korban menurut bentuk eksploitasi")
    raw_types = dict(
        q(
            wh,
            "SELECT t, count(DISTINCT survivor_key) FROM (SELECT s.survivor_key, "
            "unnest(s.exploitation_types) AS t FROM survivors s JOIN cases c USING (case_key) "
            "WHERE c.opened_month BETWEEN ? AND ?) GROUP BY t",
            [a, b],
        )
    )
    check_column(
        {r[0]: r[1] for r in expl.rows[:-1] if r[0] != "Tidak diketahui"},
        {label("exploitation_type", k, "id"): v for k, v in raw_types.items()},
    )
    cross = table(gov, "Korban menurut anak/dewasa dan jenis kelamin")
    raw_cells = {
        (child, sex): n
        for child, sex, n in q(
            wh,
            "SELECT s.is_child, s.sex, count(*) FROM survivors s JOIN cases c USING (case_key) "
            "WHERE c.opened_month BETWEEN ? AND ? GROUP BY 1, 2",
            [a, b],
        )
    }
    header = cross.header[1:-1]
    sexes = {
        "Perempuan": "female",
        "Laki-laki": "male",
        "Lainnya": "other",
        "Tidak diketahui": "unknown",
    }
    rows = {"Dewasa": False, "Anak (di bawah 18)": True, "Tidak diketahui": None}
    for row in cross.rows[:-1]:
        for col, value in zip(header, row[1:-1], strict=True):
            n = raw_cells.get((rows[row[0]], sexes[col]), 0)
            assert value == n or (value == "<5" and 0 < n < 5) or (value == "x" and n >= 5)
    if any(0 < n < 5 for n in raw_cells.values()):  # suppression was needed: it happened
        assert any(v in ("<5", "x") for row in cross.rows for v in row[1:])


def test_org_filter_limits_every_figure(wh: Path):
    a, b = months(PERIOD)
    (n,) = q(
        wh,
        "SELECT count(*) FROM survivors s JOIN cases c USING (case_key) "
        "WHERE c.opened_month BETWEEN ? AND ? AND c.org_code = 'org1'",
        [a, b],
    )[0]
    report = build_report(
        wh, shipped_templates()["government"], PERIOD, lang="en", org_codes=["org1"]
    )
    assert figures(report)["Victims"].current == shown(n)


def _snapshot(q2: dict, q3: dict) -> Snapshot:
    """Cases in May and August 2026 with the given survivors and referral statuses."""
    cases, survivors, referrals = [], [], []
    for case, month, spec in (("c2", dt.date(2026, 5, 1), q2), ("c3", dt.date(2026, 8, 1), q3)):
        cases.append({"case_key": case, "org_code": "A", "opened_month": month, "status": "active"})
        for i in range(spec["survivors"]):
            survivors.append({
                "survivor_key": f"{case}s{i}", "person_key": f"{case}p{i}", "case_key": case,
                "sex": "female", "age_band": "21-23", "is_child": False, "citizenship": "ID",
                "origin_province_code": "52", "origin_regency_code": "",
                "trafficking_status": "actual_victim", "exploitation_types": ["forced_labour"],
                "sector": "", "recruitment_method": "", "means_of_control": [],
                "is_migrant_worker": True, "destination_country": "MY",
            })  # fmt: skip
        for j, status in enumerate(spec["referrals"]):
            referrals.append({
                "referral_key": f"{case}r{j}", "case_key": case, "survivor_key": f"{case}s0",
                "provider_key": "P1", "provider_type": "ngo", "services": ["shelter"],
                "created_month": month, "status": status,
                "days_to_accept": 3 if status == "completed" else None, "overdue": False,
            })  # fmt: skip
    return Snapshot.from_rows(
        cases=cases, survivors=survivors, events=[], screenings=[], legal=[], referrals=referrals
    )


SMALL_TEMPLATE = textwrap.dedent(
    """\
    format: lentera-report-template/1
    id: change-test
    version: 1
    title: {id: Uji, en: Test}
    sections:
      - id: s
        title: {id: Bagian, en: Part}
        items:
          - metric: referral_completion_rate
          - metric: survivors
          - metric: referrals
          - metric: legal_gaps
          - metric: referrals_completed
            filters: {sex: male}
    """
)


def test_what_changed_in_words_with_small_number_caveats(tmp_path: Path):
    snap = _snapshot(
        {"survivors": 6, "referrals": ["completed"] * 41 + ["declined"] * 59 + ["cancelled"] * 3},
        {"survivors": 9, "referrals": ["completed"] * 58 + ["declined"] * 42},
    )
    wh = build_warehouse(snap, tmp_path / "wh.duckdb")
    template = parse_template(SMALL_TEMPLATE)
    id_ = build_report(wh, template, parse_period("2026-Q3"), lang="id").changes
    en = build_report(wh, template, parse_period("2026-Q3"), lang="en").changes
    assert id_ == [
        "Rujukan selesai naik dari 41 % menjadi 58 %.",
        "Korban naik dari 6 menjadi 9. Angkanya kecil: perubahan sebesar ini dapat terjadi "
        "karena kebetulan saja.",
        "Rujukan turun dari 103 menjadi 100. Perubahan ini masih dalam batas kebetulan untuk "
        "jumlah sebesar ini.",
        "Kesenjangan Palermo–hukum nasional: tidak ada pada kedua periode.",
        "Jumlah rujukan selesai: tidak ada pada kedua periode.",
    ]
    assert en[0] == "Referrals completed rose from 41 % to 58 %."
    assert en[1].startswith("Survivors rose from 6 to 9. Small numbers:")
    # a suppressed side is never compared
    snap = _snapshot({"survivors": 3, "referrals": []}, {"survivors": 9, "referrals": []})
    wh = build_warehouse(snap, tmp_path / "wh2.duckdb")
    report = build_report(wh, template, parse_period("2026-Q3"), lang="en")
    assert "Survivors: cannot be compared, fewer than 5 in one of the periods." in report.changes
    assert "Referrals completed: no data to compare." in report.changes
    # beyond chance but still small numbers: said so
    snap = _snapshot({"survivors": 5, "referrals": []}, {"survivors": 14, "referrals": []})
    wh = build_warehouse(snap, tmp_path / "wh3.duckdb")
    report = build_report(wh, template, parse_period("2026-Q3"), lang="id")
    assert "Korban naik dari 5 menjadi 14. Angkanya kecil; bacalah dengan hati-hati." in (
        report.changes
    )


# --- outputs -----------------------------------------------------------------------------------

SMALL_COUNT = re.compile(r"(?<![\w.,%/:–-])[1-4](?![\w.,%/:–-])")
TABLE_CELL_1_TO_4 = re.compile(r"(?:^|\s{2,})[1-4](?=\s{2,}|\s*$)")


def _xlsx_cells(path: Path) -> list[object]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]


def _docx_cells(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    return [cell.text for t in doc.tables for row in t.rows for cell in row.cells]


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("template", ["donor", "government", "custom-example"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_count_from_1_to_4_in_any_output(wh: Path, tmp_path: Path, template: str, lang: str):
    report = build_report(wh, shipped_templates()[template], PERIOD, lang=lang)
    assert report.suppressed_cells > 0  # the data have small cells: the check below can fail
    for value in report.cells():
        assert not (isinstance(value, int) and 0 < value < 5)
    xlsx = write_report(report, tmp_path / "r.xlsx")
    docx = write_report(report, tmp_path / "r.docx")
    pdf = write_report(report, tmp_path / "r.pdf")
    cells = _xlsx_cells(xlsx)
    assert "<5" in cells
    for value in cells:
        assert not (
            isinstance(value, int | float) and not isinstance(value, bool) and value in (1, 2, 3, 4)
        )
        assert not (isinstance(value, str) and SMALL_COUNT.fullmatch(value.strip()))
    docx_cells = _docx_cells(docx)
    assert "<5" in docx_cells
    assert not [c for c in docx_cells if SMALL_COUNT.fullmatch(c.strip())]
    for sentence in report.changes:  # in words too: no "naik dari 3 menjadi 7"
        assert not SMALL_COUNT.search(sentence), sentence
    text = _pdftotext(pdf)
    assert "<5" in text
    # pdftotext -layout keeps table columns apart by two or more spaces
    assert not [line for line in text.splitlines() if TABLE_CELL_1_TO_4.search(line)]
    # the topics the warehouse lacks are stated, not invented
    gaps = [s.not_recorded for s in report.sections if s.not_recorded]
    for gap in gaps:
        assert gap.split(".")[0] in text.replace("\n", " ") or gap[:30] in " ".join(text.split())
    with zipfile.ZipFile(docx) as z:
        assert b"Lentera" in z.read("docProps/core.xml")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_renders_to_png(wh: Path, tmp_path: Path):
    report = build_report(wh, shipped_templates()["donor"], PERIOD, lang="id")
    pdf = write_report(report, tmp_path / "donor.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    text = _pdftotext(pdf)
    assert "Laporan kepada Donor" in text and PERIOD.label("id") in text
    assert "Belum tercatat" in text


def test_cli_build_writes_each_format_and_refuses_bad_input(wh: Path, tmp_path: Path, capsys):
    for suffix in ("xlsx", "docx", "pdf"):
        out = tmp_path / f"donor.{suffix}"
        code = main(["report", "build", "donor", "--period", "2023-Q3", "--out", str(out),
                     "--lang", "en", "--warehouse", str(wh)])  # fmt: skip
        assert code == 0 and out.stat().st_size > 1000
        assert "donor v2, Q3 2023" in capsys.readouterr().out
    bad = tmp_path / "donor.csv"
    assert main(["report", "build", "donor", "--period", "2023-Q3", "--out", str(bad),
                 "--warehouse", str(wh)]) == 2  # fmt: skip
    assert "use a .xlsx, .docx or .pdf" in capsys.readouterr().err and not bad.exists()
    out = tmp_path / "x.xlsx"
    assert main(["report", "build", "donor", "--period", "2023-Q9", "--out", str(out),
                 "--warehouse", str(wh)]) == 2  # fmt: skip
    assert "quarter 9 does not exist" in capsys.readouterr().err and not out.exists()
    assert main(["report", "build", "donor", "--period", "2023", "--out", str(out),
                 "--warehouse", str(tmp_path / "none.duckdb")]) == 3  # fmt: skip
    assert not out.exists()


def test_cli_builds_a_custom_template_file_and_refuses_a_broken_one(
    wh: Path, tmp_path: Path, capsys
):
    good = tmp_path / "mine.yaml"
    good.write_text(SMALL_TEMPLATE, "utf-8")
    out = tmp_path / "mine.docx"
    assert main(["report", "build", str(good), "--period", "2023-Q3", "--out", str(out),
                 "--warehouse", str(wh)]) == 0  # fmt: skip
    assert "change-test v1" in capsys.readouterr().out and out.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL_TEMPLATE.replace("metric: survivors\n", "metric: survivers\n"), "utf-8")
    out = tmp_path / "bad.docx"
    assert main(["report", "build", str(bad), "--period", "2023-Q3", "--out", str(out),
                 "--warehouse", str(wh)]) == 2  # fmt: skip
    assert f"{bad}:10: section 's' item 2: unknown metric 'survivers'" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_government_report_names_the_forms_modelled_and_says_they_are_unverified(
    wh: Path, tmp_path: Path, lang: str
):
    template = shipped_templates()["government"]
    report = build_report(wh, template, PERIOD, lang=lang)
    mark = {"id": "[belum diverifikasi]", "en": "[unverified]"}[lang]
    assert len(report.sources) == len(template.sources) >= 5
    assert all(s.endswith(mark) for s in report.sources)
    assert "Petunjuk Teknis Pendataan" in report.sources[0]
    assert {"id": "belum diverifikasi", "en": "unverified"}[lang] in report.description
    xlsx_text = " ".join(str(c) for c in _xlsx_cells(write_report(report, tmp_path / "g.xlsx")))
    from docx import Document

    doc = Document(str(write_report(report, tmp_path / "g.docx")))
    docx_text = " ".join(para.text for para in doc.paragraphs)
    pdf_text = " ".join(_pdftotext(write_report(report, tmp_path / "g.pdf")).split())
    for text in (xlsx_text, docx_text, pdf_text):
        assert "SIMFONI-PPA" in text and mark in text
