"""``lentera analytics build | report | export | import-ctdc`` and their one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from _analytics_fixture import fixture_snapshot

from lentera.cli import main

FIX = Path(__file__).parent / "fixtures"


def test_build_report_export_import(tmp_path, capsys):
    snap = fixture_snapshot().write_dir(tmp_path / "snap", fmt="jsonl")
    db = tmp_path / "wh.duckdb"
    assert main(["analytics", "build", "--from", str(snap), "--out", str(db)]) == 0
    assert "survivors 15" in capsys.readouterr().out
    assert (
        main(
            [
                "analytics",
                "import-ctdc",
                str(FIX / "ctdc_2017_synthetic.csv"),
                "--layout",
                "2017",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    html = tmp_path / "r.html"
    assert main(["analytics", "report", "--db", str(db), "--out", str(html), "--lang", "en"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "Evidence Report" in text and "<svg" in text and "CTDC 2017" in text
    pdf = tmp_path / "r.pdf"
    assert main(["analytics", "report", "--db", str(db), "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main(["analytics", "export", "--db", str(db), "--parquet", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x" / "aggregates" / "survivors.parquet").exists()


def test_errors_are_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "snap"
    bad.mkdir()
    (bad / "cases.jsonl").write_text(
        '{"case_key": "c1", "org_code": "A", "opened_month": "2024-01-05", "status": "active"}\n'
    )
    (bad / "survivors.jsonl").write_text("")
    cases = [
        ["analytics", "build", "--from", str(bad), "--out", str(tmp_path / "w.duckdb")],
        [
            "analytics",
            "report",
            "--db",
            str(tmp_path / "none.duckdb"),
            "--out",
            str(tmp_path / "r.html"),
        ],
        [
            "analytics",
            "import-ctdc",
            str(FIX / "ctdc_2024_synthetic.csv"),
            "--layout",
            "2017",
            "--db",
            str(tmp_path / "none.duckdb"),
        ],
    ]
    for argv in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        errors = [line for line in err if line.startswith("lentera: error:")]
        assert len(errors) == 1, err
    assert (
        main(["analytics", "build", "--from", str(bad), "--out", str(tmp_path / "w.duckdb")]) == 2
    )
    assert "cases row 1 field opened_month" in capsys.readouterr().err


@pytest.mark.django_db
def test_build_without_from_exports_the_case_store(tmp_path, capsys):
    """Without --from the snapshot is exported from the case store (here an empty one)."""
    db = tmp_path / "w.duckdb"
    assert main(["analytics", "build", "--out", str(db)]) == 0
    assert db.exists()
    assert "survivors 0" in capsys.readouterr().out
