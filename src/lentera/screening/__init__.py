"""Victim identification: the ILO/EC operational indicators as data, and the screening engine.

``screen(facts)`` returns a frozen :class:`ScreeningResult` (``to_dict()`` for the
``lentera.screening/1`` JSON), one :class:`DimensionResult` per dimension.
"""

from lentera.screening.catalogue import Catalogue, Indicator, load_catalogue
from lentera.screening.engine import choose_lists, screen, screen_many
from lentera.screening.models import SCREENING_SCHEMA, DimensionResult, ScreeningResult

__all__ = [
    "SCREENING_SCHEMA",
    "Catalogue",
    "DimensionResult",
    "Indicator",
    "ScreeningResult",
    "choose_lists",
    "load_catalogue",
    "screen",
    "screen_many",
]
