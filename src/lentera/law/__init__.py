"""Legal qualification: Palermo Protocol vs Indonesian law, as data, with the engine."""

from lentera.law.engine import qualify, qualify_many
from lentera.law.kb import KnowledgeBase, load_kb
from lentera.law.models import QUALIFICATION_SCHEMA, QualificationResult

__all__ = [
    "QUALIFICATION_SCHEMA",
    "KnowledgeBase",
    "QualificationResult",
    "load_kb",
    "qualify",
    "qualify_many",
]
