"""Case facts read once into an integer of *fact bits* (the legal engine's input word).

Every code of the facts vocabularies (acts, means, purposes, harm, relations) has a bit;
every true/false/unknown fact has two (``=T``, ``=F``; neither set means unknown);
``ALWAYS`` is set in every word. The derived facts (a child, the place of the acts and of
the exploitation, whether a trafficking offence is established) are computed here once
per document. :mod:`lentera.law.elements` compiles the law's elements into tests over
this word.
"""

from __future__ import annotations

from lentera.facts import CaseFacts
from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES, RELATIONS

__all__ = [
    "ALWAYS",
    "CODE_BITS",
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
_TRI_GETTERS: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...] = tuple(
    (section, tuple((n, *TRI[f"{section}.{n}"]) for s, n in (p.split(".") for p in _TRI_PATHS) if s == section))
    for section in dict.fromkeys(p.split(".")[0] for p in _TRI_PATHS)
)  # fmt: skip
PARENT_OR_GUARDIAN = frozenset({"parent", "guardian"})


def tri_bits(name: str, value: bool | None) -> int:
    t, f = TRI[name]
    return t if value is True else f if value is False else 0


def _movement_bits(facts: CaseFacts) -> int:
    m = facts.movement
    oc, dc = m.origin_country, m.destination_country
    bits = 0
    # exploitation (destination) in Indonesia
    if dc is not None:
        bits |= tri_bits("in_indonesia", dc == "ID")
    elif m.destination_region is not None or m.crossed_regions_within_indonesia is True:
        bits |= tri_bits("in_indonesia", True)
    # the acts done in Indonesia (recruitment, transport out of an Indonesian region)
    act_here: bool | None = None
    if oc == "ID" or (oc is None and m.origin_region is not None):
        act_here = True
    elif oc is not None and dc is not None and dc != "ID":
        act_here = False
    bits |= tri_bits("act_in_indonesia", act_here)
    # out of Indonesia (Pasal 4)
    out: bool | None = None
    if dc is not None:
        if dc == "ID":
            out = False
        elif oc == "ID" or (oc is None and m.origin_region is not None):
            out = True
        elif oc is not None:
            out = False
    bits |= tri_bits("out_of_indonesia", out)
    # into Indonesia (Pasal 3)
    into: bool | None = None
    if dc is not None and dc != "ID":
        into = False
    elif oc is not None:
        into = False if oc == "ID" else (True if dc == "ID" or m.destination_region else None)
    bits |= tri_bits("into_indonesia", into)
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
    return bits | tri_bits("between_regions", between)


def fact_bits(facts: CaseFacts, child: bool | None) -> int:
    """The fact word of these facts (``child``: the victim's age group, decided by the caller)."""
    bits = ALWAYS
    code: str  # one loop variable over several vocabularies
    codes = CODE_BITS["acts"]
    for code in facts.acts:
        bits |= codes[code]
    codes = CODE_BITS["means"]
    for code in facts.means:
        bits |= codes[code]
    codes = CODE_BITS["purposes"]
    purposes = facts.exploitation.purposes
    for code in purposes:
        bits |= codes[code]
    codes = CODE_BITS["harm"]
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
        bits |= TRI["relations_recorded"][0]
        codes = CODE_BITS["relation"]
        for code in relations:
            bits |= codes[code]
        if (
            not PARENT_OR_GUARDIAN & set(relations)
            and facts.perpetrator.parent_or_guardian is not True
        ):
            bits |= TRI["parent_or_guardian_no"][0]
    elif facts.perpetrator.parent_or_guardian is False:
        bits |= TRI["parent_or_guardian_no"][0]
    if facts.perpetrator.parent_or_guardian is True:
        bits |= CODE_BITS["relation"]["parent"]  # /1: "parent or guardian"
    citizenship = facts.victim.citizenship
    if citizenship is not None:
        bits |= tri_bits("citizen_id", citizenship == "ID")
    return bits | tri_bits("child", child) | _movement_bits(facts)
