"""Screen case facts against the ILO/EC operational indicators.

``screen(facts)`` returns a ``lentera.screening/1`` document, a frozen
:class:`~lentera.screening.models.ScreeningResult` (``to_dict()`` for the JSON; its
dimension results are shared between results, so the lists inside are read-only).

Choices the contract leaves open, and how they are made:

- **Age group**: under 18 uses the child list and the child rule. Unknown age
  uses the adult list and rule (the stricter) and says so (``age_unknown``);
  if the child rule would have found trafficking it adds
  ``child_rule_would_indicate_trafficked``.
- **Exploitation type**: sexual purposes (prostitution, other sexual
  exploitation) use the sexual list; any other purpose the labour list; both
  when both. With no purpose recorded the lists named by the indicator ids are
  used, else the labour list (``exploitation_type_unknown``). When two lists
  are screened, the result of the one with the stronger outcome is returned and
  the other is named in ``also_screened:<list>:<outcome>``.
- **Indicators** are matched across lists by dimension and name (a caseworker
  who ticked ``adult_labour.D1.deceived_nature_of_job`` for a 16-year-old is
  counted on ``child_labour.D1.deceived_nature_of_job``). An indicator the
  screened list does not have is reported ``indicator_not_in_list:<id>``.
- **Outcome**: nothing counted → ``insufficient_information``; the outcome rule
  of the age group met → ``trafficked``; exploitation (D4) positive →
  ``exploited_not_trafficked``; else ``not_indicated``.
- **Disputed ratings** (review rows 16-18): where a counted indicator's rating is
  disputed, the outcome is also computed with the other rating; when that changes
  the outcome the result says so (``disputed_rating_changes_outcome:<outcome>``,
  with the indicators in ``disputed_rating_indicator:<id>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from lentera.errors import LenteraError
from lentera.facts import CaseFacts, parse_case_facts
from lentera.screening.catalogue import DIMENSIONS, Catalogue, load_catalogue
from lentera.screening.models import SCREENING_SCHEMA, DimensionResult, ScreeningResult

__all__ = ["SEXUAL_PURPOSES", "choose_lists", "screen", "screen_many"]

SEXUAL_PURPOSES = frozenset({"prostitution", "other_sexual_exploitation"})
_RANK = {
    "insufficient_information": 0,
    "not_indicated": 1,
    "exploited_not_trafficked": 2,
    "trafficked": 3,
}


def choose_lists(facts: CaseFacts) -> tuple[str, list[str], list[str]]:
    """(age group, list names to screen, reasons) for these facts."""
    reasons: list[str] = []
    age = facts.victim.age_at_offence
    if age is None:
        group = "adult"
        reasons.append("age_unknown")
    else:
        group = "child" if age < 18 else "adult"
    purposes = set(facts.exploitation.purposes)
    kinds: list[str] = []
    if purposes - SEXUAL_PURPOSES:
        kinds.append("labour")
    if purposes & SEXUAL_PURPOSES:
        kinds.append("sexual")
    if not kinds:
        named = {i.split(".", 1)[0].split("_", 1)[1] for i in facts.indicators}
        kinds = [k for k in ("labour", "sexual") if k in named]
        if not kinds:
            kinds = ["labour"]
            reasons.append("exploitation_type_unknown")
    return group, [f"{group}_{kind}" for kind in kinds], reasons


# Small caches (the catalogue is immutable): the dimension rule by counts, the outcome
# and its explanation by the dimension values, indicator ids split once, and the frozen
# dimension results (a batch repeats the same combinations).
_POSITIVE: dict[tuple[int, int, int, int], bool] = {}
_DECIDED: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
_SPLIT: dict[str, tuple[str, str]] = {}
_DIMENSIONS: dict[tuple[Any, ...], DimensionResult] = {}


_EMPTY_DIMENSION = DimensionResult.build(
    {"positive": False, "strong": 0, "medium": 0, "weak": 0, "indicators": []}
)


_NO_DIMENSIONS = dict.fromkeys(DIMENSIONS, _EMPTY_DIMENSION)
_NO_VALUES = dict.fromkeys(("act", *DIMENSIONS), False)


def _dimensions(cat: Catalogue, dims: dict[str, dict[str, Any]]) -> dict[str, DimensionResult]:
    """Every dimension's frozen result, in order; those without indicators share one object."""
    out = dict(_NO_DIMENSIONS)
    memo, cat_id = _DIMENSIONS, id(cat)
    for d, slot in dims.items():
        hit = memo.get((cat_id, *slot["indicators"]))
        out[d] = hit if hit is not None else _dimension(cat, slot)
    return out


def _dimension(cat: Catalogue, slot: dict[str, Any]) -> DimensionResult:
    """The frozen result of one dimension, shared between results with the same indicators.

    An indicator id names its list and dimension, so the ids decide the counts and the rule.
    """
    key = (id(cat), *slot["indicators"])
    hit = _DIMENSIONS.get(key)
    if hit is None:
        hit = DimensionResult.build(slot)
        if len(_DIMENSIONS) < 4096:
            _DIMENSIONS[key] = hit
    return hit


def _split(indicator_id: str) -> tuple[str, str]:
    key = _SPLIT.get(indicator_id)
    if key is None:
        _, dim, name = indicator_id.split(".")
        key = (dim, name)
        if len(_SPLIT) < 4096:
            _SPLIT[indicator_id] = key
    return key


def _positive(cat: Catalogue, strong: int, medium: int, weak: int) -> bool:
    key = (id(cat), strong, medium, weak)
    hit = _POSITIVE.get(key)
    if hit is None:
        hit = _POSITIVE[key] = cat.dimension_positive(strong, medium, weak)
    return hit


def _decide(
    cat: Catalogue, group: str, values: dict[str, bool], counted: int
) -> tuple[str, tuple[str, ...]]:
    """(outcome, explanation) for these dimension values, memoised."""
    key = (id(cat), group, counted > 0, *values.values())
    hit = _DECIDED.get(key)
    if hit is None:
        hit = _DECIDED[key] = (
            _outcome(cat.outcome_rules[group], values, counted),
            tuple(_explain(group, values, counted)),
        )
    return hit


def _screen_list(
    cat: Catalogue, list_name: str, group: str, facts: CaseFacts
) -> tuple[str, dict[str, dict[str, Any]], list[str], dict[str, bool]]:
    """(outcome, dimensions with indicators, reasons, dimension values) for one list.

    Only dimensions with a counted indicator get an entry (the others are empty: not positive).
    """
    table = cat.by_list[list_name]
    dims: dict[str, dict[str, Any]] = {}
    reasons: list[str] = []
    seen: set[tuple[str, str]] = set()
    disputed: list[tuple[str, str, str]] = []  # (dimension, strength, other strength)
    split = _SPLIT.get  # the hot loop: a cache hit without a function call
    for indicator_id in facts.indicators:
        key = split(indicator_id) or _split(indicator_id)
        dim = key[0]
        if key in seen:
            continue
        seen.add(key)
        ind = table.get(key)
        if ind is None:
            reasons.append(f"indicator_not_in_list:{indicator_id}")
            continue
        slot = dims.get(dim)
        if slot is None:
            slot = dims[dim] = {"positive": False, "strong": 0, "medium": 0, "weak": 0,
                                "indicators": []}  # fmt: skip
        slot[ind.strength] += 1
        slot["indicators"].append(ind.id)
        if ind.verification == "disputed":
            reasons.append(f"indicator_rating_disputed:{ind.id}")
            if ind.disputed_strength and ind.disputed_strength != ind.strength:
                disputed.append((dim, ind.strength, ind.disputed_strength))
                reasons.append(f"disputed_rating_indicator:{ind.id}")
    values = dict(_NO_VALUES)  # "act", D1..D6 in this order (part of the _decide key)
    values["act"] = bool(facts.acts)
    counted = 0
    for d, slot in dims.items():
        found = slot["indicators"]
        found.sort()
        counted += len(found)
        values[d] = slot["positive"] = _positive(cat, slot["strong"], slot["medium"], slot["weak"])
    outcome, explanation = _decide(cat, group, values, counted)
    if counted == 0:
        reasons.append("no_indicators")
    if disputed:
        other = _other_reading(cat, cat.outcome_rules[group], dims, values, disputed, counted)
        if other != outcome:
            reasons.append(f"disputed_rating_changes_outcome:{other}")
    reasons[:0] = explanation
    return outcome, dims, reasons, values


def _outcome(rules: Mapping[str, Any], values: Mapping[str, bool], counted: int) -> str:
    if counted == 0:
        return "insufficient_information"
    if rules["trafficked"](values):
        return "trafficked"
    if rules["exploited"](values):
        return "exploited_not_trafficked"
    return "not_indicated"


def _other_reading(
    cat: Catalogue,
    rules: Mapping[str, Any],
    dims: Mapping[str, Mapping[str, Any]],
    values: Mapping[str, bool],
    disputed: list[tuple[str, str, str]],
    counted: int,
) -> str:
    """The outcome with every disputed rating taken at its other strength."""
    counts = {
        d: {k: dims[d][k] for k in ("strong", "medium", "weak")}
        for d in {d for d, _, _ in disputed}
    }
    for dim, strength, other in disputed:
        counts[dim][strength] -= 1
        counts[dim][other] += 1
    alt = dict(values)
    for dim, c in counts.items():
        alt[dim] = _positive(cat, c["strong"], c["medium"], c["weak"])
    return _outcome(rules, alt, counted)


def _explain(group: str, values: Mapping[str, bool], counted: int) -> list[str]:
    if counted == 0:
        return []
    out = [f"{d}_positive" for d in DIMENSIONS if values[d]]
    out.append("exploitation_positive" if values["D4"] else "exploitation_not_established")
    recruitment = values["D1"] or values["D2"] or values["D3"]
    if group == "child":
        out.append("child_means_not_required")
        out.append("act_established" if (values["act"] or recruitment) else "act_not_established")
    else:
        out.append(
            "recruitment_means_positive" if recruitment else "recruitment_means_not_established"
        )
        destination = values["D5"] or values["D6"]
        out.append(
            "destination_means_positive" if destination else "destination_means_not_established"
        )
    return out


def screen(
    facts: CaseFacts | Mapping[str, Any] | str | bytes, *, catalogue: Catalogue | None = None
) -> ScreeningResult:
    """Screen one case-facts document. Raises :class:`LenteraError` on invalid input."""
    if not isinstance(facts, CaseFacts):
        facts = parse_case_facts(facts if not isinstance(facts, Mapping) else dict(facts))
    cat = catalogue or load_catalogue()
    split, names = _SPLIT.get, cat.names
    for i, indicator_id in enumerate(facts.indicators):
        if (split(indicator_id) or _split(indicator_id)) not in names:
            raise LenteraError(
                "invalid_facts",
                f"indicators.{i}: unknown indicator {indicator_id!r} (not in catalogue {cat.id})",
                field=f"indicators.{i}",
            )
    group, lists, reasons = choose_lists(facts)
    results = [(name, *_screen_list(cat, name, group, facts)) for name in lists]
    best = results[0]  # first wins a tie: labour before sexual
    for other in results[1:]:
        if _RANK[other[1]] > _RANK[best[1]]:
            best = other
    list_name, outcome, dims, list_reasons, _values = best
    reasons.extend(list_reasons)
    for other in results:
        if other[0] != list_name:
            reasons.append(f"also_screened:{other[0]}:{other[1]}")
    if group == "adult" and facts.victim.age_at_offence is None:
        child_lists = [name.replace("adult_", "child_") for name in lists]
        if outcome != "trafficked" and any(
            _screen_list(cat, name, "child", facts)[0] == "trafficked" for name in child_lists
        ):
            reasons.append("child_rule_would_indicate_trafficked")
    verification = cat.lists[list_name]["verification"]
    if verification != "verified":
        reasons.append(f"list_{verification}:{list_name}")
    if cat.outcome_rule_verification != "verified":
        reasons.append("outcome_rule_unverified")
    return ScreeningResult.build({
        "schema_": SCREENING_SCHEMA,
        "catalogue": cat.id,
        "list": list_name,
        "dimensions": _dimensions(cat, dims),
        "outcome": outcome,
        "reasons": reasons,
    })  # fmt: skip


def screen_many(
    documents: Iterable[CaseFacts | Mapping[str, Any]], *, catalogue: Catalogue | None = None
) -> Iterator[ScreeningResult]:
    """Screen many documents in order (raises on the first invalid one)."""
    cat = catalogue or load_catalogue()
    for doc in documents:
        yield screen(doc, catalogue=cat)
