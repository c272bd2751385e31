"""The legal knowledge base: one YAML file per law under ``data/laws``, loaded and checked.

Article ids follow the contract (``UU-21-2007:2.1``, ``KUHP-2023:455.1``...).
An article is an offence (``elements`` + ``penalty``) or an aggravation
(``kind: aggravation`` with ``applies_to``, ``condition`` and ``effect``).
Every article carries the statute text it encodes (``text``, the ayat in
Indonesian, short), where that text was read (``text_source``) and whether it
was read in the statute itself (``verified``). Penalties change by offence
date: ``penalty_changes`` / ``effect_changes`` list the regimes that apply from
a date (UU 1/2026 on penalty adjustment), each with its source and
verification; an unverified regime keeps the enacted reading beside it.
The loaded objects are defined in :mod:`lentera.law.articles`. Element
specifications are small data expressions compiled once by
:mod:`lentera.law.elements`; :func:`load_kb` refuses unknown keys so that a typo
in a law file fails at start-up instead of silently changing results.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES, RELATIONS
from lentera.law.articles import Article, KnowledgeBase, Law, Penalty, Regime

__all__ = ["Article", "KnowledgeBase", "Law", "Penalty", "Regime", "load_kb"]

ELEMENT_KINDS = {
    "acts",
    "means",
    "means_or_persuasion",
    "purposes",
    "exploitation_occurred",
    "child",
    "citizenship",
    "exploitation_in_indonesia",
    "place_in_indonesia",
    "out_of_indonesia",
    "into_indonesia",
    "between_regions_or_abroad",
    "flag",
    "harm",
    "tppo_established",
    "any_of",
    "all_of",
    "relation",
    "not_in_facts",
}
FLAG_PATHS = {
    "perpetrator.state_official",
    "perpetrator.corporation",
    "perpetrator.organised_group",
    "perpetrator.parent_or_guardian",
    "perpetrator.individual_placing_migrant_workers",
    "perpetrator.abused_power",
    "perpetrator.acted_jointly",
    "perpetrator.repeat_offender",
    "migrant_work.is_migrant_worker",
    "migrant_work.documents_falsified",
    "migrant_work.age_falsified",
    "migrant_work.job_differs_from_contract",
    "migrant_work.placed_in_closed_country",
    "victim.disability",
    "victim.pregnant",
    "victim.unconscious_or_helpless",
    "exploitation.occurred",
    "exploitation.child_marriage",
    "exploitation.harmful_work",
    "circumstances.more_than_one_victim",
    "circumstances.disaster_or_conflict",
    "circumstances.electronic_means",
}
_VOCAB = {
    "acts": set(ACTS),
    "means": set(MEANS),
    "means_or_persuasion": set(MEANS),
    "harm": set(HARMS),
    "relation": set(RELATIONS),
}
COMBINATIONS = {"dan", "dan/atau", "atau"}
#: KUHP 2023 Pasal 79 ayat (1): the fine categories, in rupiah
FINE_CATEGORIES = {
    "I": 1_000_000, "II": 10_000_000, "III": 50_000_000, "IV": 200_000_000,
    "V": 500_000_000, "VI": 2_000_000_000, "VII": 5_000_000_000, "VIII": 50_000_000_000,
}  # fmt: skip


def _date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: {value!r} is not an ISO date") from exc


def _check_spec(spec: Any, purposes: dict[str, frozenset[str]], where: str) -> None:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError(f"{where}: an element is one {{kind: value}}, got {spec!r}")
    ((kind, value),) = spec.items()
    if kind not in ELEMENT_KINDS:
        raise ValueError(f"{where}: unknown element kind {kind!r}")
    if kind in _VOCAB:
        unknown = set(value) - _VOCAB[kind]
        if unknown:
            raise ValueError(f"{where}: unknown {kind} codes {sorted(unknown)}")
    elif kind == "purposes":
        if isinstance(value, str):
            if value not in purposes:
                raise ValueError(f"{where}: unknown purpose set {value!r}")
        elif set(value) - set(PURPOSES):
            raise ValueError(f"{where}: unknown purposes {sorted(set(value) - set(PURPOSES))}")
    elif kind == "flag" and value not in FLAG_PATHS:
        raise ValueError(f"{where}: unknown flag {value!r}")
    elif kind in ("any_of", "all_of"):
        if not isinstance(value, list) or not value:
            raise ValueError(f"{where}: {kind} needs a non-empty list")
        for i, part in enumerate(value):
            _check_spec(part, purposes, f"{where}.{kind}[{i}]")


def _fine(raw: dict[str, Any], key: str, where: str) -> Fraction:
    """A fine in rupiah, or ``fine_max_category: VII`` (KUHP Pasal 79)."""
    category = raw.get(key.replace("_idr", "_category"))
    if category is not None:
        if category not in FINE_CATEGORIES:
            raise ValueError(f"{where}: unknown fine category {category!r}")
        return Fraction(FINE_CATEGORIES[category])
    return Fraction(raw.get(key, 0))


def _penalty(raw: dict[str, Any], where: str) -> Penalty:
    allowed = {
        "prison_min_months",
        "prison_max_months",
        "life",
        "fine_min_idr",
        "fine_max_idr",
        "fine_min_category",
        "fine_max_category",
        "cumulative",
        "combination",
        "death",
    }
    if set(raw) - allowed:
        raise ValueError(f"{where}: unknown penalty keys {sorted(set(raw) - allowed)}")
    combination = raw.get("combination") or ("dan" if raw.get("cumulative") else "dan/atau")
    if combination not in COMBINATIONS:
        raise ValueError(f"{where}: combination is one of {sorted(COMBINATIONS)}")
    if "cumulative" in raw and bool(raw["cumulative"]) != (combination == "dan"):
        raise ValueError(f"{where}: cumulative contradicts combination {combination!r}")
    pmax = raw.get("prison_max_months")
    pmin = Fraction(raw.get("prison_min_months", 0))
    if pmax is not None and pmin > pmax:
        raise ValueError(f"{where}: prison_min_months above prison_max_months")
    return Penalty(
        prison_min_months=pmin,
        prison_max_months=None if pmax is None else Fraction(pmax),
        life=bool(raw.get("life", False)),
        fine_min_idr=_fine(raw, "fine_min_idr", where),
        fine_max_idr=_fine(raw, "fine_max_idr", where),
        cumulative=combination == "dan",
        combination=combination,
        death=bool(raw.get("death", False)),
    )


_EFFECT_KEYS = {"fraction", "fine_multiplier", "override", "base"}


def _check_effect(effect: dict[str, Any], where: str) -> None:
    if not effect or set(effect) - _EFFECT_KEYS:
        raise ValueError(f"{where}: effect is one of fraction, fine_multiplier, override, base")
    if "override" in effect:
        allowed = {"prison_min_months", "prison_max_months", "life", "fine_min_idr", "fine_max_idr",
                   "fine_min_category", "fine_max_category", "combination", "death"}  # fmt: skip
        unknown = set(effect["override"]) - allowed
        if unknown:
            raise ValueError(f"{where}: unknown override keys {sorted(unknown)}")
        if effect["override"].get("combination", "dan") not in COMBINATIONS:
            raise ValueError(f"{where}: combination is one of {sorted(COMBINATIONS)}")


def _regimes(raw: dict[str, Any], kind: str, where: str, law: Law) -> tuple[Regime, ...]:
    """The enacted regime, then each dated change (``penalty_changes`` / ``effect_changes``)."""
    enacted = Regime(
        start=None,
        penalty=_penalty(raw["penalty"], where) if "penalty" in raw else None,
        effect=raw.get("effect") or {},
        reading="as_enacted",
        source=str(raw.get("text_source") or law.source),
        verification="verified" if raw.get("verified", False) else "unverified",
    )
    out = [enacted]
    key = "penalty_changes" if kind == "offence" else "effect_changes"
    for i, change in enumerate(raw.get(key) or []):
        here = f"{where}.{key}[{i}]"
        allowed = {"from", "penalty", "effect", "reading", "source", "verification"}
        if set(change) - allowed:
            raise ValueError(f"{here}: unknown keys {sorted(set(change) - allowed)}")
        if change.get("verification") not in ("verified", "unverified"):
            raise ValueError(f"{here}: verification is verified or unverified")
        if not change.get("source") or not change.get("reading"):
            raise ValueError(f"{here}: a penalty change names its reading and source")
        start = _date(change.get("from"), here)
        if start is None or (len(out) > 1 and out[-1].start and start <= out[-1].start):
            raise ValueError(f"{here}: changes need increasing 'from' dates")
        if kind == "offence":
            penalty, effect = _penalty(change["penalty"], here), {}
        else:
            penalty, effect = None, change["effect"]
            _check_effect(effect, here)
        out.append(Regime(start, penalty, effect, str(change["reading"]), str(change["source"]),
                          str(change["verification"])))  # fmt: skip
    return tuple(out)


_ARTICLE_KEYS = {
    "id", "kind", "role", "cite_id", "title_id", "title_en", "in_force_from", "in_force_to",
    "replaced_by", "core", "elements", "penalty", "penalty_verification", "applies_to",
    "condition", "effect", "note", "means_not_required_under", "verification",
    "text", "text_source", "verified", "penalty_changes", "effect_changes", "measures",
    "related_offence",
}  # fmt: skip


def _load_yaml(name: str) -> Any:
    return yaml.safe_load(
        resources.files("lentera.law").joinpath(f"data/{name}").read_text("utf-8")
    )


def _check_means_guidance(evidence: dict[str, Any]) -> None:
    guidance = evidence.get("means_guidance")
    if not isinstance(guidance, dict) or not guidance.get("why") or not guidance.get("source"):
        raise ValueError("evidence.means_guidance: give means, why and source")
    for code in guidance.get("means") or ():
        if code not in MEANS or code not in evidence.get("by_means", {}):
            raise ValueError(f"evidence.means_guidance.means: {code!r} is no means with evidence")


def build_kb(ruleset: dict[str, Any], law_docs: list[dict[str, Any]], evidence: dict[str, Any],
             restitution: dict[str, Any]) -> KnowledgeBase:  # fmt: skip
    purposes = {k: frozenset(v) for k, v in ruleset["purposes"].items()}
    for key, values in purposes.items():
        if values - set(PURPOSES):
            raise ValueError(f"ruleset.purposes.{key}: unknown {sorted(values - set(PURPOSES))}")
    _check_means_guidance(evidence)
    laws: dict[str, Law] = {}
    articles: dict[str, Article] = {}
    for doc in law_docs:
        law_id = doc["law"]
        law = Law(
            id=law_id,
            title_id=doc["title_id"],
            title_en=doc["title_en"],
            short=doc["short"],
            role=doc["role"],
            in_force_from=_date(doc["in_force_from"], f"{law_id}.in_force_from"),  # type: ignore[arg-type]
            source=doc["source"],
            verification=doc["verification"],
        )
        laws[law_id] = law
        for raw in doc["articles"]:
            where = f"{law_id}: {raw.get('id')}"
            if set(raw) - _ARTICLE_KEYS:
                raise ValueError(f"{where}: unknown keys {sorted(set(raw) - _ARTICLE_KEYS)}")
            if not str(raw["id"]).startswith(f"{law_id}:"):
                raise ValueError(f"{where}: id must start with {law_id}:")
            if raw["id"] in articles:
                raise ValueError(f"{where}: duplicate id")
            kind = raw.get("kind", "offence")
            elements = raw.get("elements") or {}
            for name, spec in elements.items():
                _check_spec(spec, purposes, f"{where}.elements.{name}")
            if raw.get("condition") is not None:
                _check_spec(raw["condition"], purposes, f"{where}.condition")
            if kind == "offence" and law.role != "palermo" and "penalty" not in raw:
                raise ValueError(f"{where}: an offence needs a penalty")
            if kind == "aggravation":
                _check_effect(raw.get("effect") or {}, where)
            if not str(raw.get("text", "")).strip() or not str(raw.get("text_source", "")).strip():
                raise ValueError(f"{where}: every article carries its statute text and text_source")
            if not isinstance(raw.get("verified"), bool):
                raise ValueError(f"{where}: verified must be true or false")
            regimes = _regimes(raw, kind, where, law)
            articles[raw["id"]] = Article(
                id=raw["id"],
                law=law_id,
                kind=kind,
                role=raw.get("role", law.role),
                cite_id=raw["cite_id"],
                title_id=raw["title_id"],
                title_en=raw["title_en"],
                in_force_from=_date(raw.get("in_force_from"), where) or law.in_force_from,
                in_force_to=_date(raw.get("in_force_to"), where),
                replaced_by=raw.get("replaced_by"),
                core=bool(raw.get("core", False)),
                elements=elements,
                penalty=_penalty(raw["penalty"], where) if "penalty" in raw else None,
                penalty_verification=(
                    "verified"
                    if all(r.verification == "verified" for r in regimes)
                    else "unverified"
                ),
                applies_to=tuple(raw.get("applies_to", ())),
                condition=raw.get("condition"),
                effect=raw.get("effect") or {},
                note=raw.get("note", ""),
                source=law.source,
                verification=raw.get("verification", law.verification),
                text=str(raw["text"]).strip(),
                text_source=str(raw["text_source"]).strip(),
                verified=raw["verified"],
                regimes=regimes,
                measures=tuple(raw.get("measures") or ()),
                related_offence=bool(raw.get("related_offence", False)),
            )
    for art in articles.values():
        for target in art.applies_to:
            if target not in articles:
                raise ValueError(f"{art.id}: applies_to names unknown article {target}")
        if art.replaced_by and art.replaced_by not in articles:
            raise ValueError(f"{art.id}: replaced_by names unknown article {art.replaced_by}")
        for regime in art.regimes:
            base = regime.effect.get("base")
            if base is not None and (base not in articles or articles[base].penalty is None):
                raise ValueError(f"{art.id}: effect base names no offence {base}")
    offences = tuple(a for a in articles.values() if a.kind == "offence" and a.role != "palermo")
    aggravations = tuple(a for a in articles.values() if a.kind == "aggravation")
    return KnowledgeBase(
        rule_set=ruleset["rule_set"],
        as_of=_date(ruleset["as_of"], "ruleset.as_of"),  # type: ignore[arg-type]
        laws=laws,
        articles=articles,
        purposes=purposes,
        evidence=evidence,
        restitution=restitution,
        aggravation_verification=ruleset["aggravation_combination"]["verification"],
        combination=dict(ruleset["aggravation_combination"]),
        offences=offences,
        aggravations=aggravations,
    )


@cache
def load_kb() -> KnowledgeBase:
    """The knowledge base shipped with Lentera."""
    ruleset = _load_yaml("ruleset.yaml")
    files = {
        "PALERMO": "palermo.yaml",
        "UU-21-2007": "uu-21-2007.yaml",
        "KUHP-2023": "kuhp-2023.yaml",
        "UU-35-2014": "uu-35-2014.yaml",
        "UU-12-2022": "uu-12-2022.yaml",
        "UU-18-2017": "uu-18-2017.yaml",
        "UU-13-2003": "uu-13-2003.yaml",
    }
    docs = [_load_yaml(f"laws/{files[law]}") for law in ruleset["laws"]]
    return build_kb(ruleset, docs, _load_yaml("evidence.yaml"), _load_yaml("restitution.yaml"))
