"""``lentera link dedupe``: the exact file interface and one-line errors (exit code 2)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.linkage import synthetic

HEADER = "record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone\n"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_dedupe_writes_a_cluster_for_every_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        "1,Hj. Soerjani binti Karto,1990-08-17,female,3578015708900003,Surabaya,3578,081234567890",
        "2,SURYANI,1990,,3578015708900003,,3578,+62 812 3456 7890",
        "3,I Wayan Sudarma,1985-02-01,male,,Denpasar,5171,",
        "4,Siti Aminah,1975-11-30,female,,,3201,",
    ]
    source = _write(tmp_path / "in.csv", rows)
    out, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    assert main(["link", "dedupe", str(source), "--out", str(out), "--pairs", str(pairs)]) == 0
    with out.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["record_id", "cluster_id"]
        clusters = dict(reader)
    assert clusters == {"1": "1", "2": "1", "3": "3", "4": "4"}
    with pairs.open(encoding="utf-8") as fh:
        (pair,) = list(csv.DictReader(fh))
    assert (pair["record_id_l"], pair["record_id_r"]) == ("1", "2")
    assert "nik: same NIK" in pair["explanation"]
    printed = capsys.readouterr().out
    assert "4 records → 3 clusters" in printed
    assert "0 links not followed" in printed and "0 links weakened" in printed


def test_train_then_reuse_the_model(tmp_path: Path) -> None:
    data = synthetic.generate(2000, seed=8)
    source = tmp_path / "in.csv"
    data.to_csv(source)
    model = tmp_path / "model.json"
    out = tmp_path / "clusters.csv"
    assert (
        main(["link", "dedupe", str(source), "--out", str(out), "--train", "--model", str(model)])
        == 0
    )
    assert model.exists()
    assert (
        main(
            [
                "link",
                "dedupe",
                str(source),
                "--out",
                str(out),
                "--model",
                str(model),
                "--threshold",
                "0.9",
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2000 and {r["record_id"] for r in rows} == set(data.columns["record_id"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id,name\n1,Sutinah\n", "line 1: the header must be exactly"),
        ((HEADER + "1,A,,,,,,\n1,B,,,,,,\n").encode(), "line 3: record_id '1' appears twice"),
        (
            (HEADER + "1,Sutinah,,,,,,\n2,Sutinah,,,,,,\n3,P\xe9ni,,,,,,\n").encode("latin-1"),
            "line 4: not UTF-8",
        ),
        ((HEADER + "1,Sutinah,31-02-1990,,,,,\n").encode(), "line 2: birth_date: impossible date"),
        ((HEADER + "1,Sutinah,,X,,,,\n").encode(), "line 2: sex:"),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    assert main(["link", "dedupe", str(source), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and str(source) in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_unreadable_file_and_bad_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.csv"
    assert main(["link", "dedupe", str(missing), "--out", str(tmp_path / "o.csv")]) == 2
    assert f"cannot read {missing}" in capsys.readouterr().err
    source = _write(tmp_path / "in.csv", ["1,Sutinah,,,,,,"])
    assert (
        main(["link", "dedupe", str(source), "--out", str(tmp_path / "o.csv"), "--threshold", "2"])
        == 2
    )
    assert "--threshold" in capsys.readouterr().err
