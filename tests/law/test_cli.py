"""``lentera qualify`` and ``lentera schema qualification``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.law import QualificationResult

GOLDEN = Path(__file__).resolve().parent / "golden"


def _facts(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))["facts"]


def test_qualify_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(_facts("g13_fishing_arafura_debt_bondage_injury")), encoding="utf-8")
    assert main(["qualify", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    QualificationResult.model_validate(doc)
    charges = {c["id"]: c for c in doc["indonesia"]["charges"]}
    assert charges["UU-21-2007:2.2"]["met"] is True
    assert charges["UU-21-2007:2.2"]["aggravations"] == ["UU-21-2007:7.1"]


def test_qualify_stdin_jsonl_reports_bad_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good1 = _facts("g34_straddle_2026_01_01")
    bad = dict(
        _facts("g35_straddle_2026_01_02"), victim={"age_at_offence": "twenty", "citizenship": "ID"}
    )
    good3 = _facts("g35_straddle_2026_01_02")
    text = "\n".join(json.dumps(d) for d in (good1, bad, good3)) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["qualify", "-"]) == 2
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    for doc in (first, second):
        QualificationResult.model_validate(doc)
    ids1 = {c["id"] for c in first["indonesia"]["charges"]}
    ids2 = {c["id"] for c in second["indonesia"]["charges"]}
    assert "UU-21-2007:2.1" in ids1 and "KUHP-2023:455.1" not in ids1  # line 1 first, in order
    assert "KUHP-2023:455.1" in ids2 and "UU-21-2007:2.1" not in ids2
    assert "line 2" in err
    assert "victim.age_at_offence" in err


def test_schema_qualification(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "qualification"]) == 0
    out, _ = capsys.readouterr()
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert {"palermo", "indonesia", "gaps", "victim_is_child", "rule_set"} <= set(
        schema["properties"]
    )
    assert "schema" in schema["properties"]


def test_law_check_lists_unverified_articles(capsys: pytest.CaptureFixture[str]) -> None:
    from lentera.law import load_kb

    assert main(["law", "check", "--json"]) == 0
    entries = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ids = {e["article"] for e in entries}
    kb = load_kb()
    # exactly the articles whose text or a dated penalty regime is unverified
    assert ids == {a.id for a in kb.unverified()}
    assert "UU-21-2007:2.2" in ids and "UU-21-2007:4" not in ids
    every = {e["article"]: e for e in entries}
    assert every["UU-21-2007:2.2"]["text_verified"] is False
    assert every["UU-12-2022:12"]["unverified_penalty_readings"][0]["from"] == "2026-01-02"
    for art in kb.articles.values():  # every article proves where it came from
        assert art.text and art.text_source and isinstance(art.verified, bool), art.id
    assert main(["law", "check", "--strict"]) == 1
    assert "articles not fully verified" in capsys.readouterr().out
