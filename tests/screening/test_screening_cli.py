"""``lentera screen`` and ``lentera schema screening``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.screening.models import ScreeningResult

ADULT = {
    "victim": {"age_at_offence": 30},
    "indicators": ["adult_labour.D4.excessive_hours", "adult_labour.D4.low_or_no_salary"],
}
CHILD = {
    "victim": {"age_at_offence": 15},
    "acts": ["recruitment"],
    "indicators": ["child_labour.D4.excessive_hours", "child_labour.D4.bad_living_conditions"],
}


def test_screen_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(ADULT), encoding="utf-8")
    assert main(["screen", str(path)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    ScreeningResult.model_validate(doc)
    assert (doc["list"], doc["outcome"]) == ("adult_labour", "exploited_not_trafficked")
    assert err == ""


def test_screen_stdin_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"victim": {"age_at_offence": "x"}}
    text = "\n".join(json.dumps(d) for d in (ADULT, bad, CHILD)) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    assert main(["screen", "-"]) == 2
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["list"], d["outcome"]) for d in docs] == [
        ("adult_labour", "exploited_not_trafficked"),
        ("child_labour", "trafficked"),
    ]
    assert "line 2" in err
    assert "line 1" not in err and "line 3" not in err


def test_screen_bad_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"indicators": ["adult_labour.D4.nope"]}', encoding="utf-8")
    assert main(["screen", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "bad.json" in err and "indicators.0" in err


def test_schema_screening(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "screening"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "properties" in schema
    assert {"list", "outcome", "dimensions", "reasons"} <= set(schema["properties"])
