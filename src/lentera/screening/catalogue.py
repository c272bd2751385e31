"""The ILO/EC indicator catalogue and its rules, loaded from ``data/`` and checked.

The catalogue is data: indicators (per list strength), the dimension rule and
the outcome rule per age group. :func:`load_catalogue` validates the file so a
mistake in an edit fails loudly at start-up rather than skewing results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from lentera.facts.vocab import INDICATOR_LISTS
from lentera.reference.catalogue import CatalogueHeader, shipped_text

__all__ = [
    "DIMENSIONS",
    "STRENGTHS",
    "Catalogue",
    "Indicator",
    "load_catalogue",
]

DIMENSIONS: tuple[str, ...] = ("D1", "D2", "D3", "D4", "D5", "D6")
STRENGTHS = {"S": "strong", "M": "medium", "W": "weak"}
_VERIFICATION = {"secondary", "derived_unverified", "disputed", "unverified", "verified"}
_RULE_TERMS = (*DIMENSIONS, "act")


@dataclass(frozen=True)
class Indicator:
    """One indicator of one list."""

    id: str
    list: str
    dimension: str
    name: str
    strength: str  # strong / medium / weak
    verification: str
    label_id: str
    label_en: str
    help_id: str
    note: str = ""
    #: the strength a disputed rating would have under the other reading (None: not disputed)
    disputed_strength: str | None = None


Predicate = Callable[[Mapping[str, bool]], bool]


def _compile(expr: Any, where: str) -> Predicate:
    """Compile a rule expression (term, {all_of: [...]}, {any_of: [...]}) to a predicate."""
    if isinstance(expr, str):
        if expr not in _RULE_TERMS:
            raise ValueError(f"{where}: unknown rule term {expr!r}")
        term: str = expr

        def value_of(values: Mapping[str, bool]) -> bool:
            return values[term]

        return value_of
    if isinstance(expr, dict) and len(expr) == 1:
        ((op, parts),) = expr.items()
        if op in ("all_of", "any_of") and isinstance(parts, list) and parts:
            preds = [_compile(p, f"{where}.{op}[{i}]") for i, p in enumerate(parts)]
            if op == "all_of":
                return lambda values: all(p(values) for p in preds)
            return lambda values: any(p(values) for p in preds)
    raise ValueError(f"{where}: a rule is a term or {{all_of|any_of: [..]}}, got {expr!r}")


@dataclass(frozen=True)
class Catalogue(CatalogueHeader):
    """The loaded catalogue: indicators by list, rules compiled."""

    source: str
    lists: Mapping[str, Mapping[str, str]]
    dimensions: Mapping[str, Mapping[str, str]]
    positive_minima: tuple[Mapping[str, int], ...]
    dimension_rule_verification: str
    outcome_rule_verification: str
    outcome_rules: Mapping[str, Mapping[str, Predicate]]
    outcome_rule_text: Mapping[str, Mapping[str, Any]]
    by_list: Mapping[str, Mapping[tuple[str, str], Indicator]]
    methods_of_control: Mapping[str, tuple[tuple[str, str], ...]]
    names: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def indicators(self, list_name: str) -> list[Indicator]:
        """The indicators of one list in catalogue order."""
        return list(self.by_list[list_name].values())

    def get(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        parts = indicator_id.split(".")
        if len(parts) != 3:
            return None
        return self.by_list.get(parts[0], {}).get((parts[1], parts[2]))

    def dimension_positive(self, strong: int, medium: int, weak: int) -> bool:
        """The dimension rule: any of the minima reached."""
        counts = {
            "strong": strong,
            "medium": medium,
            "weak": weak,
            "medium_or_weak": medium + weak,
        }
        return any(all(counts[k] >= v for k, v in m.items()) for m in self.positive_minima)

    def prefill_from_methods_of_control(self, list_name: str, methods: list[str]) -> list[str]:
        """Indicator ids of ``list_name`` suggested by HTCDS methods of control."""
        out: dict[str, None] = {}
        table = self.by_list[list_name]
        for method in methods:
            for key in self.methods_of_control.get(method, ()):
                if key in table:
                    out[table[key].id] = None
        return list(out)


def _build(raw: dict[str, Any]) -> Catalogue:
    lists = raw["lists"]
    if set(lists) != set(INDICATOR_LISTS):
        raise ValueError(f"lists must be exactly {INDICATOR_LISTS}, got {sorted(lists)}")
    for name, meta in lists.items():
        if meta.get("verification") not in _VERIFICATION:
            raise ValueError(f"lists.{name}.verification: unknown status")
    dims = raw["dimensions"]
    if tuple(dims) != DIMENSIONS:
        raise ValueError("dimensions must be D1..D6 in order")

    minima = tuple(dict(m) for m in raw["rules"]["dimension_positive"]["any_of"])
    for i, m in enumerate(minima):
        if not m or set(m) - {"strong", "medium", "weak", "medium_or_weak"}:
            raise ValueError(f"rules.dimension_positive.any_of[{i}]: bad minima {m}")
    outcome = raw["rules"]["outcome"]
    rules: dict[str, dict[str, Predicate]] = {}
    for group in ("adult", "child"):
        rules[group] = {
            key: _compile(outcome[group][key], f"rules.outcome.{group}.{key}")
            for key in ("trafficked", "exploited")
        }

    by_list: dict[str, dict[tuple[str, str], Indicator]] = {name: {} for name in INDICATOR_LISTS}
    names: set[tuple[str, str]] = set()
    for i, item in enumerate(raw["indicators"]):
        where = f"indicators[{i}] ({item.get('name')})"
        dim, name = item["dimension"], item["name"]
        if dim not in DIMENSIONS:
            raise ValueError(f"{where}: unknown dimension {dim}")
        if (dim, name) in names:
            raise ValueError(f"{where}: duplicate {dim}.{name}")
        names.add((dim, name))
        for key in ("label_id", "label_en", "help_id"):
            if not str(item.get(key, "")).strip():
                raise ValueError(f"{where}: {key} is empty")
        strength = item["strength"]
        if not strength or set(strength) - set(INDICATOR_LISTS):
            raise ValueError(f"{where}: strength must name lists of {INDICATOR_LISTS}")
        disputed = item.get("disputed_strength") or {}
        if set(disputed) - set(strength) or set(disputed.values()) - set(STRENGTHS):
            raise ValueError(f"{where}: disputed_strength must rate listed lists S, M or W")
        if disputed and item.get("verification") != "disputed":
            raise ValueError(f"{where}: a disputed_strength needs verification: disputed")
        for list_name, code in strength.items():
            if code not in STRENGTHS:
                raise ValueError(f"{where}: strength {code!r} is not S, M or W")
            verification = item.get("verification") or lists[list_name]["verification"]
            if disputed and list_name not in disputed:  # disputed in other lists only
                verification = lists[list_name]["verification"]
            if verification not in _VERIFICATION:
                raise ValueError(f"{where}: unknown verification {verification!r}")
            ind = Indicator(
                id=f"{list_name}.{dim}.{name}",
                list=list_name,
                dimension=dim,
                name=name,
                strength=STRENGTHS[code],
                verification=verification,
                label_id=item["label_id"],
                label_en=item["label_en"],
                help_id=item["help_id"],
                note=item.get("note", ""),
                disputed_strength=STRENGTHS[disputed[list_name]] if list_name in disputed else None,
            )
            by_list[list_name][(dim, name)] = ind

    moc: dict[str, tuple[tuple[str, str], ...]] = {}
    for method, targets in raw.get("methods_of_control", {}).items():
        keys = []
        for target in targets:
            dim, _, name = target.partition(".")
            if (dim, name) not in names:
                raise ValueError(f"methods_of_control.{method}: unknown indicator {target}")
            keys.append((dim, name))
        moc[method] = tuple(keys)

    return Catalogue(
        id=raw["catalogue"],
        version=str(raw["version"]),
        title_id=raw["title_id"],
        title_en=raw["title_en"],
        source=raw["source"],
        lists=lists,
        dimensions=dims,
        positive_minima=minima,
        dimension_rule_verification=raw["rules"]["dimension_positive"]["verification"],
        outcome_rule_verification=outcome["verification"],
        outcome_rules=rules,
        outcome_rule_text={g: outcome[g] for g in ("adult", "child")},
        by_list=by_list,
        methods_of_control=moc,
        names=frozenset(names),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Build a catalogue from YAML text (raises ``ValueError`` naming the bad entry)."""
    return _build(yaml.safe_load(text))


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with Lentera."""
    return parse_catalogue(shipped_text("lentera.screening", "data/ilo_ec_2009.yaml"))
