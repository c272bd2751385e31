"""The elements of an offence compiled into tests over the fact word (:mod:`.factbits`).

An element is ``met`` if any of its bits is set, ``missing`` if all its "false" bits are
set (and none of its "unknown" bits), else ``unknown``; ``any_of``/``all_of`` combine
them. :func:`lanes` turns every distinct test of an epoch's articles into one generated
Python function of the fact word that returns a *feature word*, two bits per test, with
every mask a constant: no call per element, no loop, each test computed once per document
however many articles share it.
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
    "VALUES",
    "Element",
    "compile_element",
    "element_mask",
    "evaluate",
    "lanes",
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


#: a test's value in its lane of the feature word (see :func:`lanes`)
VALUES = (UNKNOWN, MET, MISSING)


class _Source:
    """Python source for tests over the fact word ``b``: locals hold 0 unknown, 1 met, 2 missing."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n = 0

    def local(self, e: Element) -> str:
        name = f"t{self.n}"
        self.n += 1
        if e[0] in ("all", "any"):
            parts = [self.local(p) for p in e[1]]
            first, then, last = (2, 0, 1) if e[0] == "all" else (1, 0, 2)
            some = " or ".join(f"{p} == {first}" for p in parts)
            unknown = " or ".join(f"{p} == {then}" for p in parts)
            self.lines.append(
                f"    {name} = {first} if {some} else ({then} if {unknown} else {last})"
            )
        else:
            missing = _missing(e)
            other = "2" if missing == "True" else f"(2 if {missing} else 0)"
            self.lines.append(f"    {name} = 1 if b & {e[0]} else {other}")
        return name


def _missing(e: Element) -> str:
    """The condition for "missing" of a simple test (given that it is not met)."""
    _, req, unk = e
    parts = [f"b & {req} == {req}"] if req else []
    if unk:
        parts.append(f"not b & {unk}")
    return " and ".join(parts) or "True"


def lanes(
    tests: list[tuple[Element, int]], flags: list[tuple[int, int, int]], keep: int = 0
) -> Any:
    """Compile tests into one generated function ``f(b) -> feature word``.

    ``tests``: (test, k): the test's value takes the two bits at ``k`` (0 unknown, 1 met,
    2 missing: ``VALUES``). ``flags``: (required, forbidden, bit): ``bit`` is set when ``b``
    has every required bit and no forbidden one. Every mask is a constant in the source:
    no call per test and no loop, and each distinct test is computed once per document
    however many articles read it. The bits of ``keep`` are copied from ``b`` as they are
    (lanes that need no test).
    """
    src = _Source()
    for e, k in tests:
        if e[0] in ("all", "any"):
            src.lines.append(f"    f |= {src.local(e)} << {k}")
            continue
        met, missing = e[0], _missing(e)
        if not met and missing == "True":
            src.lines.append(f"    f |= {2 << k}")
        elif not met:
            src.lines.append(f"    if {missing}:\n        f |= {2 << k}")
        else:
            src.lines.append(f"    if b & {met}:\n        f |= {1 << k}")
            if missing == "True":
                src.lines.append(f"    else:\n        f |= {2 << k}")
            else:
                src.lines.append(f"    elif {missing}:\n        f |= {2 << k}")
    for req, forbidden, bit in flags:
        src.lines.append(f"    if b & {req} == {req} and not b & {forbidden}:\n        f |= {bit}")
    source = f"def lanes(b):\n    f = b & {keep}\n" + "\n".join(src.lines) + "\n    return f\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<lentera.law compiled lanes>", "exec"), namespace)  # noqa: S102 - our own generated source
    return namespace["lanes"]


def element_mask(e: Element) -> int:
    if e[0] in ("all", "any"):
        out = 0
        for p in e[1]:
            out |= element_mask(p)
        return out
    mask: int = e[0] | e[1] | e[2]
    return mask
