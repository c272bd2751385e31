"""Qualify case facts under the Palermo Protocol and Indonesian law.

``qualify(facts)`` returns a ``lentera.qualification/1`` document (a plain
dict). Element values are ``met``, ``missing`` (the facts do not show it: a
list without the code, or a fact recorded as false), ``unknown`` (the fact is
null) or ``not_required``. A charge is ``met: true`` only when every element
is met, ``false`` when one is missing, and ``null`` (undetermined) when the
rest hinges on unknown facts — an unknown fact never makes a charge "not met".

Which law applies is decided by the offence date (articles carry validity
dates; no retroactive application). With no offence date the rules in force on
``as_of`` (today by default) are used and the explanation says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from lentera.facts import CaseFacts, parse_case_facts
from lentera.law.kb import Article, KnowledgeBase, Penalty, load_kb

__all__ = ["qualify", "qualify_many"]

MET, MISSING, UNKNOWN, NOT_REQUIRED = "met", "missing", "unknown", "not_required"


@dataclass
class _Ctx:
    facts: CaseFacts
    acts: frozenset[str]
    means: frozenset[str]
    purposes: frozenset[str]
    harm: frozenset[str]
    child: bool | None
    tppo: bool | None = None


Evaluator = Callable[[_Ctx], str]


def _tri(value: bool | None) -> str:
    return MET if value is True else MISSING if value is False else UNKNOWN


def _compile(spec: dict[str, Any], kb: KnowledgeBase) -> Evaluator:
    ((kind, value),) = spec.items()
    if kind in ("acts", "means", "harm"):
        codes = frozenset(value)
        attr = kind
        return lambda c: MET if getattr(c, attr) & codes else MISSING
    if kind == "means_or_persuasion":
        codes = frozenset(value)
        return lambda c: MET if c.means & codes else UNKNOWN
    if kind == "purposes":
        codes = kb.purposes[value] if isinstance(value, str) else frozenset(value)

        def purposes(c: _Ctx) -> str:
            if c.purposes & codes:
                return MET
            if not c.purposes and c.facts.exploitation.occurred is True:
                return UNKNOWN  # exploited, but how is not recorded
            return MISSING

        return purposes
    if kind == "exploitation_occurred":
        return lambda c: _tri(c.facts.exploitation.occurred)
    if kind == "child":
        return lambda c: _tri(c.child)
    if kind == "citizenship":
        code = value

        def citizenship(c: _Ctx) -> str:
            own = c.facts.victim.citizenship
            return UNKNOWN if own is None else MET if own == code else MISSING

        return citizenship
    if kind == "exploitation_in_indonesia":
        return _in_indonesia
    if kind == "out_of_indonesia":
        return _out_of_indonesia
    if kind == "into_indonesia":
        return _into_indonesia
    if kind == "between_regions_or_abroad":
        return _between_regions
    if kind == "flag":
        section, name = value.split(".")

        def flag(c: _Ctx) -> str:
            v = getattr(getattr(c.facts, section), name)
            return MET if v is True else MISSING if v is False else UNKNOWN

        return flag
    if kind == "tppo_established":
        return lambda c: _tri(c.tppo)
    if kind == "not_in_facts":
        return lambda c: UNKNOWN  # the contract has no field for it: a person must judge
    if kind == "any_of":
        parts = [_compile(p, kb) for p in value]

        def any_of(c: _Ctx) -> str:
            results = [p(c) for p in parts]
            if MET in results:
                return MET
            return MISSING if all(r == MISSING for r in results) else UNKNOWN

        return any_of
    raise ValueError(f"unknown element kind {kind}")  # load_kb has checked this


def _in_indonesia(c: _Ctx) -> str:
    m = c.facts.movement
    if m.destination_country is not None:
        return MET if m.destination_country == "ID" else MISSING
    if m.destination_region is not None or m.crossed_regions_within_indonesia is True:
        return MET
    return UNKNOWN


def _out_of_indonesia(c: _Ctx) -> str:
    m = c.facts.movement
    if m.destination_country is None:
        return UNKNOWN
    if m.destination_country == "ID":
        return MISSING
    if m.origin_country == "ID" or (m.origin_country is None and m.origin_region is not None):
        return MET
    return MISSING if m.origin_country is not None else UNKNOWN


def _into_indonesia(c: _Ctx) -> str:
    m = c.facts.movement
    if m.destination_country is not None and m.destination_country != "ID":
        return MISSING
    if m.origin_country is None:
        return UNKNOWN
    if m.origin_country == "ID":
        return MISSING
    return MET if m.destination_country == "ID" or m.destination_region is not None else UNKNOWN


def _between_regions(c: _Ctx) -> str:
    m = c.facts.movement
    if m.crossed_regions_within_indonesia is True:
        return MET
    if m.origin_country and m.destination_country and m.origin_country != m.destination_country:
        return MET
    if m.origin_region and m.destination_region and m.origin_region != m.destination_region:
        return MET
    if m.crossed_regions_within_indonesia is False and m.destination_country in (
        None,
        m.origin_country,
        "ID",
    ):
        return MISSING
    return UNKNOWN


class _Compiled:
    """The knowledge base with every element and condition compiled once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.element_names: dict[str, tuple[str, ...]] = {}
        self.element_fns: dict[str, tuple[Evaluator, ...]] = {}
        for art in kb.articles.values():
            self.element_names[art.id] = tuple(art.elements)
            self.element_fns[art.id] = tuple(_compile(spec, kb) for spec in art.elements.values())
        checks: dict[str, list[tuple[str, Evaluator]]] = {}
        for agg in kb.aggravations:
            if agg.condition is None:
                continue
            condition = _compile(agg.condition, kb)
            for target in agg.applies_to:
                checks.setdefault(target, []).append((agg.id, condition))
        self.aggravation_checks = {target: tuple(pairs) for target, pairs in checks.items()}
        self.palermo = kb.article("PALERMO:3.a")
        self.penalties: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
        self.child_age = 18  # Palermo Art. 3(d), UU 21/2007 Pasal 1 angka 5
        self.unverified_penalties = {
            a.id for a in kb.offences if a.penalty_verification != "verified"
        }
        self._by_date: dict[
            dt.date, tuple[list[Article], list[Article], list[Article], list[dict[str, Any]]]
        ] = {}

    def for_date(
        self, day: dt.date
    ) -> tuple[list[Article], list[Article], list[Article], list[dict[str, Any]]]:
        """(core TPPO offences, offences depending on TPPO, other laws, date notes) in force on ``day``."""
        cached = self._by_date.get(day)
        if cached is None:
            kb = self.kb
            notes: list[dict[str, Any]] = []
            for art in kb.offences:
                if art.in_force_on(day):
                    continue
                if art.replaced_by and kb.article(art.replaced_by).in_force_on(day):
                    notes.append(
                        {
                            "code": "article_replaced",
                            "params": {
                                "article": art.id,
                                "by": art.replaced_by,
                                "from": str(kb.article(art.replaced_by).in_force_from),
                            },
                        }
                    )
                elif not art.replaced_by and art.in_force_from and day < art.in_force_from:
                    notes.append(
                        {
                            "code": "article_not_in_force",
                            "params": {
                                "article": art.id,
                                "in_force_from": art.in_force_from.isoformat(),
                                "offence_date": day.isoformat(),
                            },
                        }
                    )
            in_force = [a for a in kb.offences if a.in_force_on(day)]
            primary = [a for a in in_force if a.role == "tppo"]
            cached = (
                [a for a in primary if "tppo_victim" not in a.elements],
                [a for a in primary if "tppo_victim" in a.elements],
                [a for a in in_force if a.role == "alternative"],
                notes,
            )
            if len(self._by_date) < 4096:
                self._by_date[day] = cached
        core, dependent, alternatives, notes = cached
        return (
            core,
            dependent,
            alternatives,
            [{"code": n["code"], "params": dict(n["params"])} for n in notes],
        )


_COMPILED: dict[int, _Compiled] = {}


def _compiled(kb: KnowledgeBase) -> _Compiled:
    key = id(kb)
    if key not in _COMPILED:
        _COMPILED[key] = _Compiled(kb)
    return _COMPILED[key]


def _apply(penalty: Penalty, effects: list[dict[str, Any]]) -> Penalty:
    pmin, pmax, life = penalty.prison_min_months, penalty.prison_max_months, penalty.life
    fmin, fmax = penalty.fine_min_idr, penalty.fine_max_idr
    for eff in effects:
        if "override" in eff:
            o = eff["override"]
            pmin = Fraction(o.get("prison_min_months", pmin))
            pmax = (
                None
                if o.get("prison_max_months") is None and o.get("life")
                else Fraction(o.get("prison_max_months", pmax))
            )
            life = bool(o.get("life", life))
            fmin = Fraction(o.get("fine_min_idr", fmin))
            fmax = Fraction(o.get("fine_max_idr", fmax))
    for eff in effects:
        if "fine_multiplier" in eff:
            fmin, fmax = fmin * eff["fine_multiplier"], fmax * eff["fine_multiplier"]
    fraction = sum((Fraction(str(e["fraction"])) for e in effects if "fraction" in e), Fraction(0))
    if fraction:
        factor = 1 + fraction
        pmin, fmin, fmax = pmin * factor, fmin * factor, fmax * factor
        pmax = None if pmax is None else pmax * factor
    return Penalty(pmin, pmax, life, fmin, fmax, penalty.cumulative)


def _charge(
    comp: _Compiled, art: Article, ctx: _Ctx, explanations: list[dict[str, Any]]
) -> dict[str, Any]:
    names, fns = comp.element_names[art.id], comp.element_fns[art.id]
    values = [f(ctx) for f in fns]
    met = False if MISSING in values else (None if UNKNOWN in values else True)
    applied: list[str] = []
    for agg_id, condition in comp.aggravation_checks.get(art.id, ()):
        state = condition(ctx)
        if state is MET:
            applied.append(agg_id)
        elif state is UNKNOWN:
            explanations.append(
                {
                    "code": "aggravation_undetermined",
                    "params": {"charge": art.id, "aggravation": agg_id},
                }
            )
    key = (art.id, tuple(applied))
    penalty = comp.penalties.get(key)
    if penalty is None:  # Fraction arithmetic is slow: once per article and aggravation set
        assert art.penalty is not None
        effects = [comp.kb.article(a).effect for a in applied]
        penalty = comp.penalties[key] = (
            _apply(art.penalty, effects) if effects else art.penalty
        ).as_json()
    if len(applied) > 1:
        explanations.append(
            {"code": "aggravations_combined", "params": {"charge": art.id, "aggravations": applied}}
        )
    return {
        "id": art.id,
        "met": met,
        "elements": dict(zip(names, values, strict=True)),
        "missing": [n for n, v in zip(names, values, strict=True) if v is MISSING],
        "unknown": [n for n, v in zip(names, values, strict=True) if v is UNKNOWN],
        "aggravations": applied,
        "penalty": dict(penalty),
    }


def _palermo(comp: _Compiled, ctx: _Ctx, explanations: list[dict[str, Any]]) -> dict[str, Any]:
    art_id = comp.palermo.id
    elements = {
        n: f(ctx) for n, f in zip(comp.element_names[art_id], comp.element_fns[art_id], strict=True)
    }
    means = elements["means"]
    if ctx.child is True:
        elements["means"] = NOT_REQUIRED
        means_required: bool | None = False
        explanations.append(
            {"code": "palermo_child_means_not_required", "params": {"article": "PALERMO:3.c"}}
        )
    elif ctx.child is None and means != MET:
        elements["means"] = UNKNOWN
        means_required = None
        other = [v for k, v in elements.items() if k != "means"]
        as_child = False if MISSING in other else (True if all(v == MET for v in other) else None)
        as_adult = False if means == MISSING or MISSING in other else None
        if as_child != as_adult:
            explanations.append(
                {
                    "code": "palermo_depends_on_age",
                    "params": {"as_child": as_child, "as_adult": as_adult},
                }
            )
    else:
        means_required = True
    values = elements.values()
    trafficking = False if MISSING in values else (None if UNKNOWN in values else True)
    return {
        "trafficking": trafficking,
        "means_required": means_required,
        "elements": elements,
        "missing": [k for k, v in elements.items() if v == MISSING],
        "unknown": [k for k, v in elements.items() if v == UNKNOWN],
    }


def qualify(
    facts: CaseFacts | Mapping[str, Any] | str | bytes,
    *,
    as_of: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> dict[str, Any]:
    """Qualify one case-facts document (raises :class:`LenteraError` on invalid input)."""
    if not isinstance(facts, CaseFacts):
        facts = parse_case_facts(facts if not isinstance(facts, Mapping) else dict(facts))
    kb = kb or load_kb()
    comp = _compiled(kb)
    explanations: list[dict[str, Any]] = []
    day = facts.offence_date
    if day is None:
        day = as_of or dt.date.today()  # noqa: DTZ011 - the calendar day of the rules
        explanations.append(
            {"code": "offence_date_unknown", "params": {"rules_as_of": day.isoformat()}}
        )
    age = facts.victim.age_at_offence
    child = None if age is None else age < comp.child_age
    if age is None:
        explanations.append({"code": "age_unknown", "params": {}})
    elif child:
        explanations.append({"code": "victim_is_child", "params": {"age": age}})
    ctx = _Ctx(
        facts=facts,
        acts=frozenset(facts.acts),
        means=frozenset(facts.means),
        purposes=frozenset(facts.exploitation.purposes),
        harm=frozenset(facts.harm),
        child=child,
    )
    palermo = _palermo(comp, ctx, explanations)

    tppo_core, dependent, alternatives_in_force, date_notes = comp.for_date(day)
    explanations.extend(date_notes)
    charges = [_charge(comp, a, ctx, explanations) for a in tppo_core]
    core_states = [c["met"] for c in charges]
    ctx.tppo = (
        True if True in core_states else (False if all(s is False for s in core_states) else None)
    )
    charges += [_charge(comp, a, ctx, explanations) for a in dependent]
    alternatives = [_charge(comp, a, ctx, explanations) for a in alternatives_in_force]
    for c in charges + alternatives:
        if c["id"] in comp.unverified_penalties:
            explanations.append({"code": "penalty_unverified", "params": {"article": c["id"]}})

    gaps = _gaps(kb, ctx, palermo, charges)
    return {
        "schema": "lentera.qualification/1",
        "rule_set": kb.rule_set,
        "victim_is_child": child,
        "palermo": palermo,
        "indonesia": {"tppo": ctx.tppo, "charges": charges, "alternatives": alternatives},
        "gaps": gaps,
        "explanations": explanations,
    }


def _gaps(
    kb: KnowledgeBase, ctx: _Ctx, palermo: dict[str, Any], charges: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    gaps: list[dict[str, Any]] = []
    by_id = {c["id"]: c for c in charges}
    core = [c for c in charges if kb.article(c["id"]).core]
    if ctx.child is True and palermo["trafficking"] is True:
        blocked = [
            c["id"] for c in core
            if c["elements"].get("means") != MET and (c["elements"].get("result", MET) == MET or "result" not in c["elements"])
        ]  # fmt: skip
        if blocked:
            gaps.append({"code": "child_means_required", "charges": blocked})
    if ctx.means and ctx.means <= {"other_coercion"}:
        gaps.append({"code": "means_not_in_national_law", "charges": [c["id"] for c in core]})
    formal_met = any(
        c["met"] is True and "result" not in c["elements"] and "tppo_victim" not in c["elements"]
        for c in charges
    )
    if formal_met and ctx.facts.exploitation.occurred is not True:
        needing: list[str] = []
        for c in charges:
            others = [v for k, v in c["elements"].items() if k != "result"]
            if (
                "result" in c["elements"]
                and c["elements"]["result"] != MET
                and all(v == MET for v in others)
            ):
                needing.append(c["id"])
        for agg in kb.aggravations:
            if (  # noqa: SIM102
                agg.condition
                and "harm" in agg.condition
                and ctx.harm & frozenset(agg.condition["harm"])
            ):
                if any(t in by_id and "result" in by_id[t]["elements"] for t in agg.applies_to):
                    needing.append(agg.id)
        if needing:
            gaps.append({"code": "result_required", "charges": needing})
    beyond_palermo = ctx.purposes & (kb.purposes["national"] - kb.purposes["palermo"])
    if beyond_palermo:
        reached = [c["id"] for c in charges if c["elements"].get("purpose") == MET]
        gaps.append({"code": "purpose_outside_palermo", "charges": reached})
    beyond_national = ctx.purposes & (kb.purposes["palermo"] - kb.purposes["national"])
    if beyond_national:
        gaps.append({"code": "purpose_outside_national_law", "charges": [c["id"] for c in core]})
    return gaps


def qualify_many(
    documents: Iterable[CaseFacts | Mapping[str, Any]],
    *,
    as_of: dt.date | None = None,
    kb: KnowledgeBase | None = None,
) -> Iterator[dict[str, Any]]:
    """Qualify many documents in order."""
    kb = kb or load_kb()
    for doc in documents:
        yield qualify(doc, as_of=as_of, kb=kb)
