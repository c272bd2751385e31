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
every distinct test of the articles in force (elements, aggravation conditions) is
compiled once per penalty epoch into one generated function that turns the fact bits
into a *feature word*, two bits per test (:mod:`.elements`: ``met`` if any of its bits
is set; ``missing`` if all its "false" bits are set; else ``unknown``); every charge is
memoised on the lanes of the tests it reads, with the few bits tppo and the gaps need
beside it, and an epoch's articles are run by one generated function with the memo
hits inline (:mod:`.compiled`); penalties are in :mod:`.penalties`. The
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
    INFO_BLOCKED,
    INFO_HAS_RESULT,
    INFO_MET,
    INFO_MET_NO_RESULT,
    INFO_NEEDS_RESULT,
    INFO_NOT_MET,
    INFO_PURPOSE_MET,
    MEMO_LIMIT,
    CompiledKB,
    Epoch,
    compiled_kb,
    explain,
    palermo_outcome,
)
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
    epoch = comp.epoch(day)
    f = epoch.lanes(bits)
    palermo, notes = palermo_outcome(comp, epoch, f)
    explanations.extend(notes)
    for i, note in enumerate(epoch.notes):
        if "offence_date" in note.params:  # the epoch's first day: say the document's
            dated = epoch.dated.get((i, day))
            if dated is None:
                dated = explain(note.code, **{**note.params, "offence_date": day.isoformat()})
                if len(epoch.dated) < MEMO_LIMIT:
                    epoch.dated[(i, day)] = dated
            note = dated
        explanations.append(note)
    extend = explanations.extend
    charges, infos, met_any, met_all = epoch.run_core(f, extend)
    tppo = True if met_any & INFO_MET else (False if met_all & INFO_NOT_MET else None)
    if epoch.late is not None:
        f |= epoch.late(bits | tri_bits("tppo", tppo))
    dependent, more, dep_any, _ = epoch.run_dependent(f, extend)
    charges += dependent
    alternatives = epoch.run_alternatives(f, extend)[0]
    return QualificationResult.build({
        "schema_": QUALIFICATION_SCHEMA,
        "rule_set": kb.rule_set,
        "victim_is_child": child,
        "palermo": palermo,
        "indonesia": Indonesia.build({"tppo": tppo, "charges": charges, "alternatives": alternatives}),
        "gaps": _gaps(comp, epoch, facts, bits, child, palermo, charges, infos + more, met_any | dep_any),
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


def _gaps(
    comp: CompiledKB,
    epoch: Epoch,
    facts: CaseFacts,
    bits: int,
    child: bool | None,
    palermo: Palermo,
    charges: list[Charge],
    infos: tuple[int, ...],
    any_info: int,
) -> list[Gap]:
    """Where Indonesian law and the Palermo Protocol differ (read from the INFO bits first)."""
    gaps: list[Gap] = []
    if child is True and palermo.trafficking is True and any_info & INFO_BLOCKED:
        blocked = [c.id for c, i in zip(charges, infos, strict=True) if i & INFO_BLOCKED]
        gaps.append(_gap("child_means_required", blocked))
    if bits & comp.all_means and not bits & comp.all_means & ~comp.other_means:
        gaps.append(_gap("means_not_in_national_law", epoch.core_ids))
    if any_info & INFO_MET_NO_RESULT and facts.exploitation.occurred is not True:
        pairs = list(zip(charges, infos, strict=True))
        needing = [c.id for c, i in pairs if i & INFO_NEEDS_RESULT]
        with_result = {c.id for c, i in pairs if i & INFO_HAS_RESULT}
        for agg_id, harm, applies_to in comp.harm_aggravations:
            if bits & harm and applies_to & with_result:
                needing.append(agg_id)
        if needing:
            gaps.append(_gap("result_required", needing))
    if bits & comp.national_only:
        reached = [c.id for c, i in zip(charges, infos, strict=True) if i & INFO_PURPOSE_MET]
        gaps.append(_gap("purpose_outside_palermo", reached))
    if bits & comp.palermo_only:
        gaps.append(_gap("purpose_outside_national_law", epoch.core_ids))
    return gaps


def _gap(code: str, charges: list[str]) -> Gap:
    key = (code, tuple(charges))
    hit = _GAPS.get(key)
    if hit is None:
        hit = Gap.build({"code": code, "charges": list(charges)})
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
