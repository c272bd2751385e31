"""Property tests of the screening engine (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.facts.vocab import ACTS, PURPOSES
from lentera.screening import ScreeningResult, screen
from lentera.screening.catalogue import load_catalogue

CAT = load_catalogue()
ALL_IDS = sorted({i.id for name in CAT.by_list for i in CAT.indicators(name)})
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ages = st.one_of(st.none(), st.integers(min_value=0, max_value=120))
purposes = st.lists(st.sampled_from(PURPOSES), max_size=3, unique=True)
acts = st.lists(st.sampled_from(ACTS), max_size=2, unique=True)


@st.composite
def facts(draw: st.DrawFn, *, min_indicators: int = 0) -> dict[str, Any]:
    list_name = draw(st.sampled_from(sorted(CAT.by_list)))
    own = [i.id for i in CAT.indicators(list_name)]
    # mostly ids of one list, sometimes any list (cross-list matching)
    pool = draw(st.sampled_from([own, ALL_IDS]))
    ids = draw(st.lists(st.sampled_from(pool), min_size=min_indicators, max_size=14, unique=True))
    doc: dict[str, Any] = {"indicators": ids, "acts": draw(acts)}
    age = draw(ages)
    if age is not None:
        doc["victim"] = {"age_at_offence": age}
    doc["exploitation"] = {"purposes": draw(purposes)}
    return doc


def _positive(result: ScreeningResult) -> set[str]:
    return {d for d, slot in result.dimensions.items() if slot.positive}


@SETTINGS
@given(facts(), st.sampled_from(ALL_IDS))
def test_adding_an_indicator_is_monotone(doc: dict[str, Any], extra: str) -> None:
    before = screen(doc)
    after = screen({**doc, "indicators": [*doc["indicators"], extra]})
    if after.list == before.list:
        assert _positive(before) <= _positive(after)
    if before.outcome == "trafficked":
        assert after.outcome == "trafficked"


@SETTINGS
@given(ages, purposes, acts)
def test_no_indicators_is_insufficient_information(
    age: int | None, purp: list[str], act: list[str]
) -> None:
    doc: dict[str, Any] = {"acts": act, "exploitation": {"purposes": purp}}
    if age is not None:
        doc["victim"] = {"age_at_offence": age}
    assert screen(doc).outcome == "insufficient_information"
    assert screen({}).outcome == "insufficient_information"


@SETTINGS
@given(facts(), st.randoms(use_true_random=False))
def test_indicator_order_does_not_matter(doc: dict[str, Any], rnd: Any) -> None:
    shuffled = list(doc["indicators"])
    rnd.shuffle(shuffled)
    a = screen(doc)
    b = screen({**doc, "indicators": shuffled})
    assert (a.list, a.outcome) == (b.list, b.outcome)
    assert a.dimensions == b.dimensions
    assert sorted(a.reasons) == sorted(b.reasons)


@SETTINGS
@given(facts())
def test_deterministic(doc: dict[str, Any]) -> None:
    assert screen(doc) == screen(doc)


def test_results_are_frozen_and_share_their_dimension_results() -> None:
    doc: dict[str, Any] = {
        "victim": {"age_at_offence": 30},
        "acts": ["recruitment"],
        "exploitation": {"purposes": ["forced_labour"]},
        "indicators": ["adult_labour.D4.excessive_hours"],
    }
    first, again = screen(doc), screen(doc)
    assert first == again and first.dimensions["D4"] is again.dimensions["D4"]
    assert first.dimensions["D1"] is first.dimensions["D2"]  # the one empty dimension
    assert first.dimensions["D4"].indicators == ["adult_labour.D4.excessive_hours"]
    child = screen({**doc, "victim": {"age_at_offence": 15}})
    assert child.list == "child_labour" and first.list == "adult_labour"
