"""Reintegration outcomes: IOM's Reintegration Sustainability Survey as data, and a pure
scoring engine (no Django) — dimension and composite scores per follow-up visit, and a
trajectory per survivor."""

from lentera.reintegration import models
from lentera.reintegration.catalogue import DIMENSIONS, Catalogue, Indicator, load_catalogue
from lentera.reintegration.engine import (
    catalogue_ref,
    score,
    score_many,
    trajectories,
    trajectory,
)
from lentera.reintegration.models import *  # noqa: F403 (its __all__ is the list)

__all__ = [
    "DIMENSIONS",
    "Catalogue",
    "Indicator",
    "catalogue_ref",
    "load_catalogue",
    "score",
    "score_many",
    "trajectories",
    "trajectory",
]
__all__ += models.__all__
