"""Golden scores worked out by hand from the scoring rule in the catalogue.

Each ``golden/*.json`` holds a visit, the arithmetic (``derivation``) and the
expected scores. The shipped weights are equal (Lentera's interim weights, not
IOM's), so one more case swaps in unequal weights to prove they are applied.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from lentera.errors import LenteraError
from lentera.reintegration import load_catalogue, score, trajectory
from lentera.reintegration.catalogue import Catalogue

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.json"))


def _load(name: str) -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "golden" / name).read_text("utf-8"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden(path: Path) -> None:
    case = json.loads(path.read_text("utf-8"))
    result = score(case["visit"])
    expected = case["expected"]
    assert {d: s.score for d, s in result.dimensions.items()} == expected["scores"]
    assert {d: s.coverage for d, s in result.dimensions.items()} == expected["coverage"]
    assert result.composite == expected["composite"]
    assert list(result.reasons) == expected["reasons"]
    for key in ("not_scored", "not_applicable", "missing"):
        for dim, ids in expected.get(key, {}).items():
            assert list(getattr(result.dimensions[dim], key)) == ids


def test_there_are_golden_cases() -> None:
    assert len(GOLDEN) >= 4


def _weighted(cat: Catalogue, weights: dict[str, int], composite: dict[str, int]) -> Catalogue:
    indicators = {
        key: dataclasses.replace(
            ind,
            weight=Fraction(weights.get(key, 1)),
            composite_weight=Fraction(composite.get(ind.dimension, 1)),
        )
        for key, ind in cat.indicators.items()
    }
    return dataclasses.replace(cat, indicators=indicators)


def test_unequal_weights_are_applied() -> None:
    """economic: 0.75·1 + 0.5·2 + 1·1 + 0.5·1 + 0.5·4 = 5.25 over weight 9 = 0.5833;
    composite, psychosocial items weighted 2: (3.25 + 3.5 + 2·3.0) / (5 + 5 + 10) = 0.6375."""
    cat = _weighted(
        load_catalogue(),
        {"economic.food_insecurity": 2, "economic.work": 4},
        {"psychosocial": 2},
    )
    result = score(_load("complete_survey.json")["visit"], catalogue=cat)
    assert result.dimensions["economic"].score == 0.5833
    assert result.dimensions["social"].score == 0.7
    assert result.dimensions["psychosocial"].score == 0.6
    assert result.composite == 0.6375


def test_trajectory_golden() -> None:
    """Visits given out of order: points sorted by date, change = last - first."""
    march = {**_load("coverage_boundary.json")["visit"], "survivor": "YLK-9"}
    june = {**_load("complete_survey.json")["visit"], "survivor": "YLK-9"}
    september = {**_load("not_reached.json")["visit"], "survivor": "YLK-9"}
    traj = trajectory([score(june), score(september), score(march)])
    assert [(str(p.visit_date), p.days_since_first) for p in traj.points] == [
        ("2026-03-01", 0),
        ("2026-06-15", 106),
    ]
    assert traj.points[0].composite == 0.6944 and traj.points[1].composite == 0.65
    assert traj.change == {
        "economic": -0.1,
        "social": 0.1167,
        "psychosocial": -0.15,
        "composite": -0.0444,
    }
    assert (traj.not_reached, traj.refused) == (1, 0)


def test_trajectory_refuses_two_completed_visits_on_one_day() -> None:
    visit = _load("complete_survey.json")["visit"]
    with pytest.raises(LenteraError, match="two completed visits on 2026-06-15"):
        trajectory([score(visit), score(visit)])


def test_trajectory_refuses_mixed_survivors() -> None:
    a = _load("complete_survey.json")["visit"]
    b = _load("coverage_boundary.json")["visit"]
    with pytest.raises(LenteraError, match="one survivor"):
        trajectory([score(a), score(b)])
