"""Golden cases for the ILO/EC screening engine; expectations derived by hand from the YAML rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lentera.screening import screen
from lentera.screening.models import ScreeningResult

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.json"))

#: cases where the engine disagrees with the hand-derived expectation (file stem -> reason)
XFAIL: dict[str, str] = {}


def _params():
    for path in GOLDEN:
        marks = (
            [pytest.mark.xfail(reason=XFAIL[path.stem], strict=True)] if path.stem in XFAIL else []
        )
        yield pytest.param(path, id=path.stem, marks=marks)


def test_enough_golden_files() -> None:
    assert len(GOLDEN) >= 32
    lists = {json.loads(p.read_text("utf-8"))["expect"]["list"] for p in GOLDEN}
    assert lists == {"adult_labour", "adult_sexual", "child_labour", "child_sexual"}


@pytest.mark.parametrize("path", list(_params()))
def test_golden(path: Path) -> None:
    case = json.loads(path.read_text("utf-8"))
    expect = case["expect"]
    result = screen(case["facts"])
    assert ScreeningResult.model_validate(result.to_dict()) == result  # built right, unvalidated
    assert result.list == expect["list"]
    assert result.outcome == expect["outcome"]
    positive = {d for d, slot in result.dimensions.items() if slot.positive}
    assert positive == set(expect["positive"])
    missing = set(expect["reasons_include"]) - set(result.reasons)
    assert not missing, f"missing reasons {sorted(missing)} in {result.reasons}"
    for dim, ids in expect.get("indicators", {}).items():
        assert result.dimensions[dim].indicators == ids
