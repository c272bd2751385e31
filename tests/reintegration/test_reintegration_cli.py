"""``lentera reintegration score|trajectory`` and ``lentera schema reintegration``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from lentera.cli import main
from lentera.reintegration.models import ReintegrationResult, RssVisit, Trajectory

GOOD = {
    "survivor": "YLK-1",
    "visit_date": "2026-03-01",
    "answers": {
        "economic.food_insecurity": "often",
        "economic.can_borrow": "yes",
        "economic.work": "regular",
        "social.housing": "good",
        "social.health_care": "fair",
        "social.identity_documents": "in_process",
        "psychosocial.support_network": "very_good",
        "psychosocial.physical_safety": "safe",
        "psychosocial.distress": "sometimes",
    },
}
LATER = {
    **GOOD,
    "visit_date": "2026-06-01",
    "answers": {**GOOD["answers"], "economic.work": "none"},
}
LOST = {"survivor": "YLK-1", "visit_date": "2026-09-01", "outcome": "not_reached"}
OTHER = {**GOOD, "survivor": "YLK-2"}


def _stdin(monkeypatch: pytest.MonkeyPatch, *docs: object) -> None:
    text = "\n".join(d if isinstance(d, str) else json.dumps(d) for d in docs) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_score_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert main(["reintegration", "score", str(path)]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    ReintegrationResult.model_validate(doc)
    assert doc["composite"] == 0.6944 and doc["dimensions"]["social"]["score"] == 0.5833
    assert err == ""


def test_score_stdin_json_lines_names_line_and_field(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_answer = {**GOOD, "answers": {"economic.work": "sometimes"}}
    bad_date = {**GOOD, "visit_date": "01/03/2026"}
    future = {**GOOD, "visit_date": "2999-01-01"}
    answers_when_lost = {**LOST, "answers": {"economic.work": "none"}}
    _stdin(monkeypatch, GOOD, bad_answer, "{not json", bad_date, future, answers_when_lost, LATER)
    assert main(["reintegration", "score", "-"]) == 2
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["visit_date"] for d in docs] == ["2026-03-01", "2026-06-01"]
    errors = err.splitlines()
    assert len(errors) == 5
    assert errors[0].startswith("lentera: error: line 2: answers.economic.work: unknown answer")
    assert "allowed: regular, irregular, none, refused" in errors[0]
    assert errors[1].startswith("lentera: error: line 3: not valid JSON")
    assert errors[2].startswith("lentera: error: line 4: visit_date:")
    assert "future" in errors[3] and "line 5" in errors[3]
    assert "line 6" in errors[4] and "cannot carry answers" in errors[4]


def test_unknown_indicator_and_field_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(
        monkeypatch,
        {**GOOD, "answers": {"economic.income": "yes"}},
        {**GOOD, "name": "Siti"},
        {**GOOD, "survivor": "Siti Aminah"},
        {**GOOD, "catalogue": "iom-rss-2099/9"},
    )
    assert main(["reintegration", "score", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert "line 1: answers.economic.income: unknown indicator" in lines[0]
    assert "line 2: name: Extra inputs are not permitted" in lines[1]
    assert "line 3: survivor:" in lines[2]
    assert "line 4: catalogue:" in lines[3]


def test_trajectory_per_survivor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, LOST, OTHER, LATER, GOOD)
    assert main(["reintegration", "trajectory", "-"]) == 0
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["survivor"] for d in docs] == ["YLK-1", "YLK-2"]
    first = Trajectory.model_validate(docs[0])
    assert [str(p.visit_date) for p in first.points] == ["2026-03-01", "2026-06-01"]
    assert first.not_reached == 1
    # work regular (1) -> none (0): economic 2.25/3 -> 1.25/3
    assert first.change["economic"] == round(0.4167 - 0.75, 4)
    assert err == ""


def test_trajectory_conflict_names_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, GOOD, OTHER, GOOD)
    assert main(["reintegration", "trajectory", "-"]) == 2
    out, err = capsys.readouterr()
    assert [json.loads(line)["survivor"] for line in out.splitlines()] == ["YLK-2"]
    assert "two completed visits on 2026-03-01 (line 1, line 3)" in err


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reintegration", "score"]) == 2
    assert main(["reintegration", "trajectory"]) == 2


@pytest.mark.parametrize(
    ("name", "model", "keys"),
    [
        ("reintegration", ReintegrationResult, {"dimensions", "composite", "reasons"}),
        ("reintegration-visit", RssVisit, {"survivor", "visit_date", "answers", "outcome"}),
        ("reintegration-trajectory", Trajectory, {"points", "change", "not_reached"}),
    ],
)
def test_schema(name: str, model: type, keys: set[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", name]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert keys <= set(schema["properties"])
    assert schema["title"] == model.__name__
