"""The Reintegration Sustainability Survey catalogue, loaded from ``data/`` and checked.

The catalogue is data: the three dimensions, the answer scales (option codes,
labels, scores), the indicators (question in Bahasa Indonesia and English,
scale, weights) and the scoring rules with their verification status.
:func:`load_catalogue` validates every key so a wrong edit fails loudly at
start-up instead of skewing scores. Weights and scores are kept as exact
fractions so a result does not depend on the order of the answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, cached_property
from typing import Any

import yaml

from lentera.reference.catalogue import CatalogueHeader, shipped_text

__all__ = [
    "DIMENSIONS",
    "MISSING_KINDS",
    "VERIFICATION",
    "Catalogue",
    "Indicator",
    "Option",
    "PlanItem",
    "ScoringPlan",
    "load_catalogue",
    "parse_catalogue",
]

DIMENSIONS: tuple[str, ...] = ("economic", "social", "psychosocial")
MISSING_KINDS = frozenset({"not_applicable", "dont_know", "refused"})
VERIFICATION = frozenset({"verified", "secondary", "unverified", "lentera_interim"})
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class Option:
    """One answer option: its code, labels and score (``None`` = not scored)."""

    code: str
    score: Fraction | None
    missing: str | None
    label_id: str
    label_en: str


@dataclass(frozen=True)
class Indicator:
    """One indicator: a question, its answer scale and its weights."""

    id: str  # <dimension>.<name>
    name: str
    dimension: str
    scale: str
    options: Mapping[str, Option]
    weight: Fraction
    composite_weight: Fraction
    verification: str
    label_id: str
    label_en: str
    question_id: str
    question_en: str

    def best_score(self) -> Fraction:
        """The highest score an answer can give."""
        return max(o.score for o in self.options.values() if o.score is not None)


@dataclass(frozen=True)
class PlanItem:
    """One indicator in integer units: weights and option scores scaled to whole numbers."""

    id: str
    weight: int
    composite_weight: int
    options: Mapping[str, tuple[int | None, str | None]]  # code -> (score units, missing kind)


@dataclass(frozen=True)
class ScoringPlan:
    """The catalogue in integer units, so sums are exact and fast.

    A score ``s`` is ``s · score_scale`` units and a weight ``w`` is
    ``w · weight_scale`` units (the least common multiples of the
    denominators), so Σ w·s / Σ w is a ratio of integers.
    """

    score_scale: int
    by_dimension: Mapping[str, tuple[PlanItem, ...]]
    reasons: tuple[str, ...]  # verification reason codes every result carries


@dataclass(frozen=True)
class Catalogue(CatalogueHeader):
    """The loaded catalogue: indicators by id, rules and their verification."""

    sources: tuple[Mapping[str, str], ...]
    dimensions: Mapping[str, Mapping[str, str]]
    scales: Mapping[str, tuple[Option, ...]]
    indicators: Mapping[str, Indicator]
    min_coverage: Fraction
    composite_requires_all: bool
    verification: Mapping[str, str]  # rule -> status

    def by_dimension(self, dimension: str) -> list[Indicator]:
        """The indicators of one dimension in catalogue order."""
        return [i for i in self.indicators.values() if i.dimension == dimension]

    def by_name(self) -> dict[str, Indicator]:
        """Indicators by their bare name (the XLSForm question names)."""
        return {i.name: i for i in self.indicators.values()}

    @cached_property
    def plan(self) -> ScoringPlan:
        """The scoring plan, built once per catalogue (a replaced catalogue builds its own)."""
        inds = list(self.indicators.values())
        scores = [o.score for i in inds for o in i.options.values() if o.score is not None]
        weights = [w for i in inds for w in (i.weight, i.composite_weight)]
        score_scale = math.lcm(*(f.denominator for f in scores))
        weight_scale = math.lcm(*(f.denominator for f in weights))

        def units(value: Fraction, scale: int) -> int:
            scaled = value * scale
            assert scaled.denominator == 1
            return scaled.numerator

        by_dimension = {
            dim: tuple(
                PlanItem(
                    id=i.id,
                    weight=units(i.weight, weight_scale),
                    composite_weight=units(i.composite_weight, weight_scale),
                    options={
                        code: (
                            None if o.score is None else units(o.score, score_scale),
                            o.missing,
                        )
                        for code, o in i.options.items()
                    },
                )
                for i in inds
                if i.dimension == dim
            )
            for dim in DIMENSIONS
        }
        reasons = []
        if any(i.verification != "verified" for i in inds):
            reasons.append("indicators_unverified")
        reasons.extend(f"{r}_{v}" for r, v in self.verification.items() if v != "verified")
        return ScoringPlan(
            score_scale=score_scale, by_dimension=by_dimension, reasons=tuple(reasons)
        )


def _fraction(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{where}: a number is required, got {value!r}")
    try:
        # via str: 0.75 in YAML is exactly 3/4, not the nearest binary float
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{where}: not a number: {value!r}") from exc


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: {key} is empty")
    return value


def _status(value: Any, where: str) -> str:
    if value not in VERIFICATION:
        raise ValueError(f"{where}: verification must be one of {sorted(VERIFICATION)}")
    return str(value)


def _scale(name: str, raw: Any) -> tuple[Option, ...]:
    where = f"scales.{name}"
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: a scale is a non-empty list of options")
    options: list[Option] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        code = str(item.get("code", ""))
        if not code or set(code) - _NAME_CHARS:
            raise ValueError(f"{at}: code must be lower-case letters, digits and _")
        if code in seen:
            raise ValueError(f"{at}: duplicate code {code!r}")
        seen.add(code)
        score: Fraction | None = None
        missing = item.get("missing")
        if item.get("score") is None:
            if missing not in MISSING_KINDS:
                raise ValueError(f"{at}: an unscored option needs missing: {sorted(MISSING_KINDS)}")
        else:
            if missing is not None:
                raise ValueError(f"{at}: a scored option cannot be missing")
            score = _fraction(item["score"], f"{at}.score")
            if not 0 <= score <= 1:
                raise ValueError(f"{at}: score must be within [0, 1]")
        options.append(
            Option(
                code=code,
                score=score,
                missing=missing,
                label_id=_text(item, "label_id", at),
                label_en=_text(item, "label_en", at),
            )
        )
    scored = [o.score for o in options if o.score is not None]
    if len(scored) < 2 or max(scored) == min(scored):
        raise ValueError(f"{where}: needs at least two options with different scores")
    return tuple(options)


def _build(raw: dict[str, Any]) -> Catalogue:
    if tuple(raw.get("dimensions", ())) != DIMENSIONS:
        raise ValueError(f"dimensions must be exactly {DIMENSIONS} in this order")
    for name, meta in raw["dimensions"].items():
        _text(meta, "label_id", f"dimensions.{name}")
        _text(meta, "label_en", f"dimensions.{name}")
    scales = {name: _scale(name, items) for name, items in raw["scales"].items()}

    rules = raw["rules"]
    verification = {
        "answer_scores": _status(rules["answer_scores"]["verification"], "rules.answer_scores"),
        "dimension": _status(rules["dimension"]["verification"], "rules.dimension"),
        "composite": _status(rules["composite"]["verification"], "rules.composite"),
        "weights": _status(rules["weights"]["verification"], "rules.weights"),
    }
    min_coverage = _fraction(rules["dimension"]["min_coverage"], "rules.dimension.min_coverage")
    if not 0 < min_coverage <= 1:
        raise ValueError("rules.dimension.min_coverage must be within (0, 1]")
    requires_all = rules["composite"]["requires_all_dimensions"]
    if not isinstance(requires_all, bool):
        raise ValueError("rules.composite.requires_all_dimensions must be true or false")

    indicators: dict[str, Indicator] = {}
    names: set[str] = set()
    for i, item in enumerate(raw["indicators"]):
        where = f"indicators[{i}] ({item.get('name')})"
        name, dim, scale = item.get("name", ""), item.get("dimension"), item.get("scale")
        if not name or set(name) - _NAME_CHARS or not name[0].isalpha():
            raise ValueError(f"{where}: name must start with a letter; a-z, 0-9 and _ only")
        if name in names:
            raise ValueError(f"{where}: duplicate name {name!r}")
        names.add(name)
        if dim not in DIMENSIONS:
            raise ValueError(f"{where}: unknown dimension {dim!r}")
        if scale not in scales:
            raise ValueError(f"{where}: unknown scale {scale!r}")
        weights = {}
        for key in ("weight", "composite_weight"):
            weights[key] = _fraction(item.get(key), f"{where}.{key}")
            if weights[key] <= 0:
                raise ValueError(f"{where}: {key} must be positive")
        indicators[f"{dim}.{name}"] = Indicator(
            id=f"{dim}.{name}",
            name=name,
            dimension=dim,
            scale=scale,
            options={o.code: o for o in scales[scale]},
            weight=weights["weight"],
            composite_weight=weights["composite_weight"],
            verification=_status(item.get("verification", "unverified"), where),
            label_id=_text(item, "label_id", where),
            label_en=_text(item, "label_en", where),
            question_id=_text(item, "question_id", where),
            question_en=_text(item, "question_en", where),
        )
    for dim in DIMENSIONS:
        if not any(ind.dimension == dim for ind in indicators.values()):
            raise ValueError(f"dimension {dim} has no indicator")
    count = raw.get("facts", {}).get("indicator_count", {}).get("value")
    if count is not None and count != len(indicators):
        raise ValueError(f"facts.indicator_count says {count}, the file has {len(indicators)}")

    sources = tuple(raw.get("sources", ()))
    for j, src in enumerate(sources):
        for key in ("id", "url", "says"):
            _text(src, key, f"sources[{j}]")
    return Catalogue(
        id=_text(raw, "catalogue", "catalogue"),
        version=str(raw["version"]),
        title_id=_text(raw, "title_id", "catalogue"),
        title_en=_text(raw, "title_en", "catalogue"),
        sources=sources,
        dimensions=raw["dimensions"],
        scales=scales,
        indicators=indicators,
        min_coverage=min_coverage,
        composite_requires_all=requires_all,
        verification=verification,
    )


def parse_catalogue(text: str) -> Catalogue:
    """Build a catalogue from YAML text (raises ``ValueError`` naming the bad entry)."""
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise ValueError("the catalogue must be a YAML mapping")
    try:
        return _build(raw)
    except KeyError as exc:
        raise ValueError(f"missing key {exc.args[0]!r}") from exc


@cache
def load_catalogue() -> Catalogue:
    """The RSS catalogue shipped with Lentera."""
    return parse_catalogue(shipped_text("lentera.reintegration", "data/iom_rss_2019.yaml"))
