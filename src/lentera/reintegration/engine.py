"""Score Reintegration Sustainability Survey visits and build trajectories.

``score(visit)`` returns a :class:`~lentera.reintegration.models.ReintegrationResult`.
The rules come from the catalogue (``data/iom_rss_2019.yaml``); how they
treat incomplete answers:

- An answer's score is its option's score in [0, 1]. ``dont_know`` and
  ``refused`` options count as unanswered (``not_scored``);
  ``not_applicable`` (e.g. no school-age children) takes the indicator out of
  its dimension altogether. An indicator absent from ``answers`` is
  ``missing``.
- **Dimension score** = Σ weight·score / Σ weight over the scored indicators,
  provided their weight reaches ``min_coverage`` of the weight of the
  dimension's applicable indicators; otherwise ``null`` with
  ``dimension_insufficient:<dimension>``. Unanswered questions are never
  counted as zero: a partial survey is not a bad survey.
- **Composite** = Σ composite_weight·score / Σ composite_weight over every
  scored indicator, only when each dimension has a score (else ``null`` with
  ``composite_needs_all_dimensions``).
- A visit that did not reach the survivor (``not_reached`` / ``refused``)
  has no scores and says so; it still counts on the trajectory.

Weights and scores are scaled to whole units once per catalogue
(:attr:`Catalogue.plan`), so every sum is an exact integer and each score one
correctly rounded division: the result does not depend on the order of the
answers. Scores are rounded to 4 decimals at the end (rounding is monotone,
so a better answer never gives a lower score).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lentera.errors import LenteraError
from lentera.reintegration.catalogue import DIMENSIONS, Catalogue, load_catalogue
from lentera.reintegration.models import (
    DimensionScore,
    ReintegrationResult,
    RssVisit,
    Trajectory,
    TrajectoryPoint,
    parse_visit,
)

__all__ = ["catalogue_ref", "check_answers", "score", "score_many", "trajectories", "trajectory"]

_PLACES = 4


def catalogue_ref(cat: Catalogue) -> str:
    """The catalogue id and version a result names, e.g. ``iom-rss-2019/1@1.0.0``."""
    return f"{cat.id}@{cat.version}"


def _round(value: float) -> float:
    return round(value, _PLACES)


def check_answers(visit: RssVisit, cat: Catalogue) -> None:
    """Refuse answers to unknown indicators, unknown answer codes and another catalogue."""
    if visit.catalogue is not None and visit.catalogue not in (cat.id, catalogue_ref(cat)):
        raise LenteraError(
            "invalid_visit",
            f"catalogue: answers were given against {visit.catalogue!r}, "
            f"this is {catalogue_ref(cat)}",
            field="catalogue",
        )
    for key in sorted(visit.answers):
        field = f"answers.{key}"
        indicator = cat.indicators.get(key)
        if indicator is None:
            raise LenteraError(
                "invalid_visit",
                f"{field}: unknown indicator (not in catalogue {cat.id}; "
                f"known: {', '.join(cat.indicators)})",
                field=field,
            )
        code = visit.answers[key]
        if code not in indicator.options:
            raise LenteraError(
                "invalid_visit",
                f"{field}: unknown answer {code!r}; allowed: {', '.join(indicator.options)}",
                field=field,
            )


def _dimension(
    visit: RssVisit, cat: Catalogue, dimension: str
) -> tuple[DimensionScore, list[tuple[int, int]]]:
    """The dimension's score and its (composite weight, score) pairs in plan units."""
    answered: list[str] = []
    not_scored: list[str] = []
    not_applicable: list[str] = []
    missing: list[str] = []
    weighted = scored_weight = applicable_weight = 0
    pairs: list[tuple[int, int]] = []
    answers = visit.answers
    for item in cat.plan.by_dimension[dimension]:
        code = answers.get(item.id)
        if code is None:
            applicable_weight += item.weight
            missing.append(item.id)
            continue
        units, why = item.options[code]
        if why == "not_applicable":
            not_applicable.append(item.id)
            continue
        applicable_weight += item.weight
        if units is None:
            not_scored.append(item.id)
        else:
            answered.append(item.id)
            weighted += item.weight * units
            scored_weight += item.weight
            pairs.append((item.composite_weight, units))
    # integer ratios: int / int is correctly rounded, so no float error builds up
    low = cat.min_coverage
    scored = (
        scored_weight > 0 and scored_weight * low.denominator >= low.numerator * applicable_weight
    )
    result = DimensionScore(
        score=_round(weighted / (scored_weight * cat.plan.score_scale)) if scored else None,
        coverage=_round(scored_weight / applicable_weight) if applicable_weight else 0.0,
        answered=tuple(answered),
        not_scored=tuple(not_scored),
        not_applicable=tuple(not_applicable),
        missing=tuple(missing),
    )
    return result, pairs if scored else []


def score(
    visit: RssVisit | Mapping[str, Any] | str | bytes, *, catalogue: Catalogue | None = None
) -> ReintegrationResult:
    """Score one visit. Raises :class:`LenteraError` naming the field on invalid input."""
    if not isinstance(visit, RssVisit):
        visit = parse_visit(visit if not isinstance(visit, Mapping) else dict(visit))
    cat = catalogue or load_catalogue()
    check_answers(visit, cat)
    reasons: list[str] = []
    dims: dict[str, DimensionScore] = {}
    pairs: list[tuple[int, int]] = []
    composite: float | None = None
    if visit.outcome != "completed":
        reasons.append(visit.outcome)
        empty = DimensionScore(
            score=None, coverage=0, answered=(), not_scored=(), not_applicable=(), missing=()
        )
        dims = dict.fromkeys(DIMENSIONS, empty)
    else:
        for dim in DIMENSIONS:
            dims[dim], dim_pairs = _dimension(visit, cat, dim)
            pairs.extend(dim_pairs)
            if dims[dim].score is None:
                reasons.append(f"dimension_insufficient:{dim}")
        if all(d.score is not None for d in dims.values()) or (
            not cat.composite_requires_all and pairs
        ):
            total = sum(w for w, _ in pairs) * cat.plan.score_scale
            composite = _round(sum(w * u for w, u in pairs) / total)
        else:
            reasons.append("composite_needs_all_dimensions")
    reasons.extend(cat.plan.reasons)
    return ReintegrationResult(
        catalogue=catalogue_ref(cat),
        survivor=visit.survivor,
        visit_date=visit.visit_date,
        visit_label=visit.visit_label,
        outcome=visit.outcome,
        dimensions=dims,
        composite=composite,
        reasons=tuple(reasons),
    )


def score_many(
    visits: Iterable[RssVisit | Mapping[str, Any]], *, catalogue: Catalogue | None = None
) -> Iterator[ReintegrationResult]:
    """Score many visits in order (raises on the first invalid one)."""
    cat = catalogue or load_catalogue()
    for visit in visits:
        yield score(visit, catalogue=cat)


def trajectory(results: Iterable[ReintegrationResult]) -> Trajectory:
    """One survivor's trajectory from the results of their visits (any order).

    Raises :class:`LenteraError` if the results are of several survivors or
    catalogues, or if two completed visits share a date (which one is later
    would be a guess).
    """
    items = list(results)
    if not items:
        raise LenteraError("invalid_visit", "a trajectory needs at least one visit")
    survivors = {r.survivor for r in items}
    catalogues = {r.catalogue for r in items}
    if len(survivors) != 1 or len(catalogues) != 1:
        raise LenteraError(
            "invalid_visit", "a trajectory is of one survivor scored against one catalogue"
        )
    completed = sorted((r for r in items if r.outcome == "completed"), key=lambda r: r.visit_date)
    for before, after in itertools.pairwise(completed):
        if before.visit_date == after.visit_date:
            raise LenteraError(
                "conflict",
                f"survivor {before.survivor}: two completed visits on {after.visit_date}",
                kind="conflict",
            )
    first = completed[0].visit_date if completed else None
    points = tuple(
        TrajectoryPoint(
            visit_date=r.visit_date,
            visit_label=r.visit_label,
            days_since_first=(r.visit_date - first).days if first else 0,
            economic=r.dimensions["economic"].score,
            social=r.dimensions["social"].score,
            psychosocial=r.dimensions["psychosocial"].score,
            composite=r.composite,
        )
        for r in completed
    )
    change: dict[str, float | None] = {}
    for key in ("economic", "social", "psychosocial", "composite"):
        values = [getattr(p, key) for p in points if getattr(p, key) is not None]
        change[key] = round(values[-1] - values[0], _PLACES) if len(values) >= 2 else None
    return Trajectory(
        catalogue=items[0].catalogue,
        survivor=items[0].survivor,
        points=points,
        not_reached=sum(r.outcome == "not_reached" for r in items),
        refused=sum(r.outcome == "refused" for r in items),
        change=change,
    )


def trajectories(results: Iterable[ReintegrationResult]) -> list[Trajectory]:
    """Trajectories of every survivor in ``results``, ordered by survivor."""
    by_survivor: dict[str, list[ReintegrationResult]] = {}
    for r in results:
        by_survivor.setdefault(r.survivor, []).append(r)
    return [trajectory(by_survivor[s]) for s in sorted(by_survivor)]
