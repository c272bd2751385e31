"""Case facts: the typed contract between the case store and the engines.

``lentera.case-facts/1.1`` (and ``/1``) is defined by the pydantic models here
(``lentera schema case-facts``); docs/contract/case-facts.md is generated from
them. They accept every document written to the contract and reject anything
else with an error naming the field.
"""

from lentera.facts import case_facts, results, vocab
from lentera.facts.case_facts import *  # noqa: F403 (each module's __all__ is the list)
from lentera.facts.results import *  # noqa: F403
from lentera.facts.vocab import *  # noqa: F403

__all__ = case_facts.__all__ + results.__all__ + vocab.__all__
