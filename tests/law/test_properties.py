"""Property tests of the legal engine: monotone in means, age-first Palermo, deterministic, null is unknown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES
from lentera.law import load_kb, qualify
from lentera.law.kb import build_kb

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
    """The qualification as its JSON document (what the properties are stated on)."""
    return qualify(doc, as_of=AS_OF, kb=KB).to_dict()


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
    assert (
        _q(doc) == qualify(doc, as_of=AS_OF).to_dict()
    )  # the cached default KB gives the same answer


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


# ------------------------------------------------------------------ penalties: the 20-year cap
def _epoch_days() -> list[dt.date]:
    from lentera.law.compiled import compiled_kb

    comp = compiled_kb(KB)
    return [dt.date(2008, 1, 1), *comp.boundaries]


def _check_range(p: dict[str, Any], where: Any) -> None:
    if p["prison_max_months"] is None:
        assert p["life"] or p["death"], where
    else:
        assert p["prison_max_months"] <= 240, where  # KUHP Pasal 68 ayat (4) jo. Pasal 187
        assert p["prison_min_months"] <= p["prison_max_months"], where
    assert p["fine_min_idr"] <= p["fine_max_idr"] or p["fine_max_idr"] == 0, where
    for alt in p["alternatives"]:
        top = alt.get("prison_max_months", p["prison_max_months"])
        if alt.get("prison_min_months") is not None and top is not None:
            assert alt["prison_min_months"] <= top, (where, alt)


def test_every_article_and_every_combination_of_aggravations_stays_under_the_cap() -> None:
    """Property 3 of issue 23, exhaustively: every offence, every subset of its aggravations, every epoch."""
    from itertools import combinations

    from lentera.law.penalties import penalty_for

    checked = 0
    for day in _epoch_days():
        for art in KB.offences:
            if not art.in_force_on(day):
                continue
            aggs = [a.id for a in KB.aggravations if art.id in a.applies_to and a.in_force_on(day)]
            for k in range(len(aggs) + 1):
                for subset in combinations(aggs, k):
                    _check_range(penalty_for(KB, art, subset, day).to_dict(), (day, art.id, subset))
                    checked += 1
    assert checked > 500


NEW_FLAGS = {
    "victim": ["pregnant", "unconscious_or_helpless"],
    "exploitation": ["child_marriage", "harmful_work"],
    "perpetrator": ["abused_power", "acted_jointly", "repeat_offender"],
    "circumstances": ["more_than_one_victim", "disaster_or_conflict", "electronic_means"],
}


@st.composite
def facts_1_1(draw: st.DrawFn) -> dict[str, Any]:
    from lentera.facts.vocab import RELATIONS

    doc = draw(facts())
    doc["schema"] = "lentera.case-facts/1.1"
    for section, names in NEW_FLAGS.items():
        doc.setdefault(section, {})
        doc[section] = dict(doc[section], **{n: draw(TRI) for n in names})
    doc["perpetrator"]["relations"] = draw(st.one_of(st.none(), _subset(RELATIONS)))
    return doc


@SETTINGS
@given(facts_1_1())
def test_presented_ranges_hold_for_any_facts(doc: dict[str, Any]) -> None:
    result = _q(doc)
    ind = result["indonesia"]
    for charge in ind["charges"] + ind["alternatives"]:
        _check_range(charge["penalty"], charge["id"])


@SETTINGS
@given(facts())
def test_a_1_document_means_the_same_as_1_1_with_the_new_facts_unknown(doc: dict[str, Any]) -> None:
    as_1_1 = dict(doc, schema="lentera.case-facts/1.1")
    assert _q(doc) == _q(as_1_1)


@SETTINGS
@given(facts_1_1())
def test_memoised_results_equal_an_engine_without_memo(doc: dict[str, Any]) -> None:
    """The per-article memo is keyed on every fact bit an article reads."""
    import lentera.law.compiled as compiled

    memoised = _q(doc)
    limit = compiled.MEMO_LIMIT
    compiled.MEMO_LIMIT = 0  # the second KB's engine never stores an outcome
    try:
        assert qualify(doc, as_of=AS_OF, kb=NO_MEMO_KB).to_dict() == memoised
    finally:
        compiled.MEMO_LIMIT = limit


def _kb_sources() -> tuple[Any, ...]:
    from importlib import resources

    import yaml

    def load(name: str) -> Any:
        return yaml.safe_load(
            resources.files("lentera.law").joinpath(f"data/{name}").read_text("utf-8")
        )

    ruleset = load("ruleset.yaml")
    files = {"PALERMO": "palermo", "UU-21-2007": "uu-21-2007", "KUHP-2023": "kuhp-2023", "UU-35-2014": "uu-35-2014",
             "UU-12-2022": "uu-12-2022", "UU-18-2017": "uu-18-2017", "UU-13-2003": "uu-13-2003"}  # fmt: skip
    docs = [load(f"laws/{files[law]}.yaml") for law in ruleset["laws"]]
    return ruleset, docs, load("evidence.yaml"), load("restitution.yaml")


NO_MEMO_KB = build_kb(*_kb_sources())


@SETTINGS
@given(facts_1_1())
def test_every_lane_of_the_feature_word_equals_the_element_interpreted(doc: dict[str, Any]) -> None:
    """The generated feature word (and the fact bits kept as lanes) agree with ``evaluate``."""
    from lentera.facts import parse_case_facts
    from lentera.law.compiled import compiled_kb
    from lentera.law.elements import VALUES, evaluate
    from lentera.law.factbits import fact_bits

    facts = parse_case_facts(doc)
    comp = compiled_kb(KB)
    age = facts.victim.age_at_offence
    bits = fact_bits(facts, None if age is None else age < comp.child_age)
    epoch = comp.epoch(facts.offence_date or AS_OF)
    f = epoch.lanes(bits)
    for slot in epoch.core + epoch.dependent + epoch.alternatives:
        tests = list(zip(comp.elements[slot.art.id], slot.eshifts, strict=True))
        tests += [(cond, k) for (_, cond), k in zip(slot.aggs, slot.ashifts, strict=True)]
        for e, k in tests:
            if (3 << k) & epoch.late_mask:
                continue  # read once tppo is known
            assert VALUES[(f >> k) & 3] == evaluate(e, bits), (slot.art.id, e)
