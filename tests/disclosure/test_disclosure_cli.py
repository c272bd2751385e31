"""``lentera export ctdc|htcds|dp`` and ``lentera hub import|verify|national|unique``: exit codes
and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _disclosure_kit import snapshot_dir

from lentera.cli import main
from lentera.disclosure import verify_k, verify_package


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    return snapshot_dir(tmp_path)


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith("lentera: error: ")
    return err


@pytest.mark.parametrize("layout", ["2017", "2024"])
def test_export_ctdc_writes_a_verified_file_and_package(
    snap: Path, tmp_path: Path, layout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out, pkg = tmp_path / "c.csv", tmp_path / "pkg.zip"
    code = main(
        [
            "export", "ctdc", "--k", "11", "--layout", layout, "--out", str(out),
            "--from", str(snap), "--package", str(pkg), "--released-by", "Tester",
        ]
    )  # fmt: skip
    assert code == 0
    assert "k=11" in capsys.readouterr().out
    header = pd.read_csv(out, nrows=0).columns
    qis = [c for c in ("gender", "ageBroad", "yearOfRegistration") if c in header]
    assert verify_k(out, k=11, qi_columns=qis).ok
    manifest = verify_package(pkg).manifest
    assert manifest["created_by"] == "Tester" and manifest["organisation"] == "org0"


def test_export_htcds(snap: Path, tmp_path: Path) -> None:
    out = tmp_path / "h.xlsx"
    assert main(["export", "htcds", "--out", str(out), "--from", str(snap)]) == 0
    assert out.stat().st_size > 0


def test_export_dp_spends_and_then_refuses(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.json"
    base = ["export", "dp", "--from", str(snap), "--ledger", str(ledger)]
    args = [*base, "--epsilon", "0.6", "--by", "sex,year", "--years", "2019-2024"]
    assert main([*args, "--out", str(tmp_path / "a.csv")]) == 0
    printed = capsys.readouterr().out
    assert "discrete Laplace" in printed and "95 % error" in printed
    table = pd.read_csv(tmp_path / "a.csv")
    assert list(table.columns) == ["sex", "year", "count"] and len(table) == 4 * 6
    assert (table["count"] >= 0).all()
    meta = json.loads((tmp_path / "a.csv.meta.json").read_text())
    assert meta["epsilon"] == 0.6 and meta["scale"] > 0 and meta["error95"] > 0
    assert main([*args, "--out", str(tmp_path / "b.csv")]) == 5
    assert "budget" in _error_line(capsys)
    assert not (tmp_path / "b.csv").exists()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", "ctdc", "--k", "1", "--out", "X.csv"], "k must be"),
        (["export", "ctdc", "--out", "X.txt"], "must end in .csv"),
        (["export", "ctdc", "--out", "X.csv", "--max-suppression", "2"], "max-suppression"),
        (["export", "dp", "--epsilon", "-1", "--by", "sex", "--out", "X.csv"], "epsilon"),
        (["export", "dp", "--epsilon", "1", "--by", "name", "--out", "X.csv"], "unknown dim"),
        (["export", "dp", "--epsilon", "1", "--by", "year", "--out", "X.csv"], "year range"),
        (
            ["export", "dp", "--epsilon", "1", "--by", "year", "--years", "20x", "--out", "X.csv"],
            "--years",
        ),
        (["export", "htcds", "--out", "X.xlsx", "--from", "/nonexistent"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    snap: Path, tmp_path: Path, argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("X.", str(tmp_path / "x.")) for a in argv]
    if "--from" not in argv:
        argv += ["--from", str(snap)]
    assert main(argv) == 2
    assert needle in _error_line(capsys)


def test_export_without_verb_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 2
    assert main(["hub"]) == 2


def test_hub_import_verify_national_unique(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = tmp_path / "pkg"
    hub = tmp_path / "hub"
    args = ["export", "dp", "--from", str(snap), "--epsilon", "1", "--by", "sex"]
    assert main([*args, "--out", str(tmp_path / "d.csv"), "--package", str(pkg)]) == 0
    assert main(["hub", "verify", str(pkg)]) == 0
    assert main(["hub", "import", str(pkg), "--hub", str(hub)]) == 0
    assert "imported release" in capsys.readouterr().out
    assert main(["hub", "import", str(pkg), "--hub", str(hub)]) == 5
    assert "already in the hub" in _error_line(capsys)
    assert main(["hub", "national", "--by", "sex", "--hub", str(hub)]) == 0
    national = capsys.readouterr().out
    assert national.startswith("sex,count,organisations,error95,caveat")
    assert main(["hub", "unique", "--hub", str(hub)]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 0


def test_hub_import_refuses_a_tampered_package(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = tmp_path / "pkg"
    args = ["export", "dp", "--from", str(snap), "--epsilon", "1", "--by", "sex"]
    assert main([*args, "--out", str(tmp_path / "d.csv"), "--package", str(pkg)]) == 0
    table = pkg / "dp_sex.csv"
    table.write_text(table.read_text().replace("female,", "female,1", 1))
    assert main(["hub", "import", str(pkg), "--hub", str(tmp_path / "hub")]) == 2
    assert "SHA-256" in _error_line(capsys)
    assert main(["hub", "import", str(tmp_path / "none.zip"), "--hub", str(tmp_path / "h")]) == 2
    assert "no such package" in _error_line(capsys)


def test_verify_k_command_passes_a_release_and_fails_a_tampered_file(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.csv"
    assert main(["export", "ctdc", "--out", str(out), "--from", str(snap)]) == 0
    capsys.readouterr()
    assert main(["export", "verify-k", str(out), "--k", "11"]) == 0
    assert "is 11-anonymous" in capsys.readouterr().out
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    odd = frame.iloc[[0]].copy()
    odd["yearOfRegistration"] = "2002"
    pd.concat([frame, odd]).to_csv(out, index=False)
    assert main(["export", "verify-k", str(out), "--k", "11"]) == 2
    assert "not 11-anonymous" in _error_line(capsys)


def test_hub_counts_unique_survivors_from_v2_encodings_and_refuses_a_v1_mix(
    snap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lentera link encode` (lentera-clk/2) → `hub import --encodings` → `hub unique`; a
    second organisation's /1 encodings are imported but counting them with /2 is refused."""
    from _disclosure_kit import snapshot

    from lentera.disclosure import build_package, ctdc_release

    key = tmp_path / "key"
    key.write_bytes(b"a coalition secret of enough length")
    people = tmp_path / "people.csv"
    people.write_text(
        "record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone\n"
        "1,Siti Aminah,1990-03-14,F,,,3201,\n2,Dewi Lestari,1988-11-02,F,,,3273,\n"
        "3,Rudi Hartono,1985-05-05,M,,,3578,\n"
    )
    pkg, hub = tmp_path / "pkg", tmp_path / "hub"
    args = ["export", "dp", "--from", str(snap), "--epsilon", "1", "--by", "sex"]
    assert main([*args, "--out", str(tmp_path / "d.csv"), "--package", str(pkg)]) == 0
    for fmt in ("2", "1"):
        assert main(["link", "encode", str(people), "--key-file", str(key), "--format", fmt,
                     "--out", str(tmp_path / f"enc{fmt}.jsonl")]) == 0  # fmt: skip
    assert main(["hub", "import", str(pkg), "--hub", str(hub),
                 "--encodings", str(tmp_path / "enc2.jsonl")]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["hub", "unique", "--hub", str(hub)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["version"] == "lentera-clk/2" and result["records"] == 3
    other = tmp_path / "other.zip"
    build_package(
        other, organisation="ngoB", created_by="t", ctdc=[ctdc_release(snapshot(700, 41, 1))]
    )
    assert main(["hub", "import", str(other), "--hub", str(hub),
                 "--encodings", str(tmp_path / "enc1.jsonl")]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["hub", "unique", "--hub", str(hub)]) == 2
    assert "ngoB sent lentera-clk/1 encodings" in _error_line(capsys)
