"""Case facts: the typed contract between the case store and the engines.

``lentera.case-facts/1.1`` (and ``/1``) is defined by the pydantic models here
(``lentera schema case-facts``); docs/contract/case-facts.md is generated from
them. They accept every document written to the contract and reject anything
else with an error naming the field.
"""

from lentera.facts.case_facts import (
    CASE_FACTS_SCHEMA,
    CASE_FACTS_SCHEMAS,
    FIELDS_1_1,
    CaseFacts,
    Circumstances,
    Exploitation,
    MigrantWork,
    Movement,
    Perpetrator,
    Victim,
    format_validation_error,
    parse_case_facts,
    parse_document,
)
from lentera.facts.results import FrozenResult
from lentera.facts.vocab import ACTS, HARMS, INDICATOR_LISTS, MEANS, PURPOSES, RELATIONS, SEXES

__all__ = [
    "ACTS",
    "CASE_FACTS_SCHEMA",
    "CASE_FACTS_SCHEMAS",
    "FIELDS_1_1",
    "HARMS",
    "INDICATOR_LISTS",
    "MEANS",
    "PURPOSES",
    "RELATIONS",
    "SEXES",
    "CaseFacts",
    "Circumstances",
    "Exploitation",
    "FrozenResult",
    "MigrantWork",
    "Movement",
    "Perpetrator",
    "Victim",
    "format_validation_error",
    "parse_case_facts",
    "parse_document",
]
