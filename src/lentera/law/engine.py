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
    given = facts.offence_date
    day = given or as_of or dt.date.today()  # noqa: DTZ011 - the calendar day of the rules
    age = facts.victim.age_at_offence
    child = None if age is None else age < comp.child_age
    head = comp.heads.get((given is None, day, age))
    if head is None:
        head = _head(comp, given is None, day, age, child)
    before, epoch, after = head
    bits = fact_bits(facts, child)
    f = epoch.lanes(bits)
    palermo, notes = palermo_outcome(comp, epoch, f)
    explanations = [*before, *notes, *after]
    extend = explanations.extend
    charges, infos, met_any, met_all = epoch.run_core(f, extend)
    tppo = True if met_any & INFO_MET else (False if met_all & INFO_NOT_MET else None)
    if epoch.late_by_tppo is not None:
        f |= epoch.late_by_tppo[tppo]
    elif epoch.late is not None:
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
_GAPS: dict[tuple[str, tuple[str, ...]], Gap] = {}


def _head(
    comp: CompiledKB, undated: bool, day: dt.date, age: int | None, child: bool | None
) -> tuple[tuple[Explanation, ...], Epoch, tuple[Explanation, ...]]:
    """What depends on the day and the age: the notes before the Palermo reading, the epoch,
    and its notes after it (an epoch's first day is said as the document's offence date)."""
    before = []
    if undated:
        before.append(explain("offence_date_unknown", rules_as_of=day.isoformat()))
    if age is None:
        before.append(explain("age_unknown"))
    elif child:
        before.append(explain("victim_is_child", age=age))
    epoch = comp.epoch(day)
    after = [
        explain(note.code, **{**note.params, "offence_date": day.isoformat()})
        if "offence_date" in note.params
        else note
        for note in epoch.notes
    ]
    head = (tuple(before), epoch, tuple(after))
    if len(comp.heads) < MEMO_LIMIT:
        comp.heads[(undated, day, age)] = head
    return head


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
    """Where Indonesian law and the Palermo Protocol differ: memoised per epoch on the INFO
    bits of the charges and the few facts the gaps read besides them."""
    k = 1 if child is True and palermo.trafficking is True else 0
    means = bits & comp.all_means
    if means and not means & ~comp.other_means:
        k |= 2
    if facts.exploitation.occurred is True:
        k |= 4
    if bits & comp.national_only:
        k |= 8
    if bits & comp.palermo_only:
        k |= 16
    key = (infos, k, bits & comp.harm_codes)
    gaps = epoch.gaps.get(key)
    if gaps is None:
        gaps = _find_gaps(comp, epoch, bits, k, charges, infos, any_info)
        if len(epoch.gaps) < MEMO_LIMIT:
            epoch.gaps[key] = gaps
    return gaps


def _find_gaps(
    comp: CompiledKB,
    epoch: Epoch,
    bits: int,
    k: int,
    charges: list[Charge],
    infos: tuple[int, ...],
    any_info: int,
) -> list[Gap]:
    gaps: list[Gap] = []
    if k & 1 and any_info & INFO_BLOCKED:
        blocked = [c.id for c, i in zip(charges, infos, strict=True) if i & INFO_BLOCKED]
        gaps.append(_gap("child_means_required", blocked))
    if k & 2:
        gaps.append(_gap("means_not_in_national_law", epoch.core_ids))
    if any_info & INFO_MET_NO_RESULT and not k & 4:
        pairs = list(zip(charges, infos, strict=True))
        needing = [c.id for c, i in pairs if i & INFO_NEEDS_RESULT]
        with_result = {c.id for c, i in pairs if i & INFO_HAS_RESULT}
        for agg_id, harm, applies_to in comp.harm_aggravations:
            if bits & harm and applies_to & with_result:
                needing.append(agg_id)
        if needing:
            gaps.append(_gap("result_required", needing))
    if k & 8:
        reached = [c.id for c, i in zip(charges, infos, strict=True) if i & INFO_PURPOSE_MET]
        gaps.append(_gap("purpose_outside_palermo", reached))
    if k & 16:
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
