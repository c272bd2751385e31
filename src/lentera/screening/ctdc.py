"""Turn CTDC (Counter-Trafficking Data Collaborative) rows into case facts for bulk screening.

CTDC's global dataset uses the HTCDS field names: ``meansOfControl<Method>``,
``is<Exploitation>`` flags ("1", "0", "-99" for unknown; "true"/"false" in
later releases), an age band (``ageBroad``, e.g. ``9--17``) and ISO country
codes. What a row cannot say stays unknown:

- age: only the adult/child distinction is kept — the band's lower bound when
  the band is entirely under or over 18, else ``majorityStatusAtExploit`` /
  ``majorityStatus`` (``Minor`` → 17, ``Adult`` → 18); otherwise null;
- acts: CTDC records none, so the child rule relies on recruitment-stage
  indicators (e.g. false promises);
- means of control become indicators through the catalogue's
  ``methods_of_control`` table (the same one that pre-fills a case's screening).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from lentera.errors import LenteraError
from lentera.facts import CaseFacts, parse_case_facts
from lentera.screening.catalogue import Catalogue, load_catalogue
from lentera.screening.engine import choose_lists

__all__ = ["facts_from_ctdc_row", "parse_flag"]

_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}
_UNKNOWN = {"", "-99", "na", "n/a", "unknown", "null", "none"}

_EXPLOITATION = {
    "isForcedLabour": ["forced_labour"],
    "isSexualExploit": ["other_sexual_exploitation"],
    "isSexAndLabour": ["forced_labour", "other_sexual_exploitation"],
    "isForcedMarriage": ["forced_marriage"],
    "isForcedMilitary": ["forced_labour"],
    "isOrganRemoval": ["organ_removal"],
    "isSlaveryAndPractices": ["slavery_like_practice"],
}
_EXTRA_INDICATORS = {"isAbduction": ("D2", "abduction_sale")}
_BAND = re.compile(r"^\s*(\d+)\s*-+\s*(\d+)\s*$|^\s*(\d+)\s*\+\s*$")


def parse_flag(value: Any, *, where: str) -> bool | None:
    """A CTDC boolean: True, False or None (unknown). Anything else is an error naming ``where``."""
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _UNKNOWN:
        return None
    raise LenteraError("invalid_row", f"{where}: {value!r} is not 1, 0 or -99", field=where)


def _age(row: Mapping[str, Any]) -> int | None:
    band = str(row.get("ageBroad") or row.get("age") or "").strip()
    m = _BAND.match(band)
    if m:
        if m.group(3):
            return int(m.group(3))
        low, high = int(m.group(1)), int(m.group(2))
        if high < 18 or low >= 18:
            return min(low, 120)
    for key in ("majorityStatusAtExploit", "majorityStatus"):
        status = str(row.get(key) or "").strip().lower()
        if status == "minor":
            return 17
        if status == "adult":
            return 18
    return None


def _country(value: Any) -> str | None:
    text = str(value or "").strip().upper()
    return text if re.fullmatch(r"[A-Z]{2}", text) else None


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", camel).lower()


def facts_from_ctdc_row(
    row: Mapping[str, Any], *, row_number: int, catalogue: Catalogue | None = None
) -> CaseFacts:
    """Case facts for one CTDC row (``row_number`` names the row in errors and ``case_ref``)."""
    cat = catalogue or load_catalogue()
    sex = {"female": "female", "male": "male", "woman": "female", "man": "male"}.get(
        str(row.get("gender") or "").strip().lower()
    )
    purposes: dict[str, None] = {}
    occurred: bool | None = None
    for column, codes in _EXPLOITATION.items():
        if column in row and parse_flag(row[column], where=f"row {row_number}, {column}"):
            purposes.update(dict.fromkeys(codes))
            occurred = True
    methods: list[str] = []
    extra: list[tuple[str, str]] = []
    for column, value in row.items():
        if (  # noqa: SIM102
            column
            and column.startswith("meansOfControl")
            and column
            not in (
                "meansOfControlConcatenated",
                "meansOfControlNotSpecified",
            )
        ):
            if parse_flag(value, where=f"row {row_number}, {column}"):
                methods.append(_snake(column.removeprefix("meansOfControl")))
    for column, key in _EXTRA_INDICATORS.items():
        if column in row and parse_flag(row[column], where=f"row {row_number}, {column}"):
            extra.append(key)
    base = {
        "case_ref": f"ctdc-row-{row_number}",
        "victim": {
            "age_at_offence": _age(row),
            "sex": sex,
            "citizenship": _country(row.get("citizenship")),
        },
        "movement": {"destination_country": _country(row.get("CountryOfExploitation"))},
        "exploitation": {"purposes": list(purposes), "occurred": occurred},
    }
    facts = parse_case_facts(base)
    _, lists, _ = choose_lists(facts)
    table = cat.by_list[lists[0]]
    indicators = cat.prefill_from_methods_of_control(lists[0], methods)
    indicators += [table[k].id for k in extra if k in table and table[k].id not in indicators]
    return facts.model_copy(update={"indicators": tuple(indicators)})
