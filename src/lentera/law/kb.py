"""The legal knowledge base: one YAML file per law under ``data/laws``, loaded and checked.

Article ids follow the contract (``UU-21-2007:2.1``, ``KUHP-2023:455.1``...).
An article is an offence (``elements`` + ``penalty``) or an aggravation
(``kind: aggravation`` with ``applies_to``, ``condition`` and ``effect``).
Element specifications are small data expressions compiled once by
:mod:`lentera.law.engine`; :func:`load_kb` refuses unknown keys so that a typo
in a law file fails at start-up instead of silently changing results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES

__all__ = ["Article", "KnowledgeBase", "Law", "Penalty", "load_kb"]

ELEMENT_KINDS = {
    "acts",
    "means",
    "means_or_persuasion",
    "purposes",
    "exploitation_occurred",
    "child",
    "citizenship",
    "exploitation_in_indonesia",
    "out_of_indonesia",
    "into_indonesia",
    "between_regions_or_abroad",
    "flag",
    "harm",
    "tppo_established",
    "any_of",
    "not_in_facts",
}
FLAG_PATHS = {
    "perpetrator.state_official",
    "perpetrator.corporation",
    "perpetrator.organised_group",
    "perpetrator.parent_or_guardian",
    "perpetrator.individual_placing_migrant_workers",
    "migrant_work.is_migrant_worker",
    "migrant_work.documents_falsified",
    "migrant_work.age_falsified",
    "migrant_work.job_differs_from_contract",
    "migrant_work.placed_in_closed_country",
    "victim.disability",
}
_VOCAB = {
    "acts": set(ACTS),
    "means": set(MEANS),
    "means_or_persuasion": set(MEANS),
    "harm": set(HARMS),
}


@dataclass(frozen=True)
class Penalty:
    """A penalty range: months of prison, rupiah of fine, whether both are imposed."""

    prison_min_months: Fraction
    prison_max_months: Fraction | None
    life: bool
    fine_min_idr: Fraction
    fine_max_idr: Fraction
    cumulative: bool

    def as_json(self) -> dict[str, Any]:
        def months(v: Fraction | None) -> int | None:
            return None if v is None else int(v + Fraction(1, 2))

        return {
            "prison_min_months": months(self.prison_min_months),
            "prison_max_months": months(self.prison_max_months),
            "life": self.life,
            "fine_min_idr": int(self.fine_min_idr),
            "fine_max_idr": int(self.fine_max_idr),
            "cumulative": self.cumulative,
        }


@dataclass(frozen=True)
class Article:
    """One article: an offence or an aggravation."""

    id: str
    law: str
    kind: str  # offence | aggravation
    role: str  # tppo | alternative | palermo
    cite_id: str
    title_id: str
    title_en: str
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    replaced_by: str | None
    core: bool
    elements: dict[str, Any]
    penalty: Penalty | None
    penalty_verification: str
    applies_to: tuple[str, ...]
    condition: Any
    effect: dict[str, Any]
    note: str
    source: str
    verification: str

    def in_force_on(self, day: dt.date) -> bool:
        if self.in_force_from and day < self.in_force_from:
            return False
        return not (self.in_force_to and day > self.in_force_to)


@dataclass(frozen=True)
class Law:
    id: str
    title_id: str
    title_en: str
    short: str
    role: str
    in_force_from: dt.date
    source: str
    verification: str


@dataclass(frozen=True)
class KnowledgeBase:
    rule_set: str
    as_of: dt.date
    laws: dict[str, Law]
    articles: dict[str, Article]
    purposes: dict[str, frozenset[str]]
    evidence: dict[str, Any]
    restitution: dict[str, Any]
    aggravation_verification: str = "unverified"
    offences: tuple[Article, ...] = field(default=())
    aggravations: tuple[Article, ...] = field(default=())

    def article(self, article_id: str) -> Article:
        return self.articles[article_id]


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
    elif kind == "any_of":
        for i, part in enumerate(value):
            _check_spec(part, purposes, f"{where}.any_of[{i}]")


def _penalty(raw: dict[str, Any], where: str) -> Penalty:
    allowed = {
        "prison_min_months",
        "prison_max_months",
        "life",
        "fine_min_idr",
        "fine_max_idr",
        "cumulative",
    }
    if set(raw) - allowed:
        raise ValueError(f"{where}: unknown penalty keys {sorted(set(raw) - allowed)}")
    pmax = raw.get("prison_max_months")
    return Penalty(
        prison_min_months=Fraction(raw.get("prison_min_months", 0)),
        prison_max_months=None if pmax is None else Fraction(pmax),
        life=bool(raw.get("life", False)),
        fine_min_idr=Fraction(raw.get("fine_min_idr", 0)),
        fine_max_idr=Fraction(raw.get("fine_max_idr", 0)),
        cumulative=bool(raw["cumulative"]),
    )


_ARTICLE_KEYS = {
    "id", "kind", "role", "cite_id", "title_id", "title_en", "in_force_from", "in_force_to",
    "replaced_by", "core", "elements", "penalty", "penalty_verification", "applies_to",
    "condition", "effect", "note", "means_not_required_under", "verification",
}  # fmt: skip


def _load_yaml(name: str) -> Any:
    return yaml.safe_load(
        resources.files("lentera.law").joinpath(f"data/{name}").read_text("utf-8")
    )


def build_kb(ruleset: dict[str, Any], law_docs: list[dict[str, Any]], evidence: dict[str, Any],
             restitution: dict[str, Any]) -> KnowledgeBase:  # fmt: skip
    purposes = {k: frozenset(v) for k, v in ruleset["purposes"].items()}
    for key, values in purposes.items():
        if values - set(PURPOSES):
            raise ValueError(f"ruleset.purposes.{key}: unknown {sorted(values - set(PURPOSES))}")
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
                effect = raw.get("effect") or {}
                if len(effect) != 1 or next(iter(effect)) not in (
                    "fraction",
                    "fine_multiplier",
                    "override",
                ):
                    raise ValueError(
                        f"{where}: effect is one of fraction, fine_multiplier, override"
                    )
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
                penalty_verification=raw.get("penalty_verification", law.verification),
                applies_to=tuple(raw.get("applies_to", ())),
                condition=raw.get("condition"),
                effect=raw.get("effect") or {},
                note=raw.get("note", ""),
                source=law.source,
                verification=raw.get("verification", law.verification),
            )
    for art in articles.values():
        for target in art.applies_to:
            if target not in articles:
                raise ValueError(f"{art.id}: applies_to names unknown article {target}")
        if art.replaced_by and art.replaced_by not in articles:
            raise ValueError(f"{art.id}: replaced_by names unknown article {art.replaced_by}")
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
