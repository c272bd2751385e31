"""Reintegration outcomes: IOM's Reintegration Sustainability Survey as data, and a pure
scoring engine (no Django) — dimension and composite scores per follow-up visit, and a
trajectory per survivor."""

from lentera.reintegration.catalogue import DIMENSIONS, Catalogue, Indicator, load_catalogue
from lentera.reintegration.engine import (
    catalogue_ref,
    score,
    score_many,
    trajectories,
    trajectory,
)
from lentera.reintegration.models import (
    RESULT_SCHEMA,
    TRAJECTORY_SCHEMA,
    VISIT_SCHEMA,
    DimensionScore,
    ReintegrationResult,
    RssVisit,
    Trajectory,
    TrajectoryPoint,
    parse_visit,
)

__all__ = [
    "DIMENSIONS",
    "RESULT_SCHEMA",
    "TRAJECTORY_SCHEMA",
    "VISIT_SCHEMA",
    "Catalogue",
    "DimensionScore",
    "Indicator",
    "ReintegrationResult",
    "RssVisit",
    "Trajectory",
    "TrajectoryPoint",
    "catalogue_ref",
    "load_catalogue",
    "parse_visit",
    "score",
    "score_many",
    "trajectories",
    "trajectory",
]
