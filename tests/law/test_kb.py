"""The knowledge base: every contract id exists, and build_kb refuses bad law files."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest
import yaml

from lentera.law import load_kb
from lentera.law.kb import build_kb

CONTRACT_IDS = {
    "UU-21-2007": [
        "2.1",
        "2.2",
        "3",
        "4",
        "5",
        "6",
        "12",
        "19",
        "7.1",
        "7.2",
        "8",
        "15",
        "16",
        "17",
    ],
    "KUHP-2023": ["455.1", "455.2"],
    "UU-35-2014": ["76F", "76I", "76D", "76E"],
    "UU-12-2022": ["10", "12", "13"],
    "UU-18-2017": ["79", "80", "81", "82", "86"],
    "UU-13-2003": ["74"],
}
AGGRAVATIONS = {f"UU-21-2007:{n}" for n in ("7.1", "7.2", "8", "15", "16", "17")}
FILES = {
    "PALERMO": "palermo.yaml", "UU-21-2007": "uu-21-2007.yaml", "KUHP-2023": "kuhp-2023.yaml",
    "UU-35-2014": "uu-35-2014.yaml", "UU-12-2022": "uu-12-2022.yaml", "UU-18-2017": "uu-18-2017.yaml",
    "UU-13-2003": "uu-13-2003.yaml",
}  # fmt: skip


def _yaml(name: str) -> Any:
    return yaml.safe_load(
        resources.files("lentera.law").joinpath(f"data/{name}").read_text("utf-8")
    )


def _sources() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    ruleset = _yaml("ruleset.yaml")
    docs = [_yaml(f"laws/{FILES[law]}") for law in ruleset["laws"]]
    return ruleset, docs, _yaml("evidence.yaml"), _yaml("restitution.yaml")


def _article(docs: list[dict[str, Any]], article_id: str) -> dict[str, Any]:
    for doc in docs:
        for art in doc["articles"]:
            if art["id"] == article_id:
                return art
    raise KeyError(article_id)


@pytest.mark.parametrize(
    "article_id", [f"{law}:{n}" for law, ns in CONTRACT_IDS.items() for n in ns]
)
def test_contract_id_exists(article_id: str) -> None:
    kb = load_kb()
    assert article_id in kb.articles
    art = kb.articles[article_id]
    if article_id in AGGRAVATIONS:
        assert art.kind == "aggravation" and art.applies_to and art.effect
    else:
        assert art.kind == "offence" and art.penalty is not None and art.elements


def test_replacement_dates() -> None:
    kb = load_kb()
    import datetime as dt

    for old, new in (("UU-21-2007:2.1", "KUHP-2023:455.1"), ("UU-21-2007:2.2", "KUHP-2023:455.2")):
        assert kb.article(old).replaced_by == new
        assert kb.article(old).in_force_on(dt.date(2026, 1, 1)) and not kb.article(old).in_force_on(
            dt.date(2026, 1, 2)
        )
        assert kb.article(new).in_force_on(dt.date(2026, 1, 2)) and not kb.article(new).in_force_on(
            dt.date(2026, 1, 1)
        )


def test_rebuilding_from_the_yaml_matches_load_kb() -> None:
    kb = build_kb(*_sources())
    assert set(kb.articles) == set(load_kb().articles)
    assert kb.rule_set == load_kb().rule_set


def test_rejects_unknown_element_kind() -> None:
    ruleset, docs, evidence, restitution = _sources()
    docs = copy.deepcopy(docs)
    _article(docs, "UU-21-2007:4")["elements"]["movement"] = {"teleportation": True}
    with pytest.raises(ValueError, match="unknown element kind 'teleportation'"):
        build_kb(ruleset, docs, evidence, restitution)


def test_rejects_unknown_element_kind_inside_any_of() -> None:
    ruleset, docs, evidence, restitution = _sources()
    docs = copy.deepcopy(docs)
    _article(docs, "UU-18-2017:79")["elements"]["falsification"] = {"any_of": [{"flag": "migrant_work.age_falsified"},
                                                                              {"magic": 1}]}  # fmt: skip
    with pytest.raises(ValueError, match="unknown element kind 'magic'"):
        build_kb(ruleset, docs, evidence, restitution)


def test_rejects_unknown_means_code() -> None:
    ruleset, docs, evidence, restitution = _sources()
    docs = copy.deepcopy(docs)
    _article(docs, "UU-21-2007:2.1")["elements"]["means"]["means"].append("bribery_of_the_moon")
    with pytest.raises(ValueError, match=r"unknown means codes.*bribery_of_the_moon"):
        build_kb(ruleset, docs, evidence, restitution)


def test_means_guidance_is_data_with_its_reason() -> None:
    kb = load_kb()
    assert kb.guidance_means == (
        "deception",
        "debt_bondage",
        "abuse_of_vulnerability",
        "confinement",
    )
    ruleset, docs, evidence, restitution = _sources()
    bad = copy.deepcopy(evidence)
    bad["means_guidance"]["means"].append("telepathy")
    with pytest.raises(ValueError, match="'telepathy' is no means with evidence"):
        build_kb(ruleset, docs, bad, restitution)
    bad = copy.deepcopy(evidence)
    del bad["means_guidance"]["why"]
    with pytest.raises(ValueError, match="means_guidance: give means, why and source"):
        build_kb(ruleset, docs, bad, restitution)


def test_rejects_unknown_means_code_in_aggravation_condition() -> None:
    ruleset, docs, evidence, restitution = _sources()
    docs = copy.deepcopy(docs)
    _article(docs, "UU-21-2007:17")["condition"] = {"means": ["telepathy"]}
    with pytest.raises(ValueError, match="telepathy"):
        build_kb(ruleset, docs, evidence, restitution)


def test_sources_are_not_mutated_by_build() -> None:
    ruleset, docs, evidence, restitution = _sources()
    before = copy.deepcopy(docs)
    build_kb(ruleset, docs, evidence, restitution)
    assert docs == before
