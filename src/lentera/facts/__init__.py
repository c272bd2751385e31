"""Case facts: the typed contract between the case store and the engines.

``lentera.case-facts/1`` is specified in shared/schemas/case-facts.md; the
pydantic models here accept every document written to it and reject anything
else with an error naming the field.
"""

from lentera.facts.case_facts import (
    CASE_FACTS_SCHEMA,
    CaseFacts,
    Exploitation,
    MigrantWork,
    Movement,
    Perpetrator,
    Victim,
    format_validation_error,
    parse_case_facts,
    parse_document,
)
from lentera.facts.vocab import ACTS, HARMS, INDICATOR_LISTS, MEANS, PURPOSES, SEXES

__all__ = [
    "ACTS",
    "CASE_FACTS_SCHEMA",
    "HARMS",
    "INDICATOR_LISTS",
    "MEANS",
    "PURPOSES",
    "SEXES",
    "CaseFacts",
    "Exploitation",
    "MigrantWork",
    "Movement",
    "Perpetrator",
    "Victim",
    "format_validation_error",
    "parse_case_facts",
    "parse_document",
]
