"""The knowledge base compiled once for the engine: articles by epoch, memoised outcomes.

An *epoch* is a stretch of days over which no article and no penalty changes. Every
distinct test its articles read (elements, aggravation conditions, readings, the Palermo
elements) is compiled into one generated function of the fact word that returns a
*feature word*, two bits per test (:func:`lentera.law.elements.lanes`); the tests that
read whether a trafficking offence is established are a second function, run once that
is known. Each article in force gets a :class:`Slot` whose memo maps the lanes it reads
(the outcome of its tests) to its frozen charge and notes, so a charge is built once per
distinct outcome, not per document, and a fresh document hits it as soon as that outcome
has been seen (a memo on the raw fact bits would miss: an article reads 30-50 of them).
The Palermo reading is memoised the same way. Memos stop growing at ``MEMO_LIMIT``
entries. Results built here are frozen and shared between qualifications.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from lentera.law.elements import (
    MET,
    MISSING,
    NOT_REQUIRED,
    UNKNOWN,
    VALUES,
    Element,
    compile_element,
    element_mask,
    lanes,
)
from lentera.law.factbits import CODE_BITS, FACT_WIDTH, TRI
from lentera.law.kb import Article, KnowledgeBase
from lentera.law.models import Charge, Explanation, Gap, Palermo, PenaltyRange
from lentera.law.penalties import penalty_for

__all__ = [
    "INFO_BLOCKED",
    "INFO_HAS_RESULT",
    "INFO_MET",
    "INFO_MET_NO_RESULT",
    "INFO_NEEDS_RESULT",
    "INFO_NOT_MET",
    "INFO_PURPOSE_MET",
    "MEMO_LIMIT",
    "CompiledKB",
    "Epoch",
    "Hit",
    "Slot",
    "compiled_kb",
    "explain",
    "palermo_outcome",
]

MEMO_LIMIT = 1 << 15

# What a charge tells tppo and the gaps (bits of an int kept beside it in the memo)
INFO_MET, INFO_NOT_MET, INFO_BLOCKED, INFO_MET_NO_RESULT = 1, 2, 4, 8
INFO_NEEDS_RESULT, INFO_HAS_RESULT, INFO_PURPOSE_MET = 16, 32, 64

#: slots run together (one memo) while the lanes they read fit in this many bits
GROUP_BITS = 16

#: a memo entry: the frozen charge, its notes, its INFO bits
Hit = tuple[Charge, tuple[Explanation, ...], int]
GroupHit = tuple[tuple[Charge, ...], tuple[Explanation, ...], tuple[int, ...], int, int]
Runner = Callable[
    [int, Callable[[tuple[Explanation, ...]], None]], tuple[list[Charge], tuple[int, ...], int, int]
]


class _Layout:
    """Where each distinct test of an epoch sits in the feature word.

    A true/false fact read as it is (met if true, missing if false) needs no test: its two
    fact bits are already its lane (``=T`` then ``=F``: 1 met, 2 missing, 0 unknown), so
    the feature word keeps them where they are (``direct``) and the computed lanes start
    above the fact bits.
    """

    def __init__(self) -> None:
        self.next = FACT_WIDTH
        self.shifts: dict[Element, int] = {}
        self.bits: dict[tuple[int, int], int] = {}
        self.early: list[tuple[Element, int]] = []
        self.late: list[tuple[Element, int]] = []  # tests of "tppo": run once it is known
        self.late_mask = 0
        self.direct = 0

    def lane(self, e: Element) -> int:
        k = self.shifts.get(e)
        if k is None:
            if element_mask(e) & _TPPO:
                k = self.shifts[e] = self._take(2)
                self.late.append((e, k))
                self.late_mask |= 3 << k
            elif e[0] not in ("all", "any") and e[2] == 0 and (e[0], e[1]) in _TRI_PAIRS:
                k = self.shifts[e] = e[0].bit_length() - 1
                self.direct |= 3 << k
            else:
                k = self.shifts[e] = self._take(2)
                self.early.append((e, k))
        return k

    def _take(self, width: int) -> int:
        k = self.next
        self.next += width
        return k

    def flag(self, required: int, forbidden: int) -> int:
        bit = self.bits.get((required, forbidden))
        if bit is None:
            bit = self.bits[(required, forbidden)] = 1 << self._take(1)
        return bit


_TPPO = TRI["tppo"][0] | TRI["tppo"][1]
_TRI_PAIRS = frozenset(pair for pair in TRI.values() if pair[1] == pair[0] << 1)
_CHILD: Element = (*TRI["child"], 0)


class Slot:
    """One article in one penalty epoch: where its tests sit, and a memo of outcomes."""

    __slots__ = ("agg_parts", "aggs", "amask", "art", "ashifts", "built", "cmask", "comp", "core",
                 "day", "element_parts", "emask", "eshifts", "mask", "memo", "names", "rbits",
                 "readings", "unverified_text")  # fmt: skip

    def __init__(self, comp: CompiledKB, art: Article, day: dt.date, layout: _Layout) -> None:
        self.comp, self.art, self.day = comp, art, day
        self.core = art.id in comp.core_ids
        self.names = tuple(art.elements)
        aggs = [
            (agg.id, comp.conditions[agg.id])
            for agg in comp.kb.aggravations
            if art.id in agg.applies_to and agg.condition is not None and agg.in_force_on(day)
        ]
        self.aggs = tuple(aggs)
        self.eshifts = tuple(layout.lane(e) for e in comp.elements[art.id])
        self.ashifts = tuple(layout.lane(c) for _, c in aggs)
        self.readings = tuple(comp.readings.get(art.id, ()))
        self.rbits = tuple(layout.flag(m, g) for _, m, g in self.readings)
        emask = amask = applied = 0
        for k in self.eshifts:
            emask |= 3 << k
        for bit in self.rbits:
            emask |= bit
        for k in self.ashifts:
            amask |= 3 << k
            applied |= 1 << k  # the low bit of a lane: met (VALUES)
        self.emask, self.amask, self.mask = emask, amask, emask | amask
        self.cmask = emask | applied
        # the outcome of every test the article reads -> its charge, notes and INFO bits
        # (the dict is never replaced: the epoch's runners hold its ``get``)
        self.memo: dict[int, Hit] = {}
        # the parts of an outcome, by the lanes each reads: the element part, the aggravation
        # part (applied, penalty, notes), and the charge itself, which depends on the elements
        # and on which aggravations apply but not on whether the others are missing or
        # unknown (that only changes the notes): far fewer charges than outcomes to build
        self.element_parts: dict[int, tuple[Any, ...]] = {}
        self.agg_parts: dict[int, tuple[Any, ...]] = {}
        self.built: dict[int, Charge] = {}
        self.unverified_text = not art.verified

    def charge(self, f: int) -> Hit:
        """The charge for the feature word ``f`` (built on a memo miss)."""
        key = f & self.mask
        hit = self.memo.get(key)
        if hit is None:
            part = self.element_parts.get(f & self.emask)
            if part is None:
                part = self.element_parts[f & self.emask] = self._elements(f)
            aggs = self.agg_parts.get(f & self.amask)
            if aggs is None:
                aggs = self.agg_parts[f & self.amask] = self._aggravations(f)
            charge = self.built.get(f & self.cmask)
            if charge is None:
                met, elements, missing, unknown, readings, _, _ = part
                applied, penalty, unverified, _ = aggs
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
                if len(self.built) < MEMO_LIMIT:
                    self.built[f & self.cmask] = charge
            hit = (charge, aggs[3] + part[5], part[6])
            if len(self.memo) < MEMO_LIMIT:
                self.memo[key] = hit
        return hit

    def _elements(self, f: int) -> tuple[Any, ...]:
        """The element part of a charge (met, elements, missing, unknown, readings, notes, info)."""
        values = tuple(VALUES[(f >> k) & 3] for k in self.eshifts)
        flags = tuple(bool(f & bit) for bit in self.rbits)
        met = False if MISSING in values else (None if UNKNOWN in values else True)
        names, art_id = self.names, self.art.id
        readings = (
            [code for (code, _, _), on in zip(self.readings, flags, strict=True) if on]
            if met is not False
            else []
        )
        elements = dict(zip(names, values, strict=True))
        return (
            met,
            elements,
            [n for n, v in zip(names, values, strict=True) if v == MISSING],
            [n for n, v in zip(names, values, strict=True) if v == UNKNOWN],
            readings,
            tuple(
                Explanation.build({"code": code, "params": {"charge": art_id}}) for code in readings
            ),
            _info(met, elements, self.core),
        )

    def _aggravations(self, f: int) -> tuple[Any, ...]:
        """The aggravation part of a charge (applied, penalty, unverified, notes)."""
        states = tuple(VALUES[(f >> k) & 3] for k in self.ashifts)
        comp = self.comp
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


def _info(met: bool | None, elements: dict[str, str], core: bool) -> int:
    """The INFO bits of a charge: what tppo and the gaps read, without reading the charge."""
    info = INFO_MET if met is True else (INFO_NOT_MET if met is False else 0)
    result = elements.get("result", MET)
    if core and elements.get("means") != MET and result == MET:
        info |= INFO_BLOCKED
    if met is True and "result" not in elements and "tppo_victim" not in elements:
        info |= INFO_MET_NO_RESULT
    if result != MET and all(v == MET for k, v in elements.items() if k != "result"):
        info |= INFO_NEEDS_RESULT
    if "result" in elements:
        info |= INFO_HAS_RESULT
    if elements.get("purpose") == MET:
        info |= INFO_PURPOSE_MET
    return info


class _Group:
    """Consecutive slots that together read few lanes: one memo for all of them."""

    __slots__ = ("mask", "memo", "slots")

    def __init__(self, slots: list[Slot]) -> None:
        self.slots = tuple(slots)
        self.mask = 0
        for slot in slots:
            self.mask |= slot.mask
        #: lanes -> (charges, notes, INFO bits of each, OR of them, AND of them)
        self.memo: dict[int, GroupHit] = {}

    def charges(self, f: int) -> GroupHit:
        key = f & self.mask
        hit = self.memo.get(key)
        if hit is None:
            hits = [s.memo.get(f & s.mask) or s.charge(f) for s in self.slots]
            infos = tuple(h[2] for h in hits)
            any_info, all_info = 0, -1
            for info in infos:
                any_info, all_info = any_info | info, all_info & info
            notes = tuple(n for h in hits for n in h[1])
            hit = (tuple(h[0] for h in hits), notes, infos, any_info, all_info)
            if len(self.memo) < MEMO_LIMIT:
                self.memo[key] = hit
        return hit


def _units(slots: tuple[Slot, ...]) -> list[Slot | _Group]:
    """Slots in order, consecutive ones grouped while their lanes fit in ``GROUP_BITS``."""
    runs: list[list[Slot]] = []
    mask = 0
    for slot in slots:
        if runs and (mask | slot.mask).bit_count() <= GROUP_BITS:
            runs[-1].append(slot)
            mask |= slot.mask
        else:
            runs.append([slot])
            mask = slot.mask
    return [run[0] if len(run) == 1 else _Group(run) for run in runs]


def _runner(slots: tuple[Slot, ...]) -> Runner:
    """One generated function running these slots in order (the hot path: memo hits inline).

    ``run(f, extend) -> (charges, infos, OR of infos, AND of infos)``; notes go to ``extend``.
    Consecutive slots that read few lanes share one memo (``_Group``): one lookup for all.
    """
    lines = ["def run(f, extend):"]
    namespace: dict[str, Any] = {}
    charges, infos, any_info, all_info = [], [], [], []
    for i, unit in enumerate(_units(slots)):
        single = isinstance(unit, Slot)
        build = unit.charge if isinstance(unit, Slot) else unit.charges
        namespace[f"get{i}"], namespace[f"build{i}"] = unit.memo.get, build
        # a slot gives one charge and its INFO bits; a group, several and their OR and AND
        unpack = f"c{i}, notes, i{i} = h" if single else f"c{i}, notes, i{i}, o{i}, a{i} = h"
        star = "" if single else "*"
        charges.append(f"{star}c{i}")
        infos.append(f"{star}i{i}")
        any_info.append(f"i{i}" if single else f"o{i}")
        all_info.append(f"i{i}" if single else f"a{i}")
        lines += [
            f"    h = get{i}(f & {unit.mask})",
            "    if h is None:",
            f"        h = build{i}(f)",
            f"    {unpack}",
            "    if notes:",
            "        extend(notes)",
        ]  # fmt: skip
    lines.append(
        f"    return [{', '.join(charges)}], ({''.join(f'{i}, ' for i in infos)}), "
        f"{' | '.join(any_info) or '0'}, {' & '.join(all_info) or '-1'}"
    )
    exec(compile("\n".join(lines) + "\n", "<lentera.law compiled run>", "exec"), namespace)  # noqa: S102 - our own generated source
    run: Runner = namespace["run"]
    return run


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
        layout = _Layout()
        self.palermo_shifts = tuple(layout.lane(e) for e in comp.palermo_fns)
        self.child_shift = layout.lane(_CHILD)
        pmask = 3 << self.child_shift
        for k in self.palermo_shifts:
            pmask |= 3 << k
        self.palermo_mask = pmask
        self.palermo_memo: dict[int, tuple[Palermo, tuple[Explanation, ...]]] = {}
        self.core = tuple(Slot(comp, a, day, layout) for a in decides)
        self.dependent = tuple(Slot(comp, a, day, layout) for a in primary if a not in decides)
        self.alternatives = tuple(
            Slot(comp, a, day, layout) for a in in_force if a.role == "alternative"
        )
        #: the ids of the core articles among the charges (in their order), for the gaps
        self.core_ids = [s.art.id for s in self.core + self.dependent if s.core]
        self.run_core = _runner(self.core)
        self.run_dependent = _runner(self.dependent)
        self.run_alternatives = _runner(self.alternatives)
        self.late_mask = layout.late_mask
        if any(s.mask & layout.late_mask for s in self.core) or pmask & layout.late_mask:
            raise ValueError("an article deciding the trafficking offence reads it")
        #: fact word -> feature word (every test but those of "tppo"), and those once it is known
        self.lanes = lanes(
            layout.early, [(m, g, b) for (m, g), b in layout.bits.items()], layout.direct
        )
        self.late = lanes(layout.late, []) if layout.late else None
        #: the late lanes by tppo, where they read nothing else (the usual case)
        self.late_by_tppo: dict[bool | None, int] | None = None
        if self.late is not None and all(element_mask(e) & ~_TPPO == 0 for e, _ in layout.late):
            t, f = TRI["tppo"]
            self.late_by_tppo = {True: self.late(t), False: self.late(f), None: self.late(0)}
        self.notes = tuple(notes)
        #: the gaps by the INFO bits of the charges and the facts they read (lentera.law.engine)
        self.gaps: dict[tuple[Any, ...], list[Gap]] = {}


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
        self.child_age = 18  # Palermo Art. 3(d), UU 21/2007 Pasal 1 angka 5
        # what the gaps read from the fact word
        means = CODE_BITS["means"]
        self.all_means = _codes(means, means)
        self.other_means = _codes(means, ["other_coercion"])
        purposes = CODE_BITS["purposes"]
        national, palermo = kb.purposes["national"], kb.purposes["palermo"]
        self.national_only = _codes(purposes, national - palermo)
        self.palermo_only = _codes(purposes, palermo - national)
        #: (offence date unknown, day of the rules, age) -> notes before Palermo, epoch, after
        self.heads: dict[tuple[bool, dt.date, int | None], Any] = {}
        self.harm_aggravations = tuple(
            (agg.id, _codes(CODE_BITS["harm"], agg.condition["harm"]), frozenset(agg.applies_to))
            for agg in kb.aggravations
            if agg.condition and "harm" in agg.condition
        )
        self.harm_codes = 0
        for _, harm, _ in self.harm_aggravations:
            self.harm_codes |= harm
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


def _codes(table: dict[str, int], codes: Iterable[str]) -> int:
    out = 0
    for code in codes:
        out |= table[code]
    return out


_COMPILED: dict[int, CompiledKB] = {}


def compiled_kb(kb: KnowledgeBase) -> CompiledKB:
    key = id(kb)
    comp = _COMPILED.get(key)
    if comp is None or comp.kb is not kb:
        comp = _COMPILED[key] = CompiledKB(kb)
    return comp


def palermo_outcome(
    comp: CompiledKB, epoch: Epoch, f: int
) -> tuple[Palermo, tuple[Explanation, ...]]:
    """The Palermo Protocol reading for the feature word ``f`` (memoised on its lanes)."""
    key = f & epoch.palermo_mask
    hit = epoch.palermo_memo.get(key)
    if hit is not None:
        return hit
    child = (None, True, False)[(f >> epoch.child_shift) & 3]
    elements = {
        n: VALUES[(f >> k) & 3]
        for n, k in zip(comp.palermo_names, epoch.palermo_shifts, strict=True)
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
    if len(epoch.palermo_memo) < MEMO_LIMIT:
        epoch.palermo_memo[key] = hit
    return hit


def explain(code: str, **params: Any) -> Explanation:
    """One explanation of the result (a code and its parameters)."""
    return Explanation.build({"code": code, "params": params})
