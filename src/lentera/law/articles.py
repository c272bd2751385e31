"""The legal knowledge base's objects: laws, articles, penalty regimes, the knowledge base.

Frozen dataclasses built by :func:`lentera.law.kb.load_kb` from the YAML law files (and
importable from :mod:`lentera.law.kb` as before).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

__all__ = ["Article", "KnowledgeBase", "Law", "Penalty", "Regime"]


@dataclass(frozen=True)
class Penalty:
    """A penalty range: months of prison, rupiah of fine, how prison and fine combine.

    ``combination`` is the statute's word: ``dan`` (both imposed), ``dan/atau``
    (either or both) or ``atau`` (one or the other); ``cumulative`` is ``dan``.
    """

    prison_min_months: Fraction
    prison_max_months: Fraction | None
    life: bool
    fine_min_idr: Fraction
    fine_max_idr: Fraction
    cumulative: bool
    combination: str = ""
    death: bool = False

    def as_json(self) -> dict[str, Any]:
        def months(v: Fraction | None) -> int | None:
            return None if v is None else int(v + Fraction(1, 2))

        return {
            "prison_min_months": months(self.prison_min_months),
            "prison_max_months": months(self.prison_max_months),
            "life": self.life,
            "death": self.death,
            "fine_min_idr": int(self.fine_min_idr),
            "fine_max_idr": int(self.fine_max_idr),
            "cumulative": self.cumulative,
            "combination": self.combination or ("dan" if self.cumulative else "dan/atau"),
        }


@dataclass(frozen=True)
class Regime:
    """A penalty (or aggravation effect) that applies to offences from a date."""

    start: dt.date | None
    penalty: Penalty | None
    effect: dict[str, Any]
    reading: str  # as_enacted | uu_1_2026 | ...
    source: str
    verification: str  # verified | unverified


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
    text: str = ""
    text_source: str = ""
    verified: bool = False
    regimes: tuple[Regime, ...] = ()
    measures: tuple[str, ...] = ()
    #: an offence related to trafficking (UU 21/2007 BAB III), not trafficking itself
    related_offence: bool = False

    def in_force_on(self, day: dt.date) -> bool:
        if self.in_force_from and day < self.in_force_from:
            return False
        return not (self.in_force_to and day > self.in_force_to)

    def regime_on(self, day: dt.date) -> Regime:
        """The penalty regime (or aggravation effect) for an offence on ``day``."""
        current = self.regimes[0]
        for regime in self.regimes[1:]:
            if regime.start is not None and day >= regime.start:
                current = regime
        return current

    def enacted_regime(self) -> Regime:
        return self.regimes[0]


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
    combination: dict[str, Any] = field(default_factory=dict)
    offences: tuple[Article, ...] = field(default=())
    aggravations: tuple[Article, ...] = field(default=())

    def article(self, article_id: str) -> Article:
        return self.articles[article_id]

    @property
    def guidance_means(self) -> tuple[str, ...]:
        """The means codes the legal page offers evidence for (``evidence.yaml`` means_guidance)."""
        return tuple(self.evidence["means_guidance"]["means"])

    def unverified(self) -> list[Article]:
        """Articles whose text, or a penalty regime, is not verified against the statute."""
        return [
            a for a in self.articles.values()
            if not a.verified or any(r.verification != "verified" for r in a.regimes)
        ]  # fmt: skip
