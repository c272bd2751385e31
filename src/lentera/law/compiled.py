"""The knowledge base compiled once for the engine: articles by epoch, memoised outcomes.

An *epoch* is a stretch of days over which no article and no penalty changes; each
article in force gets a :class:`Slot` holding its generated test function and two memos
(outcome by the fact bits the article reads, and by the outcome of its tests). The
Palermo reading is memoised the same way. Memos stop growing at ``MEMO_LIMIT`` entries.
Results built here are frozen and shared between qualifications.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from lentera.law.elements import (
    MET,
    MISSING,
    NOT_REQUIRED,
    UNKNOWN,
    codegen,
    compile_element,
    element_mask,
    evaluate,
)
from lentera.law.factbits import ALWAYS, TRI
from lentera.law.kb import Article, KnowledgeBase
from lentera.law.models import Charge, Explanation, Palermo, PenaltyRange
from lentera.law.penalties import penalty_for

__all__ = [
    "MEMO_LIMIT",
    "CompiledKB",
    "Epoch",
    "Slot",
    "compiled_kb",
    "explain",
    "palermo_outcome",
]

MEMO_LIMIT = 1 << 15


class Slot:
    """One article in one penalty epoch: its compiled elements and a memo of outcomes."""

    __slots__ = ("aggs", "art", "day", "fns", "mask", "memo", "names", "parts", "readings",
                 "test", "unverified_text", "vmemo")  # fmt: skip

    def __init__(self, comp: CompiledKB, art: Article, day: dt.date) -> None:
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
            mask |= element_mask(e)
        for _, cond in aggs:
            mask |= element_mask(cond)
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
        self.test = codegen(self.fns, [c for _, c in aggs], [(m, g) for _, m, g in self.readings])
        self.unverified_text = not art.verified

    def charge(self, comp: CompiledKB, bits: int) -> tuple[Charge, tuple[Explanation, ...]]:
        key = bits & self.mask
        hit = self.memo.get(key)
        if hit is None:
            outcome = self.test(key)
            values, states, flags = outcome
            hit = self.vmemo.get(outcome)
            if hit is None:
                hit = self._assemble(comp, values, states, flags)
                if len(self.vmemo) < MEMO_LIMIT:
                    self.vmemo[outcome] = hit
            if len(self.memo) < MEMO_LIMIT:
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

    def _aggravations(self, comp: CompiledKB, states: tuple[str, ...]) -> tuple[Any, ...]:
        """The aggravation part of a charge (applied, penalty, unverified, notes)."""
        art, kb = self.art, comp.kb
        notes: list[Explanation] = []
        applied: list[str] = []
        for (agg_id, _), state in zip(self.aggs, states, strict=True):
            if state == MET:
                applied.append(agg_id)
            elif state == UNKNOWN:
                notes.append(explain("aggravation_undetermined", charge=art.id, aggravation=agg_id))
        if len(applied) > 1:
            notes.append(
                explain("aggravations_combined", charge=art.id, aggravations=list(applied))
            )
        penalty = comp.penalty(art, tuple(applied), self.day)
        if penalty.verification != "verified":
            notes.append(explain("penalty_unverified", article=art.id))
        unverified = [art.id] if self.unverified_text else []
        unverified += [a for a in applied if not kb.article(a).verified]
        if unverified:
            notes.append(explain("article_unverified", charge=art.id, articles=unverified))
        for agg_id in applied:
            measures = kb.article(agg_id).measures
            if measures:
                notes.append(explain("additional_measures", charge=art.id, aggravation=agg_id,
                                   measures=list(measures)))  # fmt: skip
        return applied, penalty, unverified, tuple(notes)

    def _assemble(
        self,
        comp: CompiledKB,
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


class Epoch:
    """Everything that depends only on the offence date: which articles, which penalties."""

    def __init__(self, comp: CompiledKB, day: dt.date) -> None:
        kb = comp.kb
        notes: list[Explanation] = []
        for art in kb.offences:
            if art.in_force_on(day):
                continue
            if art.replaced_by and kb.article(art.replaced_by).in_force_on(day):
                notes.append(explain("article_replaced", article=art.id, by=art.replaced_by,
                                   **{"from": str(kb.article(art.replaced_by).in_force_from)}))  # fmt: skip
            elif not art.replaced_by and art.in_force_from and day < art.in_force_from:
                notes.append(explain("article_not_in_force", article=art.id,
                                   in_force_from=art.in_force_from.isoformat(),
                                   offence_date=day.isoformat()))  # fmt: skip
        in_force = [a for a in kb.offences if a.in_force_on(day)]
        primary = [a for a in in_force if a.role == "tppo"]
        # trafficking itself decides "tppo"; offences that presuppose or merely relate to it
        # (Pasal 12, Pasal 19) are evaluated after it
        decides = [a for a in primary if "tppo_victim" not in a.elements and not a.related_offence]
        self.core = tuple(Slot(comp, a, day) for a in decides)
        self.dependent = tuple(Slot(comp, a, day) for a in primary if a not in decides)
        self.alternatives = tuple(Slot(comp, a, day) for a in in_force if a.role == "alternative")
        self.notes = tuple(notes)
        #: a note naming the offence date, for a document's day: (index in notes, day) -> note
        self.dated: dict[tuple[int, dt.date], Explanation] = {}


class CompiledKB:
    """The knowledge base compiled once: element tests over fact bits, epochs by date."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.elements = {
            art.id: [compile_element(spec, kb) for spec in art.elements.values()]
            for art in kb.articles.values()
        }
        self.conditions = {
            agg.id: compile_element(agg.condition, kb) for agg in kb.aggravations if agg.condition
        }
        self.readings: dict[str, list[tuple[str, int, int]]] = {}
        for art in kb.articles.values():
            for spec in art.elements.values():
                if "place_in_indonesia" in spec:
                    # met only because the acts were done here (the exploitation is abroad or
                    # its place unknown): the place-of-act reading
                    required = TRI["act_in_indonesia"][0]
                    forbidden = TRI["in_indonesia"][0]
                    self.readings.setdefault(art.id, []).append(
                        ("territory_place_of_act", required, forbidden)
                    )
        self.palermo = kb.article("PALERMO:3.a")
        self.palermo_fns = tuple(self.elements[self.palermo.id])
        self.palermo_names = tuple(self.palermo.elements)
        self.palermo_mask = ALWAYS | TRI["child"][0] | TRI["child"][1]
        for e in self.palermo_fns:
            self.palermo_mask |= element_mask(e)
        self.palermo_memo: dict[int, tuple[Palermo, tuple[Explanation, ...]]] = {}
        self.child_age = 18  # Palermo Art. 3(d), UU 21/2007 Pasal 1 angka 5
        self.core_ids = frozenset(a.id for a in kb.articles.values() if a.core)
        starts = {d for a in kb.articles.values() for d in (a.in_force_from,) if d}
        starts |= {
            a.in_force_to + dt.timedelta(days=1) for a in kb.articles.values() if a.in_force_to
        }
        starts |= {r.start for a in kb.articles.values() for r in a.regimes if r.start}
        self.boundaries = sorted(starts)
        self.epochs: dict[int, Epoch] = {}
        self.penalties: dict[tuple[str, tuple[str, ...], int], PenaltyRange] = {}

    def epoch(self, day: dt.date) -> Epoch:
        index = bisect.bisect_right(self.boundaries, day)
        epoch = self.epochs.get(index)
        if epoch is None:
            start = self.boundaries[index - 1] if index else dt.date.min
            epoch = self.epochs[index] = Epoch(self, start)
        return epoch

    def penalty(self, art: Article, applied: tuple[str, ...], day: dt.date) -> PenaltyRange:
        key = (art.id, applied, bisect.bisect_right(self.boundaries, day))
        found = self.penalties.get(key)
        if found is None:
            found = self.penalties[key] = penalty_for(self.kb, art, applied, day)
        return found


_COMPILED: dict[int, CompiledKB] = {}


def compiled_kb(kb: KnowledgeBase) -> CompiledKB:
    key = id(kb)
    comp = _COMPILED.get(key)
    if comp is None or comp.kb is not kb:
        comp = _COMPILED[key] = CompiledKB(kb)
    return comp


def palermo_outcome(comp: CompiledKB, bits: int) -> tuple[Palermo, tuple[Explanation, ...]]:
    key = bits & comp.palermo_mask
    hit = comp.palermo_memo.get(key)
    if hit is not None:
        return hit
    child_t, child_f = TRI["child"]
    child = True if key & child_t else False if key & child_f else None
    elements = {
        n: evaluate(e, key) for n, e in zip(comp.palermo_names, comp.palermo_fns, strict=True)
    }
    notes: list[Explanation] = []
    means = elements["means"]
    if child is True:
        elements["means"] = NOT_REQUIRED
        means_required: bool | None = False
        notes.append(explain("palermo_child_means_not_required", article="PALERMO:3.c"))
    elif child is None and means != MET:
        elements["means"] = UNKNOWN
        means_required = None
        other = [v for k, v in elements.items() if k != "means"]
        as_child = False if MISSING in other else (True if all(v == MET for v in other) else None)
        as_adult = False if means == MISSING or MISSING in other else None
        if as_child != as_adult:
            notes.append(explain("palermo_depends_on_age", as_child=as_child, as_adult=as_adult))
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
    if len(comp.palermo_memo) < MEMO_LIMIT:
        comp.palermo_memo[key] = hit
    return hit


def explain(code: str, **params: Any) -> Explanation:
    """One explanation of the result (a code and its parameters)."""
    return Explanation.build({"code": code, "params": params})
