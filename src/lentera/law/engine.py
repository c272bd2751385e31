"""Qualify case facts under the Palermo Protocol and Indonesian law.

``qualify(facts)`` returns a ``lentera.qualification/1`` document, a frozen
:class:`~lentera.law.models.QualificationResult` (``to_dict()`` for the JSON). Element values are ``met``, ``missing`` (the facts do not show it: a
list without the code, or a fact recorded as false), ``unknown`` (the fact is
null) or ``not_required``. A charge is ``met: true`` only when every element
is met, ``false`` when one is missing, and ``null`` (undetermined) when the
rest hinges on unknown facts — an unknown fact never makes a charge "not met".

Which law applies is decided by the offence date (articles carry validity
dates; no retroactive application), and so is the penalty (``penalty_changes``:
UU 1/2026 from 2026-01-02). With no offence date the rules in force on
``as_of`` (today by default) are used and the explanation says so.

Penalties: every "ditambah 1/3" raises the maximum; the special minimum stays
as enacted and the raised-minimum reading is given beside it, labelled, with
its source. Fixed-term prison never exceeds 20 years (KUHP 2023 Pasal 68
ayat (4), applied to other laws by Pasal 187); aggravations stack under that
cap. Where a penalty regime is unverified the range presented covers every
reading and each reading is listed.

Speed: the facts are read once into an integer of *fact bits*; every element
is compiled once into a test over those bits (``met`` if any of its bits is
set; ``missing`` if all its "false" bits are set; else ``unknown``), and every
charge's outcome is memoised on the bits it reads, per penalty epoch. The
result is frozen and shares its parts (charges, penalties, notes) with other results:
the lists and dicts inside are read-only too.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any

from lentera.facts import CaseFacts, parse_case_facts
from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES, RELATIONS
from lentera.law.kb import Article, KnowledgeBase, Penalty, load_kb
from lentera.law.models import (
    QUALIFICATION_SCHEMA,
    Charge,
    Explanation,
    Gap,
    Indonesia,
    Palermo,
    PenaltyRange,
    PenaltyReading,
    QualificationResult,
)

__all__ = ["qualify", "qualify_many"]

MET, MISSING, UNKNOWN, NOT_REQUIRED = "met", "missing", "unknown", "not_required"
CAP_MONTHS = Fraction(240)  # KUHP 2023 Pasal 68 ayat (4) jo. Pasal 187
_MEMO_LIMIT = 1 << 15

# ---------------------------------------------------------------- fact bits
_NAMES: list[str] = []


def _bit(name: str) -> int:
    _NAMES.append(name)
    return 1 << (len(_NAMES) - 1)


_CODE_BITS: dict[str, dict[str, int]] = {
    kind: {code: _bit(f"{kind}:{code}") for code in codes}
    for kind, codes in (
        ("acts", ACTS), ("means", MEANS), ("purposes", PURPOSES), ("harm", HARMS),
        ("relation", RELATIONS),
    )
}  # fmt: skip
_TRI_PATHS = (
    "victim.disability", "victim.pregnant", "victim.unconscious_or_helpless",
    "exploitation.occurred", "exploitation.child_marriage", "exploitation.harmful_work",
    "perpetrator.state_official", "perpetrator.corporation", "perpetrator.organised_group",
    "perpetrator.parent_or_guardian", "perpetrator.individual_placing_migrant_workers",
    "perpetrator.abused_power", "perpetrator.acted_jointly", "perpetrator.repeat_offender",
    "migrant_work.is_migrant_worker", "migrant_work.documents_falsified", "migrant_work.age_falsified",
    "migrant_work.job_differs_from_contract", "migrant_work.placed_in_closed_country",
    "circumstances.more_than_one_victim", "circumstances.disaster_or_conflict",
    "circumstances.electronic_means",
)  # fmt: skip
_DERIVED = (
    "child", "citizen_id", "in_indonesia", "act_in_indonesia", "out_of_indonesia",
    "into_indonesia", "between_regions", "tppo", "relations_recorded", "parent_or_guardian_no",
)  # fmt: skip
_TRI: dict[str, tuple[int, int]] = {
    name: (_bit(f"{name}=T"), _bit(f"{name}=F")) for name in _TRI_PATHS + _DERIVED
}
ALWAYS = _bit("always")  # set in every fact word
PURPOSE_UNRECORDED = _bit("exploited, purpose unrecorded")
_TRI_GETTERS: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...] = tuple(
    (section, tuple((n, *_TRI[f"{section}.{n}"]) for s, n in (p.split(".") for p in _TRI_PATHS) if s == section))
    for section in dict.fromkeys(p.split(".")[0] for p in _TRI_PATHS)
)  # fmt: skip
_PG = frozenset({"parent", "guardian"})


def _tri_bits(name: str, value: bool | None) -> int:
    t, f = _TRI[name]
    return t if value is True else f if value is False else 0


def _movement_bits(facts: CaseFacts) -> int:
    m = facts.movement
    oc, dc = m.origin_country, m.destination_country
    bits = 0
    # exploitation (destination) in Indonesia
    if dc is not None:
        bits |= _tri_bits("in_indonesia", dc == "ID")
    elif m.destination_region is not None or m.crossed_regions_within_indonesia is True:
        bits |= _tri_bits("in_indonesia", True)
    # the acts done in Indonesia (recruitment, transport out of an Indonesian region)
    act_here: bool | None = None
    if oc == "ID" or (oc is None and m.origin_region is not None):
        act_here = True
    elif oc is not None and dc is not None and dc != "ID":
        act_here = False
    bits |= _tri_bits("act_in_indonesia", act_here)
    # out of Indonesia (Pasal 4)
    out: bool | None = None
    if dc is not None:
        if dc == "ID":
            out = False
        elif oc == "ID" or (oc is None and m.origin_region is not None):
            out = True
        elif oc is not None:
            out = False
    bits |= _tri_bits("out_of_indonesia", out)
    # into Indonesia (Pasal 3)
    into: bool | None = None
    if dc is not None and dc != "ID":
        into = False
    elif oc is not None:
        into = False if oc == "ID" else (True if dc == "ID" or m.destination_region else None)
    bits |= _tri_bits("into_indonesia", into)
    # between regions or abroad (Pasal 6)
    between: bool | None = None
    if (
        m.crossed_regions_within_indonesia is True
        or (oc and dc and oc != dc)
        or (m.origin_region and m.destination_region and m.origin_region != m.destination_region)
    ):
        between = True
    elif m.crossed_regions_within_indonesia is False and dc in (None, oc, "ID"):
        between = False
    return bits | _tri_bits("between_regions", between)


def _fact_bits(facts: CaseFacts, child: bool | None) -> int:
    bits = ALWAYS
    codes = _CODE_BITS["acts"]
    for code in facts.acts:
        bits |= codes[code]
    codes = _CODE_BITS["means"]
    for code in facts.means:
        bits |= codes[code]
    codes = _CODE_BITS["purposes"]
    purposes = facts.exploitation.purposes
    for code in purposes:
        bits |= codes[code]
    codes = _CODE_BITS["harm"]
    for code in facts.harm:
        bits |= codes[code]
    for section, flags in _TRI_GETTERS:
        values = getattr(facts, section).__dict__  # pydantic keeps field values here
        for name, t, f in flags:
            value = values[name]
            if value is True:
                bits |= t
            elif value is False:
                bits |= f
    if not purposes and facts.exploitation.occurred is True:
        bits |= PURPOSE_UNRECORDED
    relations = facts.perpetrator.relations
    if relations is not None:
        bits |= _TRI["relations_recorded"][0]
        codes = _CODE_BITS["relation"]
        for code in relations:
            bits |= codes[code]
        if not _PG & set(relations) and facts.perpetrator.parent_or_guardian is not True:
            bits |= _TRI["parent_or_guardian_no"][0]
    elif facts.perpetrator.parent_or_guardian is False:
        bits |= _TRI["parent_or_guardian_no"][0]
    if facts.perpetrator.parent_or_guardian is True:
        bits |= _CODE_BITS["relation"]["parent"]  # /1: "parent or guardian"
    citizenship = facts.victim.citizenship
    if citizenship is not None:
        bits |= _tri_bits("citizen_id", citizenship == "ID")
    return bits | _tri_bits("child", child) | _movement_bits(facts)


# ---------------------------------------------------------------- element compilation
# An element is (met_mask, required_false_mask, unknown_mask) or ("all", parts):
#   met      if bits & met_mask
#   missing  if all of required_false_mask is set and none of unknown_mask
#   unknown  otherwise
Element = tuple[Any, ...]


def _compile(spec: dict[str, Any], kb: KnowledgeBase) -> Element:
    ((kind, value),) = spec.items()
    if kind in ("acts", "means", "harm"):
        return (_codes(kind, value), 0, 0)
    if kind == "means_or_persuasion":  # persuasion is not a recorded fact: not met means unknown
        return (_codes("means", value), 0, ALWAYS)
    if kind == "purposes":
        codes = kb.purposes[value] if isinstance(value, str) else frozenset(value)
        return (_codes("purposes", codes), 0, PURPOSE_UNRECORDED)
    if kind == "relation":
        met = _codes("relation", value)
        if set(value) <= _PG:
            return (met, _TRI["parent_or_guardian_no"][0], 0)
        return (met, _TRI["relations_recorded"][0], 0)
    if kind in ("exploitation_occurred", "child", "flag", "tppo_established", "citizenship"):
        name = {
            "exploitation_occurred": "exploitation.occurred",
            "child": "child",
            "tppo_established": "tppo",
            "citizenship": "citizen_id",
        }.get(kind, value)
        t, f = _TRI[name]
        return (t, f, 0)
    if kind in ("exploitation_in_indonesia", "out_of_indonesia", "into_indonesia"):
        t, f = _TRI[{"exploitation_in_indonesia": "in_indonesia"}.get(kind, kind)]
        return (t, f, 0)
    if kind == "between_regions_or_abroad":
        t, f = _TRI["between_regions"]
        return (t, f, 0)
    if kind == "place_in_indonesia":
        # UU 21/2007 Pasal 2 / KUHP Pasal 455: "di wilayah negara Republik Indonesia"
        # read as the place of the act or the place of exploitation (see readings).
        t1, f1 = _TRI["in_indonesia"]
        t2, f2 = _TRI["act_in_indonesia"]
        return (t1 | t2, f1 | f2, 0)
    if kind == "not_in_facts":
        return (0, 0, ALWAYS)
    if kind == "any_of":
        parts = [_compile(p, kb) for p in value]
        if all(p[0] != "all" for p in parts):
            met = req = unk = 0
            for m, r, u in parts:
                met, req, unk = met | m, req | r, unk | u
            return (met, req, unk)
        return ("any", tuple(parts))
    if kind == "all_of":
        return ("all", tuple(_compile(p, kb) for p in value))
    raise ValueError(f"unknown element kind {kind}")  # load_kb has checked this


def _codes(kind: str, codes: Iterable[str]) -> int:
    table = _CODE_BITS[kind]
    out = 0
    for code in codes:
        out |= table[code]
    return out


def _eval(e: Element, bits: int) -> str:
    head = e[0]
    if head == "all":
        values = [_eval(p, bits) for p in e[1]]
        return MISSING if MISSING in values else UNKNOWN if UNKNOWN in values else MET
    if head == "any":
        values = [_eval(p, bits) for p in e[1]]
        return MET if MET in values else UNKNOWN if UNKNOWN in values else MISSING
    if bits & head:
        return MET
    req = e[1]
    return MISSING if bits & req == req and not bits & e[2] else UNKNOWN


def _expr(e: Element, i: int, consts: dict[str, Any]) -> str:
    """Python source for one test over the fact word ``b`` (composite tests call _eval)."""
    if e[0] in ("all", "any"):
        consts[f"E{i}"] = e
        return f"_eval(E{i}, b)"
    met, req, unk = e
    consts[f"M{i}"], consts[f"R{i}"], consts[f"U{i}"] = met, req, unk
    missing = f"b & R{i} == R{i}" + (f" and not b & U{i}" if unk else "")
    return f"(MET if b & M{i} else (MISSING if {missing} else UNKNOWN))"


def _codegen(
    elements: list[Element] | tuple[Element, ...],
    conditions: list[Element],
    readings: list[tuple[int, int]],
) -> Any:
    """Compile an article's tests into one function of the fact word.

    Returns ``f(b) -> (element values, aggravation states, reading flags)`` with every mask
    a constant: no call per element, no loop.
    """
    consts: dict[str, Any] = {"MET": MET, "MISSING": MISSING, "UNKNOWN": UNKNOWN, "_eval": _eval}
    n = 0
    parts = []
    for group in (elements, conditions):
        items = []
        for e in group:
            items.append(_expr(e, n, consts))
            n += 1
        parts.append("(" + "".join(f"{x}, " for x in items) + ")")
    flags = []
    for req, forbidden in readings:
        consts[f"F{n}"], consts[f"G{n}"] = req, forbidden
        flags.append(f"(b & F{n} == F{n} and not b & G{n})")
        n += 1
    parts.append("(" + "".join(f"{x}, " for x in flags) + ")")
    source = "def test(b):\n    return (" + ", ".join(parts) + ")\n"
    namespace: dict[str, Any] = dict(consts)
    exec(compile(source, "<lentera.law compiled article>", "exec"), namespace)  # noqa: S102 - our own generated source
    return namespace["test"]


def _mask(e: Element) -> int:
    if e[0] in ("all", "any"):
        out = 0
        for p in e[1]:
            out |= _mask(p)
        return out
    return e[0] | e[1] | e[2]


# ---------------------------------------------------------------- penalties
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
    from lentera.law.kb import FINE_CATEGORIES

    if f"fine_{end}_category" in o:
        return Fraction(FINE_CATEGORIES[o[f"fine_{end}_category"]])
    if f"fine_{end}_idr" in o:
        return Fraction(o[f"fine_{end}_idr"])
    return Fraction(0) if end == "min" else current


def _penalty_for(
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
        enacted, _, _ = _combine(
            kb,
            art.enacted_regime().penalty,
            [a.enacted_regime().effect for a in aggs],
            day,  # type: ignore[arg-type]
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


# ---------------------------------------------------------------- compiled knowledge base
class _Slot:
    """One article in one penalty epoch: its compiled elements and a memo of outcomes."""

    __slots__ = ("aggs", "art", "day", "fns", "mask", "memo", "names", "parts", "readings",
                 "test", "unverified_text", "vmemo")  # fmt: skip

    def __init__(self, comp: _Compiled, art: Article, day: dt.date) -> None:
        self.art, self.day = art, day
        self.names = tuple(art.elements)
        self.fns = tuple(comp.elements[art.id])
        aggs = [
            (agg.id, comp.conditions[agg.id])
            for agg in comp.kb.aggravations
            if art.id in agg.applies_to and agg.condition is not None and agg.in_force_on(day)
        ]
        self.aggs = tuple(aggs)
        mask = 0
        for e in self.fns:
            mask |= _mask(e)
        for _, cond in aggs:
            mask |= _mask(cond)
        self.readings = tuple(comp.readings.get(art.id, ()))
        for _, rmask, forbidden in self.readings:
            mask |= forbidden
            mask |= rmask
        self.mask = mask
        # two memos: on the raw bits the article reads (one AND and one lookup), and on the
        # outcome of each test (few combinations, so nearly always a hit after warm-up)
        self.memo: dict[int, tuple[Charge, tuple[Explanation, ...]]] = {}
        self.vmemo: dict[tuple[Any, ...], tuple[Charge, tuple[Explanation, ...]]] = {}
        self.parts: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # element and aggravation parts
        self.test = _codegen(self.fns, [c for _, c in aggs], [(m, g) for _, m, g in self.readings])
        self.unverified_text = not art.verified

    def charge(self, comp: _Compiled, bits: int) -> tuple[Charge, tuple[Explanation, ...]]:
        key = bits & self.mask
        hit = self.memo.get(key)
        if hit is None:
            outcome = self.test(key)
            values, states, flags = outcome
            hit = self.vmemo.get(outcome)
            if hit is None:
                hit = self._assemble(comp, values, states, flags)
                if len(self.vmemo) < _MEMO_LIMIT:
                    self.vmemo[outcome] = hit
            if len(self.memo) < _MEMO_LIMIT:
                self.memo[key] = hit
        return hit

    def _elements(self, values: tuple[str, ...], flags: tuple[bool, ...]) -> tuple[Any, ...]:
        """The element part of a charge (met, elements, missing, unknown, readings, notes)."""
        met = False if MISSING in values else (None if UNKNOWN in values else True)
        names, art_id = self.names, self.art.id
        readings = (
            [code for (code, _, _), on in zip(self.readings, flags, strict=True) if on]
            if met is not False
            else []
        )
        return (
            met,
            dict(zip(names, values, strict=True)),
            [n for n, v in zip(names, values, strict=True) if v == MISSING],
            [n for n, v in zip(names, values, strict=True) if v == UNKNOWN],
            readings,
            tuple(
                Explanation.build({"code": code, "params": {"charge": art_id}}) for code in readings
            ),
        )

    def _aggravations(self, comp: _Compiled, states: tuple[str, ...]) -> tuple[Any, ...]:
        """The aggravation part of a charge (applied, penalty, unverified, notes)."""
        art, kb = self.art, comp.kb
        notes: list[Explanation] = []
        applied: list[str] = []
        for (agg_id, _), state in zip(self.aggs, states, strict=True):
            if state == MET:
                applied.append(agg_id)
            elif state == UNKNOWN:
                notes.append(_note("aggravation_undetermined", charge=art.id, aggravation=agg_id))
        if len(applied) > 1:
            notes.append(_note("aggravations_combined", charge=art.id, aggravations=list(applied)))
        penalty = comp.penalty(art, tuple(applied), self.day)
        if penalty.verification != "verified":
            notes.append(_note("penalty_unverified", article=art.id))
        unverified = [art.id] if self.unverified_text else []
        unverified += [a for a in applied if not kb.article(a).verified]
        if unverified:
            notes.append(_note("article_unverified", charge=art.id, articles=unverified))
        for agg_id in applied:
            measures = kb.article(agg_id).measures
            if measures:
                notes.append(_note("additional_measures", charge=art.id, aggravation=agg_id,
                                   measures=list(measures)))  # fmt: skip
        return applied, penalty, unverified, tuple(notes)

    def _assemble(
        self,
        comp: _Compiled,
        values: tuple[str, ...],
        states: tuple[str, ...],
        flags: tuple[bool, ...],
    ) -> tuple[Charge, tuple[Explanation, ...]]:
        part = self.parts.get((values, flags))
        if part is None:
            part = self.parts[(values, flags)] = self._elements(values, flags)
        aggs = self.parts.get(states)
        if aggs is None:
            aggs = self.parts[states] = self._aggravations(comp, states)
        met, elements, missing, unknown, readings, reading_notes = part
        applied, penalty, unverified, agg_notes = aggs
        charge = Charge.build({
            "id": self.art.id,
            "met": met,
            "elements": elements,
            "missing": missing,
            "unknown": unknown,
            "aggravations": applied,
            "penalty": penalty,
            "readings": readings,
            "unverified": unverified,
        })  # fmt: skip
        return charge, agg_notes + reading_notes


class _Epoch:
    """Everything that depends only on the offence date: which articles, which penalties."""

    def __init__(self, comp: _Compiled, day: dt.date) -> None:
        kb = comp.kb
        notes: list[Explanation] = []
        for art in kb.offences:
            if art.in_force_on(day):
                continue
            if art.replaced_by and kb.article(art.replaced_by).in_force_on(day):
                notes.append(_note("article_replaced", article=art.id, by=art.replaced_by,
                                   **{"from": str(kb.article(art.replaced_by).in_force_from)}))  # fmt: skip
            elif not art.replaced_by and art.in_force_from and day < art.in_force_from:
                notes.append(_note("article_not_in_force", article=art.id,
                                   in_force_from=art.in_force_from.isoformat(),
                                   offence_date=day.isoformat()))  # fmt: skip
        in_force = [a for a in kb.offences if a.in_force_on(day)]
        primary = [a for a in in_force if a.role == "tppo"]
        # trafficking itself decides "tppo"; offences that presuppose or merely relate to it
        # (Pasal 12, Pasal 19) are evaluated after it
        decides = [a for a in primary if "tppo_victim" not in a.elements and not a.related_offence]
        self.core = tuple(_Slot(comp, a, day) for a in decides)
        self.dependent = tuple(_Slot(comp, a, day) for a in primary if a not in decides)
        self.alternatives = tuple(_Slot(comp, a, day) for a in in_force if a.role == "alternative")
        self.notes = tuple(notes)


class _Compiled:
    """The knowledge base compiled once: element tests over fact bits, epochs by date."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.elements = {
            art.id: [_compile(spec, kb) for spec in art.elements.values()]
            for art in kb.articles.values()
        }
        self.conditions = {
            agg.id: _compile(agg.condition, kb) for agg in kb.aggravations if agg.condition
        }
        self.readings: dict[str, list[tuple[str, int, int]]] = {}
        for art in kb.articles.values():
            for spec in art.elements.values():
                if "place_in_indonesia" in spec:
                    # met only because the acts were done here (the exploitation is abroad or
                    # its place unknown): the place-of-act reading
                    required = _TRI["act_in_indonesia"][0]
                    forbidden = _TRI["in_indonesia"][0]
                    self.readings.setdefault(art.id, []).append(
                        ("territory_place_of_act", required, forbidden)
                    )
        self.palermo = kb.article("PALERMO:3.a")
        self.palermo_fns = tuple(self.elements[self.palermo.id])
        self.palermo_names = tuple(self.palermo.elements)
        self.palermo_mask = ALWAYS | _TRI["child"][0] | _TRI["child"][1]
        for e in self.palermo_fns:
            self.palermo_mask |= _mask(e)
        self.palermo_memo: dict[int, tuple[Palermo, tuple[Explanation, ...]]] = {}
        self.child_age = 18  # Palermo Art. 3(d), UU 21/2007 Pasal 1 angka 5
        self.core_ids = frozenset(a.id for a in kb.articles.values() if a.core)
        starts = {d for a in kb.articles.values() for d in (a.in_force_from,) if d}
        starts |= {
            a.in_force_to + dt.timedelta(days=1) for a in kb.articles.values() if a.in_force_to
        }
        starts |= {r.start for a in kb.articles.values() for r in a.regimes if r.start}
        self.boundaries = sorted(starts)
        self.epochs: dict[int, _Epoch] = {}
        self.penalties: dict[tuple[str, tuple[str, ...], int], PenaltyRange] = {}

    def epoch(self, day: dt.date) -> _Epoch:
        index = bisect.bisect_right(self.boundaries, day)
        epoch = self.epochs.get(index)
        if epoch is None:
            start = self.boundaries[index - 1] if index else dt.date.min
            epoch = self.epochs[index] = _Epoch(self, start)
        return epoch

    def penalty(self, art: Article, applied: tuple[str, ...], day: dt.date) -> PenaltyRange:
        key = (art.id, applied, bisect.bisect_right(self.boundaries, day))
        found = self.penalties.get(key)
        if found is None:
            found = self.penalties[key] = _penalty_for(self.kb, art, applied, day)
        return found


_COMPILED: dict[int, _Compiled] = {}


def _compiled(kb: KnowledgeBase) -> _Compiled:
    key = id(kb)
    comp = _COMPILED.get(key)
    if comp is None or comp.kb is not kb:
        comp = _COMPILED[key] = _Compiled(kb)
    return comp


def _palermo(comp: _Compiled, bits: int) -> tuple[Palermo, tuple[Explanation, ...]]:
    key = bits & comp.palermo_mask
    hit = comp.palermo_memo.get(key)
    if hit is not None:
        return hit
    child_t, child_f = _TRI["child"]
    child = True if key & child_t else False if key & child_f else None
    elements = {n: _eval(e, key) for n, e in zip(comp.palermo_names, comp.palermo_fns, strict=True)}
    notes: list[Explanation] = []
    means = elements["means"]
    if child is True:
        elements["means"] = NOT_REQUIRED
        means_required: bool | None = False
        notes.append(_note("palermo_child_means_not_required", article="PALERMO:3.c"))
    elif child is None and means != MET:
        elements["means"] = UNKNOWN
        means_required = None
        other = [v for k, v in elements.items() if k != "means"]
        as_child = False if MISSING in other else (True if all(v == MET for v in other) else None)
        as_adult = False if means == MISSING or MISSING in other else None
        if as_child != as_adult:
            notes.append(_note("palermo_depends_on_age", as_child=as_child, as_adult=as_adult))
    else:
        means_required = True
    values = elements.values()
    trafficking = False if MISSING in values else (None if UNKNOWN in values else True)
    hit = (
        Palermo.build({
            "trafficking": trafficking,
            "means_required": means_required,
            "elements": elements,
            "missing": [k for k, v in elements.items() if v == MISSING],
            "unknown": [k for k, v in elements.items() if v == UNKNOWN],
        }),
        tuple(notes),
    )  # fmt: skip
    if len(comp.palermo_memo) < _MEMO_LIMIT:
        comp.palermo_memo[key] = hit
    return hit


def qualify(
    facts: CaseFacts | Mapping[str, Any] | str | bytes,
    *,
    as_of: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> QualificationResult:
    """Qualify one case-facts document (raises :class:`LenteraError` on invalid input)."""
    if not isinstance(facts, CaseFacts):
        facts = parse_case_facts(facts if not isinstance(facts, Mapping) else dict(facts))
    kb = kb or load_kb()
    comp = _compiled(kb)
    explanations: list[Explanation] = []
    day = facts.offence_date
    if day is None:
        day = as_of or dt.date.today()  # noqa: DTZ011 - the calendar day of the rules
        explanations.append(_note("offence_date_unknown", rules_as_of=day.isoformat()))
    age = facts.victim.age_at_offence
    child = None if age is None else age < comp.child_age
    if age is None:
        explanations.append(_note("age_unknown"))
    elif child:
        explanations.append(_note("victim_is_child", age=age))
    bits = _fact_bits(facts, child)
    palermo, notes = _palermo(comp, bits)
    explanations.extend(notes)
    epoch = comp.epoch(day)
    for note in epoch.notes:
        if "offence_date" in note.params:  # the epoch's first day: say the document's
            note = _note(note.code, **{**note.params, "offence_date": day.isoformat()})
        explanations.append(note)
    charges = _run(comp, epoch.core, bits, explanations)
    states = [c.met for c in charges]
    tppo = True if True in states else (False if all(s is False for s in states) else None)
    bits |= _tri_bits("tppo", tppo)
    charges += _run(comp, epoch.dependent, bits, explanations)
    alternatives = _run(comp, epoch.alternatives, bits, explanations)
    return QualificationResult.build({
        "schema_": QUALIFICATION_SCHEMA,
        "rule_set": kb.rule_set,
        "victim_is_child": child,
        "palermo": palermo,
        "indonesia": Indonesia.build({"tppo": tppo, "charges": charges, "alternatives": alternatives}),
        "gaps": _gaps(kb, facts, bits, child, palermo, charges),
        "explanations": explanations,
    })  # fmt: skip


def _note(code: str, **params: Any) -> Explanation:
    return Explanation.build({"code": code, "params": params})


def _run(
    comp: _Compiled, slots: tuple[_Slot, ...], bits: int, explanations: list[Explanation]
) -> list[Charge]:
    """The charges of these slots (memo hits inline: the hot path), notes into explanations."""
    out: list[Charge] = []
    append, extend = out.append, explanations.extend
    for slot in slots:
        hit = slot.memo.get(bits & slot.mask)
        if hit is None:
            hit = slot.charge(comp, bits)
        append(hit[0])  # frozen: shared, not copied
        if hit[1]:
            extend(hit[1])
    return out


def _gaps(
    kb: KnowledgeBase,
    facts: CaseFacts,
    bits: int,
    child: bool | None,
    palermo: Palermo,
    charges: list[Charge],
) -> list[Gap]:
    gaps: list[Gap] = []
    core_ids = _compiled(kb).core_ids
    core = [c for c in charges if c.id in core_ids]
    if child is True and palermo.trafficking is True:
        blocked = [
            c.id for c in core
            if c.elements.get("means") != MET and c.elements.get("result", MET) == MET
        ]  # fmt: skip
        if blocked:
            gaps.append(_gap("child_means_required", blocked))
    means = facts.means
    if means and set(means) <= {"other_coercion"}:
        gaps.append(_gap("means_not_in_national_law", [c.id for c in core]))
    occurred = facts.exploitation.occurred
    if occurred is not True and any(
        c.met is True and "result" not in c.elements and "tppo_victim" not in c.elements
        for c in charges
    ):
        needing = [
            c.id for c in charges
            if c.elements.get("result", MET) != MET
            and all(v == MET for k, v in c.elements.items() if k != "result")
        ]  # fmt: skip
        harm = set(facts.harm)
        by_id = {c.id: c for c in charges}
        for agg in kb.aggravations:
            if agg.condition and "harm" in agg.condition and harm & set(agg.condition["harm"]):  # noqa: SIM102
                if any(t in by_id and "result" in by_id[t].elements for t in agg.applies_to):
                    needing.append(agg.id)
        if needing:
            gaps.append(_gap("result_required", needing))
    purposes = set(facts.exploitation.purposes)
    if purposes & (kb.purposes["national"] - kb.purposes["palermo"]):
        reached = [c.id for c in charges if c.elements.get("purpose") == MET]
        gaps.append(_gap("purpose_outside_palermo", reached))
    if purposes & (kb.purposes["palermo"] - kb.purposes["national"]):
        gaps.append(_gap("purpose_outside_national_law", [c.id for c in core]))
    return gaps


def _gap(code: str, charges: list[str]) -> Gap:
    return Gap.build({"code": code, "charges": charges})


def qualify_many(
    documents: Iterable[CaseFacts | Mapping[str, Any]],
    *,
    as_of: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> Iterator[QualificationResult]:
    """Qualify many documents in order."""
    kb = kb or load_kb()
    for doc in documents:
        yield qualify(doc, as_of=as_of, kb=kb)
