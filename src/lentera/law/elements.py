"""The elements of an offence compiled into tests over the fact word (:mod:`.factbits`).

An element is ``met`` if any of its bits is set, ``missing`` if all its "false" bits are
set (and none of its "unknown" bits), else ``unknown``; ``any_of``/``all_of`` combine
them. :func:`codegen` turns an article's tests into one generated Python function of the
fact word, with every mask a constant: no call per element, no loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lentera.law.factbits import ALWAYS, CODE_BITS, PARENT_OR_GUARDIAN, PURPOSE_UNRECORDED, TRI
from lentera.law.kb import KnowledgeBase

__all__ = [
    "MET",
    "MISSING",
    "NOT_REQUIRED",
    "UNKNOWN",
    "Element",
    "codegen",
    "compile_element",
    "element_mask",
    "evaluate",
]

MET, MISSING, UNKNOWN, NOT_REQUIRED = "met", "missing", "unknown", "not_required"

# An element is (met_mask, required_false_mask, unknown_mask) or ("all", parts):
#   met      if bits & met_mask
#   missing  if all of required_false_mask is set and none of unknown_mask
#   unknown  otherwise
Element = tuple[Any, ...]


def compile_element(spec: dict[str, Any], kb: KnowledgeBase) -> Element:
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
        if set(value) <= PARENT_OR_GUARDIAN:
            return (met, TRI["parent_or_guardian_no"][0], 0)
        return (met, TRI["relations_recorded"][0], 0)
    if kind in ("exploitation_occurred", "child", "flag", "tppo_established", "citizenship"):
        name = {
            "exploitation_occurred": "exploitation.occurred",
            "child": "child",
            "tppo_established": "tppo",
            "citizenship": "citizen_id",
        }.get(kind, value)
        t, f = TRI[name]
        return (t, f, 0)
    if kind in ("exploitation_in_indonesia", "out_of_indonesia", "into_indonesia"):
        t, f = TRI[{"exploitation_in_indonesia": "in_indonesia"}.get(kind, kind)]
        return (t, f, 0)
    if kind == "between_regions_or_abroad":
        t, f = TRI["between_regions"]
        return (t, f, 0)
    if kind == "place_in_indonesia":
        # UU 21/2007 Pasal 2 / KUHP Pasal 455: "di wilayah negara Republik Indonesia"
        # read as the place of the act or the place of exploitation (see readings).
        t1, f1 = TRI["in_indonesia"]
        t2, f2 = TRI["act_in_indonesia"]
        return (t1 | t2, f1 | f2, 0)
    if kind == "not_in_facts":
        return (0, 0, ALWAYS)
    if kind == "any_of":
        parts = [compile_element(p, kb) for p in value]
        if all(p[0] != "all" for p in parts):
            met = req = unk = 0
            for m, r, u in parts:
                met, req, unk = met | m, req | r, unk | u
            return (met, req, unk)
        return ("any", tuple(parts))
    if kind == "all_of":
        return ("all", tuple(compile_element(p, kb) for p in value))
    raise ValueError(f"unknown element kind {kind}")  # load_kb has checked this


def _codes(kind: str, codes: Iterable[str]) -> int:
    table = CODE_BITS[kind]
    out = 0
    for code in codes:
        out |= table[code]
    return out


def evaluate(e: Element, bits: int) -> str:
    head = e[0]
    if head == "all":
        values = [evaluate(p, bits) for p in e[1]]
        return MISSING if MISSING in values else UNKNOWN if UNKNOWN in values else MET
    if head == "any":
        values = [evaluate(p, bits) for p in e[1]]
        return MET if MET in values else UNKNOWN if UNKNOWN in values else MISSING
    if bits & head:
        return MET
    req = e[1]
    return MISSING if bits & req == req and not bits & e[2] else UNKNOWN


def _expr(e: Element, i: int, consts: dict[str, Any]) -> str:
    """Python source for one test over the fact word ``b`` (composite tests call evaluate)."""
    if e[0] in ("all", "any"):
        consts[f"E{i}"] = e
        return f"evaluate(E{i}, b)"
    met, req, unk = e
    consts[f"M{i}"], consts[f"R{i}"], consts[f"U{i}"] = met, req, unk
    missing = f"b & R{i} == R{i}" + (f" and not b & U{i}" if unk else "")
    return f"(MET if b & M{i} else (MISSING if {missing} else UNKNOWN))"


def codegen(
    elements: list[Element] | tuple[Element, ...],
    conditions: list[Element],
    readings: list[tuple[int, int]],
) -> Any:
    """Compile an article's tests into one function of the fact word.

    Returns ``f(b) -> (element values, aggravation states, reading flags)`` with every mask
    a constant: no call per element, no loop.
    """
    consts: dict[str, Any] = {
        "MET": MET,
        "MISSING": MISSING,
        "UNKNOWN": UNKNOWN,
        "evaluate": evaluate,
    }
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


def element_mask(e: Element) -> int:
    if e[0] in ("all", "any"):
        out = 0
        for p in e[1]:
            out |= element_mask(p)
        return out
    mask: int = e[0] | e[1] | e[2]
    return mask
