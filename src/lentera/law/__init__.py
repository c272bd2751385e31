"""Legal qualification: Palermo Protocol vs Indonesian law, as data, with the engine.

``qualify(facts)`` returns a frozen :class:`QualificationResult` (``to_dict()`` for the
``lentera.qualification/1`` JSON); its parts are the other result classes exported here.
"""

from lentera.law.engine import qualify, qualify_many
from lentera.law.kb import KnowledgeBase, load_kb
from lentera.law.models import (
    QUALIFICATION_SCHEMA,
    Charge,
    Explanation,
    Gap,
    Indonesia,
    Palermo,
    PenaltyRange,
    PenaltyReading,
    QualificationResult,
)

__all__ = [
    "QUALIFICATION_SCHEMA",
    "Charge",
    "Explanation",
    "Gap",
    "Indonesia",
    "KnowledgeBase",
    "Palermo",
    "PenaltyRange",
    "PenaltyReading",
    "QualificationResult",
    "load_kb",
    "qualify",
    "qualify_many",
]
