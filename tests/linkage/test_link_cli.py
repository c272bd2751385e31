"""The `lentera link encode|match` verbs: exact file interfaces, clear errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lentera.cli import main

HEADER = "record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_encode_then_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a coalition secret of enough length")
    a = _write(
        tmp_path / "a.csv",
        [
            "1,Soerjani binti Karto,17-08-1990,female,,Surabaya,3578,081234567890",
            "2,I Wayan Sudarma,1985,male,,,5171,",
        ],
    )
    b = _write(
        tmp_path / "b.csv",
        ["x,Suryani Karto,1990-08-17,female,,,3578,", "y,Siti Aminah,1990-08-17,female,,,3201,"],
    )
    assert (
        main(["link", "encode", str(a), "--key-file", str(key), "--out", str(tmp_path / "a.jsonl")])
        == 0
    )
    assert (
        main(["link", "encode", str(b), "--key-file", str(key), "--out", str(tmp_path / "b.jsonl")])
        == 0
    )
    assert "Soerjani" not in (tmp_path / "a.jsonl").read_text()
    assert (
        main(
            [
                "link",
                "match",
                str(tmp_path / "a.jsonl"),
                str(tmp_path / "b.jsonl"),
                "--out",
                str(tmp_path / "pairs.csv"),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader((tmp_path / "pairs.csv").open()))
    assert [(r["a_record_id"], r["b_record_id"]) for r in rows] == [("1", "x")]
    assert "3 unique survivors" in capsys.readouterr().out


def test_wrong_header_and_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a coalition secret of enough length")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,Sutinah\n")
    assert (
        main(
            ["link", "encode", str(bad), "--key-file", str(key), "--out", str(tmp_path / "o.jsonl")]
        )
        == 2
    )
    assert "header must be exactly" in capsys.readouterr().err
    assert (
        main(
            [
                "link",
                "encode",
                str(tmp_path / "missing.csv"),
                "--key-file",
                str(key),
                "--out",
                str(tmp_path / "o.jsonl"),
            ]
        )
        == 2
    )
    dup = _write(tmp_path / "dup.csv", ["1,A,,,,,,", "1,B,,,,,,"])
    assert (
        main(
            ["link", "encode", str(dup), "--key-file", str(key), "--out", str(tmp_path / "o.jsonl")]
        )
        == 2
    )
    assert "line 3" in capsys.readouterr().err
    junk = tmp_path / "junk.jsonl"
    junk.write_text('{"record_id": "1"}\n')
    assert main(["link", "match", str(junk), str(junk), "--out", str(tmp_path / "p.csv")]) == 2
    assert "line 1" in capsys.readouterr().err
