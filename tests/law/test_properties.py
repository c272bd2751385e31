"""Property tests of the legal engine: monotone in means, age-first Palermo, deterministic, null is unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES
from lentera.law import load_kb, qualify

KB = load_kb()
SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
TRI = st.sampled_from([True, False, None])
DATES = st.sampled_from([
    None, "2014-11-01", "2019-06-01", "2022-05-08", "2022-05-09", "2024-03-01", "2026-01-01", "2026-01-02", "2026-07-01",
])  # fmt: skip
COUNTRIES = st.sampled_from([None, "ID", "MY", "SA", "KH", "CN", "TH"])
REGIONS = st.sampled_from([None, "31", "33", "51", "2171", "6172"])
AS_OF = dt.date(
    2026, 6, 1
)  # facts without offence_date: fixed rules date, so runs do not depend on today


def _subset(items: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), unique=True, max_size=4)


FLAG_NAMES = {
    "perpetrator": ["state_official", "corporation", "organised_group", "parent_or_guardian",
                    "individual_placing_migrant_workers"],
    "migrant_work": ["is_migrant_worker", "documents_falsified", "age_falsified", "job_differs_from_contract",
                     "placed_in_closed_country"],
}  # fmt: skip


@st.composite
def facts(draw: st.DrawFn, age: st.SearchStrategy[int | None] | None = None) -> dict[str, Any]:
    return {
        "schema": "lentera.case-facts/1",
        "offence_date": draw(DATES),
        "victim": {
            "age_at_offence": draw(
                age if age is not None else st.one_of(st.none(), st.integers(0, 70))
            ),
            "sex": draw(st.sampled_from(["female", "male", None])),
            "citizenship": draw(st.sampled_from(["ID", "ID", "MM", None])),
            "disability": draw(TRI),
        },
        "movement": {
            "origin_country": draw(COUNTRIES),
            "destination_country": draw(COUNTRIES),
            "origin_region": draw(REGIONS),
            "destination_region": draw(REGIONS),
            "crossed_regions_within_indonesia": draw(TRI),
        },
        "acts": draw(_subset(ACTS)),
        "means": draw(_subset(MEANS)),
        "exploitation": {"purposes": draw(_subset(PURPOSES)), "occurred": draw(TRI)},
        "harm": draw(st.lists(st.sampled_from(HARMS), unique=True, max_size=2)),
        "perpetrator": {k: draw(TRI) for k in FLAG_NAMES["perpetrator"]},
        "migrant_work": {k: draw(TRI) for k in FLAG_NAMES["migrant_work"]},
        "indicators": [],
    }


def _q(doc: dict[str, Any]) -> dict[str, Any]:
    return qualify(doc, as_of=AS_OF, kb=KB)


def _states(result: dict[str, Any]) -> dict[str, bool | None]:
    ind = result["indonesia"]
    return {c["id"]: c["met"] for c in ind["charges"] + ind["alternatives"]}


@SETTINGS
@given(facts(), _subset(MEANS))
def test_adding_a_means_never_unmeets_a_charge(doc: dict[str, Any], extra: list[str]) -> None:
    before = _states(_q(doc))
    more = dict(doc, means=sorted(set(doc["means"]) | set(extra)))
    after = _states(_q(more))
    assert set(before) == set(after)
    for cid, met in before.items():
        if met is True:
            assert after[cid] is True, (
                f"{cid} met with means {doc['means']} but not with {more['means']}"
            )


@SETTINGS
@given(facts(age=st.integers(0, 17)), _subset(MEANS))
def test_child_palermo_result_does_not_depend_on_means(
    doc: dict[str, Any], other_means: list[str]
) -> None:
    first = _q(doc)["palermo"]
    second = _q(dict(doc, means=other_means))["palermo"]
    without = _q(dict(doc, means=[]))["palermo"]
    assert first["trafficking"] is second["trafficking"] is without["trafficking"]
    assert first["means_required"] is False and first["elements"]["means"] == "not_required"


@SETTINGS
@given(facts())
def test_deterministic(doc: dict[str, Any]) -> None:
    assert _q(doc) == _q(doc)
    assert _q(doc) == qualify(doc, as_of=AS_OF)  # the cached default KB gives the same answer


BOOLEAN_BACKED = {
    "migrant_worker",
    "individual_placement",
    "job_mismatch",
    "closed_country",
    "falsification",
}


@SETTINGS
@given(facts(age=st.integers(18, 70)))
def test_null_flags_never_missing(doc: dict[str, Any]) -> None:
    doc = dict(doc, perpetrator=dict.fromkeys(FLAG_NAMES["perpetrator"]),
               migrant_work=dict.fromkeys(FLAG_NAMES["migrant_work"]), means=[m for m in doc["means"] if m != "forgery"])  # fmt: skip
    result = _q(doc)
    ind = result["indonesia"]
    for charge in ind["charges"] + ind["alternatives"]:
        for name in BOOLEAN_BACKED & set(charge["elements"]):
            assert charge["elements"][name] == "unknown", (charge["id"], name)
        # adult, age_falsified null: underage hinges on the unknown flag only
        if "underage" in charge["elements"]:
            assert charge["elements"]["underage"] == "unknown"
        # aggravations from null perpetrator flags are never applied
        assert not {"UU-21-2007:8", "UU-21-2007:15", "UU-21-2007:16", "UU-35-2014:81.3"} & set(
            charge["aggravations"]
        )
    for cid in (
        "UU-18-2017:79",
        "UU-18-2017:80",
        "UU-18-2017:81",
        "UU-18-2017:82",
        "UU-18-2017:86",
    ):
        states = _states(result)
        if cid in states:
            assert states[cid] is None


@SETTINGS
@given(facts())
def test_null_age_never_gives_a_child_missing(doc: dict[str, Any]) -> None:
    doc = dict(doc, victim=dict(doc["victim"], age_at_offence=None))
    result = _q(doc)
    assert result["victim_is_child"] is None
    ind = result["indonesia"]
    for charge in ind["charges"] + ind["alternatives"]:
        if "victim_child" in charge["elements"]:
            assert charge["elements"]["victim_child"] == "unknown", charge["id"]
    assert result["palermo"]["elements"]["means"] in ("met", "unknown")
