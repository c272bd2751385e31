"""Property tests of the reintegration engine (hypothesis), over the shipped catalogue and
over the same catalogue with random weights."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.reintegration import load_catalogue, score, trajectory
from lentera.reintegration.catalogue import Catalogue

CAT = load_catalogue()
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCORE_KEYS = ("economic", "social", "psychosocial")


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    if draw(st.booleans()):
        return CAT
    weight = st.integers(min_value=1, max_value=9)
    indicators = {
        key: dataclasses.replace(
            ind, weight=Fraction(draw(weight)), composite_weight=Fraction(draw(weight))
        )
        for key, ind in CAT.indicators.items()
    }
    return dataclasses.replace(CAT, indicators=indicators)


@st.composite
def answers(draw: st.DrawFn, *, complete: bool = False) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, ind in CAT.indicators.items():
        codes = list(ind.options)
        if complete:
            codes = [c for c, o in ind.options.items() if o.score is not None]
        elif not draw(st.booleans()):
            continue
        out[key] = draw(st.sampled_from(codes))
    return out


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 1, 1))


def visit(ans: dict[str, str], day: dt.date = dt.date(2026, 1, 1), who: str = "S-1") -> dict:
    return {"survivor": who, "visit_date": day.isoformat(), "answers": ans}


def _scores(result: Any) -> dict[str, float | None]:
    out = {d: result.dimensions[d].score for d in SCORE_KEYS}
    out["composite"] = result.composite
    return out


@SETTINGS
@given(catalogues(), answers())
def test_scores_lie_in_unit_interval(cat: Catalogue, ans: dict[str, str]) -> None:
    result = score(visit(ans), catalogue=cat)
    for value in _scores(result).values():
        assert value is None or 0 <= value <= 1
    for dim in result.dimensions.values():
        assert 0 <= dim.coverage <= 1


@SETTINGS
@given(catalogues(), answers(), st.data())
def test_improving_an_answer_never_lowers_a_score(
    cat: Catalogue, ans: dict[str, str], data: st.DataObject
) -> None:
    scored = [k for k, code in ans.items() if CAT.indicators[k].options[code].score is not None]
    if not scored:
        return
    key = data.draw(st.sampled_from(sorted(scored)))
    options = CAT.indicators[key].options
    current = options[ans[key]].score
    better = [c for c, o in options.items() if o.score is not None and o.score >= current]
    improved = {**ans, key: data.draw(st.sampled_from(better))}
    before = _scores(score(visit(ans), catalogue=cat))
    after = _scores(score(visit(improved), catalogue=cat))
    for name, value in before.items():
        if value is None:
            assert after[name] is None  # coverage does not change with the answer's value
        else:
            assert after[name] is not None and after[name] >= value, name


@SETTINGS
@given(catalogues(), answers())
def test_deterministic_and_independent_of_answer_order(cat: Catalogue, ans: dict[str, str]) -> None:
    first = score(visit(ans), catalogue=cat)
    again = score(visit(ans), catalogue=cat)
    reordered = score(visit(dict(reversed(list(ans.items())))), catalogue=cat)
    assert first == again == reordered
    assert first.to_json_dict() == reordered.to_json_dict()


@SETTINGS
@given(catalogues(), answers(complete=True))
def test_a_complete_survey_has_every_score(cat: Catalogue, ans: dict[str, str]) -> None:
    result = score(visit(ans), catalogue=cat)
    assert all(v is not None for v in _scores(result).values())
    assert not [
        r for r in result.reasons if r.startswith(("dimension_insufficient", "composite_needs"))
    ]


def test_best_and_worst_answers_score_one_and_zero() -> None:
    best = {
        k: max(i.options, key=lambda c: i.options[c].score or -1) for k, i in CAT.indicators.items()
    }
    worst = {
        k: min(
            (c for c, o in i.options.items() if o.score is not None),
            key=lambda c: i.options[c].score,
        )
        for k, i in CAT.indicators.items()
    }
    assert set(_scores(score(visit(best))).values()) == {1.0}
    assert set(_scores(score(visit(worst))).values()) == {0.0}


@SETTINGS
@given(
    st.lists(st.tuples(answers(), dates), min_size=1, max_size=6, unique_by=lambda t: t[1]),
    st.randoms(),
)
def test_trajectory_is_independent_of_visit_order(visits: list, rnd: Any) -> None:
    results = [score(visit(a, d)) for a, d in visits]
    shuffled = list(results)
    rnd.shuffle(shuffled)
    traj = trajectory(results)
    assert traj == trajectory(shuffled)
    days = [p.visit_date for p in traj.points]
    assert days == sorted(days) and len(days) == len(visits)
    assert traj.points[0].days_since_first == 0
