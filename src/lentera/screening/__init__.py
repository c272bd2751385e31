"""Victim identification: the ILO/EC operational indicators as data, and the screening engine."""

from lentera.screening.catalogue import Catalogue, Indicator, load_catalogue
from lentera.screening.engine import choose_lists, screen, screen_many
from lentera.screening.models import SCREENING_SCHEMA, ScreeningResult

__all__ = [
    "SCREENING_SCHEMA",
    "Catalogue",
    "Indicator",
    "ScreeningResult",
    "choose_lists",
    "load_catalogue",
    "screen",
    "screen_many",
]
