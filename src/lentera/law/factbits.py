"""Case facts read once into an integer of *fact bits* (the legal engine's input word).

Every code of the facts vocabularies (acts, means, purposes, harm, relations) has a bit;
every true/false/unknown fact has two (``=T``, ``=F``; neither set means unknown);
``ALWAYS`` is set in every word. The derived facts (a child, the place of the acts and of
the exploitation, whether a trafficking offence is established) are computed here once
per document. :mod:`lentera.law.elements` compiles the law's elements into tests over
this word.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lentera.facts import CaseFacts
from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES, RELATIONS

__all__ = [
    "ALWAYS",
    "CODE_BITS",
    "FACT_WIDTH",
    "PARENT_OR_GUARDIAN",
    "PURPOSE_UNRECORDED",
    "TRI",
    "fact_bits",
    "tri_bits",
]

_NAMES: list[str] = []


def _bit(name: str) -> int:
    _NAMES.append(name)
    return 1 << (len(_NAMES) - 1)


CODE_BITS: dict[str, dict[str, int]] = {
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
TRI: dict[str, tuple[int, int]] = {
    name: (_bit(f"{name}=T"), _bit(f"{name}=F")) for name in _TRI_PATHS + _DERIVED
}
ALWAYS = _bit("always")  # set in every fact word
PURPOSE_UNRECORDED = _bit("exploited, purpose unrecorded")
FACT_WIDTH = len(_NAMES)  # the fact word's bits: lanes computed from it go above them
PARENT_OR_GUARDIAN = frozenset({"parent", "guardian"})


def tri_bits(name: str, value: bool | None) -> int:
    t, f = TRI[name]
    return t if value is True else f if value is False else 0


def _flags_source() -> str:
    """``_flags(facts, bits)``: the two bits of every true/false fact, one test each, generated."""
    lines = ["def _flags(facts, bits):"]
    for section in dict.fromkeys(p.split(".")[0] for p in _TRI_PATHS):
        lines.append(f"    s = facts.{section}")
        for path in _TRI_PATHS:
            if path.startswith(section + "."):
                t, f = TRI[path]
                name = path.split(".")[1]
                lines += [f"    v = s.{name}", "    if v is not None:", f"        bits |= {t} if v else {f}"]  # fmt: skip
    return "\n".join([*lines, "    return bits", ""])


_namespace: dict[str, Any] = {}
exec(compile(_flags_source(), "<lentera.law fact flags>", "exec"), _namespace)  # noqa: S102 - our own generated source
_flags: Callable[[CaseFacts, int], int] = _namespace["_flags"]
_ACTS, _MEANS, _PURPOSES = CODE_BITS["acts"], CODE_BITS["means"], CODE_BITS["purposes"]
_HARM, _RELATION = CODE_BITS["harm"], CODE_BITS["relation"]
_IN_T, _IN_F = TRI["in_indonesia"]
_ACT_T, _ACT_F = TRI["act_in_indonesia"]
_OUT_T, _OUT_F = TRI["out_of_indonesia"]
_INTO_T, _INTO_F = TRI["into_indonesia"]
_BETWEEN_T, _BETWEEN_F = TRI["between_regions"]
_CITIZEN_T, _CITIZEN_F = TRI["citizen_id"]
_RELATIONS_RECORDED = TRI["relations_recorded"][0]
_NO_PARENT = TRI["parent_or_guardian_no"][0]
_CHILD = {True: TRI["child"][0], False: TRI["child"][1], None: 0}


def _movement_bits(facts: CaseFacts) -> int:
    m = facts.movement
    oc, dc = m.origin_country, m.destination_country
    crossed = m.crossed_regions_within_indonesia
    bits = 0
    # exploitation (destination) in Indonesia
    if dc is not None:
        bits |= _IN_T if dc == "ID" else _IN_F
    elif m.destination_region is not None or crossed is True:
        bits |= _IN_T
    # the acts done in Indonesia (recruitment, transport out of an Indonesian region)
    from_here = oc == "ID" or (oc is None and m.origin_region is not None)
    if from_here:
        bits |= _ACT_T
    elif oc is not None and dc is not None and dc != "ID":
        bits |= _ACT_F
    # out of Indonesia (Pasal 4)
    if dc is not None:
        if dc == "ID":
            bits |= _OUT_F
        elif from_here:
            bits |= _OUT_T
        elif oc is not None:
            bits |= _OUT_F
    # into Indonesia (Pasal 3)
    if dc is not None and dc != "ID":
        bits |= _INTO_F
    elif oc is not None:
        if oc == "ID":
            bits |= _INTO_F
        elif dc == "ID" or m.destination_region:
            bits |= _INTO_T
    # between regions or abroad (Pasal 6)
    if (
        crossed is True
        or (oc and dc and oc != dc)
        or (m.origin_region and m.destination_region and m.origin_region != m.destination_region)
    ):
        bits |= _BETWEEN_T
    elif crossed is False and dc in (None, oc, "ID"):
        bits |= _BETWEEN_F
    return bits


def fact_bits(facts: CaseFacts, child: bool | None) -> int:
    """The fact word of these facts (``child``: the victim's age group, decided by the caller)."""
    bits = ALWAYS | _CHILD[child]
    code: str  # one loop variable over several vocabularies
    for code in facts.acts:
        bits |= _ACTS[code]
    for code in facts.means:
        bits |= _MEANS[code]
    exploitation = facts.exploitation
    purposes = exploitation.purposes
    for code in purposes:
        bits |= _PURPOSES[code]
    for code in facts.harm:
        bits |= _HARM[code]
    bits = _flags(facts, bits)
    if not purposes and exploitation.occurred is True:
        bits |= PURPOSE_UNRECORDED
    perpetrator = facts.perpetrator
    relations = perpetrator.relations
    parent = perpetrator.parent_or_guardian
    if relations is not None:
        bits |= _RELATIONS_RECORDED
        for code in relations:
            bits |= _RELATION[code]
        if not PARENT_OR_GUARDIAN & set(relations) and parent is not True:
            bits |= _NO_PARENT
    elif parent is False:
        bits |= _NO_PARENT
    if parent is True:
        bits |= _RELATION["parent"]  # /1: "parent or guardian"
    citizenship = facts.victim.citizenship
    if citizenship is not None:
        bits |= _CITIZEN_T if citizenship == "ID" else _CITIZEN_F
    return bits | _movement_bits(facts)
