"""The penalty a charge carries on a day: aggravations applied, the 20-year cap, other readings.

Every "ditambah 1/3" raises the maximum; the special minimum stays as enacted and the
raised-minimum reading is given beside it, labelled, with its source. Fixed-term prison
never exceeds 20 years (KUHP 2023 Pasal 68 ayat (4), applied to other laws by Pasal 187);
aggravations stack under that cap. Where a penalty regime is unverified the range
presented covers every reading and each reading is listed.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from lentera.law.kb import FINE_CATEGORIES, Article, KnowledgeBase, Penalty
from lentera.law.models import PenaltyRange, PenaltyReading

__all__ = ["CAP_MONTHS", "penalty_for"]

CAP_MONTHS = Fraction(240)  # KUHP 2023 Pasal 68 ayat (4) jo. Pasal 187


def _months(value: Fraction | None) -> int | None:
    return None if value is None else int(value + Fraction(1, 2))


def _combine(
    kb: KnowledgeBase, base: Penalty, effects: list[dict[str, Any]], day: dt.date
) -> tuple[Penalty, Fraction, bool]:
    """Apply aggravation effects: (range with the maximum raised, fraction added, capped)."""
    for eff in effects:
        if "base" in eff:  # e.g. UU 21/2007 Pasal 16: "pidana yang sama sebagaimana ... Pasal 2"
            other = kb.article(eff["base"]).regime_on(day).penalty
            assert other is not None
            base = other
    pmin, pmax, life = base.prison_min_months, base.prison_max_months, base.life
    fmin, fmax, combination = base.fine_min_idr, base.fine_max_idr, base.combination
    death = base.death
    for eff in effects:
        if "override" in eff:
            o = eff["override"]
            pmin = Fraction(o.get("prison_min_months", 0))
            life = bool(o.get("life", life))
            death = bool(o.get("death", death))
            pmax = None if o.get("prison_max_months") is None else Fraction(o["prison_max_months"])
            if pmax is None and not life:
                raise ValueError("an override without a maximum must be life imprisonment")
            fmin = _override_fine(o, "min", fmin)
            fmax = _override_fine(o, "max", fmax)
            combination = o.get("combination", combination)
    for eff in effects:
        if "fine_multiplier" in eff:
            fmin, fmax = fmin * eff["fine_multiplier"], fmax * eff["fine_multiplier"]
    fraction = sum((Fraction(str(e["fraction"])) for e in effects if "fraction" in e), Fraction(0))
    capped = False
    if fraction:
        fmax = fmax * (1 + fraction)
        if pmax is not None:
            pmax = pmax * (1 + fraction)
    cap = Fraction(kb.combination.get("cap_months", CAP_MONTHS))
    if pmax is not None and pmax > cap:
        pmax, capped = cap, True
    out = Penalty(pmin, pmax, life, fmin, fmax, combination == "dan", combination, death)
    return out, fraction, capped


def _override_fine(o: dict[str, Any], end: str, current: Fraction) -> Fraction:
    if f"fine_{end}_category" in o:
        return Fraction(FINE_CATEGORIES[o[f"fine_{end}_category"]])
    if f"fine_{end}_idr" in o:
        return Fraction(o[f"fine_{end}_idr"])
    return Fraction(0) if end == "min" else current


def penalty_for(
    kb: KnowledgeBase, art: Article, applied: tuple[str, ...], day: dt.date
) -> PenaltyRange:
    """The presented range, its readings and their sources (see the module docstring)."""
    regime = art.regime_on(day)
    aggs = [kb.article(a) for a in applied]
    agg_regimes = [a.regime_on(day) for a in aggs]
    assert regime.penalty is not None
    main, fraction, capped = _combine(kb, regime.penalty, [r.effect for r in agg_regimes], day)
    unverified = [r for r in (regime, *agg_regimes) if r.verification != "verified"]
    alternatives: list[PenaltyReading] = []
    if fraction and (main.prison_min_months or main.fine_min_idr):
        raised_min = min(main.prison_min_months * (1 + fraction), CAP_MONTHS)
        alternatives.append(PenaltyReading.model_construct(
            reading="raised_minimum",
            prison_min_months=_months(raised_min),
            fine_min_idr=int(main.fine_min_idr * (1 + fraction)),
            source=kb.combination.get("raised_minimum_source", ""),
            verification="contested",
        ))  # fmt: skip
    presented = main
    if regime.reading != "as_enacted" and regime.verification != "verified":
        enacted_penalty = art.enacted_regime().penalty
        assert enacted_penalty is not None  # an offence has a penalty (load_kb checks)
        enacted, _, _ = _combine(
            kb, enacted_penalty, [a.enacted_regime().effect for a in aggs], day
        )
        alternatives.append(PenaltyReading.model_construct(
            reading="as_enacted", **enacted.as_json(), source=art.text_source,
            verification="verified" if art.verified else "unverified"))  # fmt: skip
        presented = _envelope(main, enacted)
    # every field given (in the order of the document), so it is built once and memoised
    return PenaltyRange.model_construct(
        **presented.as_json(),
        capped=capped,
        regime=regime.reading,
        verification="unverified" if unverified else "verified",
        source=regime.source,
        alternatives=alternatives,
    )


def _envelope(a: Penalty, b: Penalty) -> Penalty:
    """The range covering both readings (a court following either stays inside it)."""
    pmax = (
        None
        if a.prison_max_months is None or b.prison_max_months is None
        else max(a.prison_max_months, b.prison_max_months)
    )
    combination = a.combination if a.combination == b.combination else "dan/atau"
    return Penalty(
        min(a.prison_min_months, b.prison_min_months), pmax, a.life or b.life,
        min(a.fine_min_idr, b.fine_min_idr), max(a.fine_max_idr, b.fine_max_idr),
        combination == "dan", combination, a.death or b.death,
    )  # fmt: skip
