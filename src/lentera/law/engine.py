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

Speed: the facts are read once into an integer of *fact bits* (:mod:`.factbits`);
every element is compiled once into a test over those bits (:mod:`.elements`:
``met`` if any of its bits is set; ``missing`` if all its "false" bits are set;
else ``unknown``), and every charge's outcome is memoised on the bits it reads,
per penalty epoch (:mod:`.compiled`); penalties are in :mod:`.penalties`. The
result is frozen and shares its parts (charges, penalties, notes, gaps) with other
results: the lists and dicts inside are read-only too. (The whole result is not
memoised: keeping one per document made a first pass over a batch slower, the
collector scanning every kept result.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lentera.facts import CaseFacts, parse_case_facts
from lentera.law.compiled import (
    MEMO_LIMIT,
    CompiledKB,
    Slot,
    compiled_kb,
    explain,
    palermo_outcome,
)
from lentera.law.elements import MET
from lentera.law.factbits import fact_bits, tri_bits
from lentera.law.kb import KnowledgeBase, load_kb
from lentera.law.models import (
    QUALIFICATION_SCHEMA,
    Charge,
    Explanation,
    Gap,
    Indonesia,
    Palermo,
    QualificationResult,
)

__all__ = ["qualify", "qualify_many"]


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
    comp = compiled_kb(kb)
    explanations: list[Explanation] = []
    day = facts.offence_date
    if day is None:
        day = as_of or dt.date.today()  # noqa: DTZ011 - the calendar day of the rules
        hit = _NOTES.get(("offence_date_unknown", day))
        explanations.append(
            hit or _note(("offence_date_unknown", day), rules_as_of=day.isoformat())
        )
    age = facts.victim.age_at_offence
    child = None if age is None else age < comp.child_age
    if age is None:
        explanations.append(_AGE_UNKNOWN)
    elif child:
        hit = _NOTES.get(("victim_is_child", age))
        explanations.append(hit or _note(("victim_is_child", age), age=age))
    bits = fact_bits(facts, child)
    palermo, notes = palermo_outcome(comp, bits)
    explanations.extend(notes)
    epoch = comp.epoch(day)
    for i, note in enumerate(epoch.notes):
        if "offence_date" in note.params:  # the epoch's first day: say the document's
            dated = epoch.dated.get((i, day))
            if dated is None:
                dated = explain(note.code, **{**note.params, "offence_date": day.isoformat()})
                if len(epoch.dated) < MEMO_LIMIT:
                    epoch.dated[(i, day)] = dated
            note = dated
        explanations.append(note)
    charges = _run(comp, epoch.core, bits, explanations)
    states = [c.met for c in charges]
    tppo = True if True in states else (False if all(s is False for s in states) else None)
    bits |= tri_bits("tppo", tppo)
    charges += _run(comp, epoch.dependent, bits, explanations)
    alternatives = _run(comp, epoch.alternatives, bits, explanations)
    return QualificationResult.build({
        "schema_": QUALIFICATION_SCHEMA,
        "rule_set": kb.rule_set,
        "victim_is_child": child,
        "palermo": palermo,
        "indonesia": Indonesia.build({"tppo": tppo, "charges": charges, "alternatives": alternatives}),
        "gaps": _gaps(comp, facts, child, palermo, charges),
        "explanations": explanations,
    })  # fmt: skip


# The notes and gaps made per document take few distinct values (a day, an age): each is
# built once and shared (a frozen result costs several times a dict; lentera.facts.results).
_NOTES: dict[tuple[Any, ...], Explanation] = {}
_GAPS: dict[tuple[str, tuple[str, ...]], Gap] = {}
_AGE_UNKNOWN = explain("age_unknown")


def _note(key: tuple[Any, ...], **params: Any) -> Explanation:
    """Build the explanation ``key[0]`` and keep it under ``key``."""
    note = explain(key[0], **params)
    if len(_NOTES) < MEMO_LIMIT:
        _NOTES[key] = note
    return note


def _run(
    comp: CompiledKB, slots: tuple[Slot, ...], bits: int, explanations: list[Explanation]
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
    comp: CompiledKB,
    facts: CaseFacts,
    child: bool | None,
    palermo: Palermo,
    charges: list[Charge],
) -> list[Gap]:
    kb = comp.kb
    gaps: list[Gap] = []
    core_ids = comp.core_ids
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
    key = (code, tuple(charges))
    hit = _GAPS.get(key)
    if hit is None:
        hit = Gap.build({"code": code, "charges": charges})
        if len(_GAPS) < MEMO_LIMIT:
            _GAPS[key] = hit
    return hit


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
