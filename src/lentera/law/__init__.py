"""Legal qualification: Palermo Protocol vs Indonesian law, as data, with the engine.

``qualify(facts)`` returns a frozen :class:`QualificationResult` (``to_dict()`` for the
``lentera.qualification/1`` JSON); its parts are the other result classes exported here.
"""

from lentera.law import models
from lentera.law.engine import qualify, qualify_many
from lentera.law.kb import KnowledgeBase, load_kb
from lentera.law.models import *  # noqa: F403 (its __all__ is the list)

__all__ = [
    "KnowledgeBase",
    "load_kb",
    "qualify",
    "qualify_many",
]
__all__ += models.__all__
