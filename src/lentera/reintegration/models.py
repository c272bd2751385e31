"""The reintegration contracts as frozen pydantic models.

- ``lentera.rss-visit/1`` (:class:`RssVisit`): one follow-up visit or call —
  who (a survivor pseudonym or record id, never a name the team would not
  write on a form), when, whether the survivor was reached, and the answer
  code chosen per indicator.
- ``lentera.reintegration/1`` (:class:`ReintegrationResult`): the scores of one
  visit — per dimension (in [0, 1] or ``null``), the composite, which
  indicators were answered, and reason codes.
- ``lentera.reintegration-trajectory/1`` (:class:`Trajectory`): one
  survivor's scored visits in date order and the change from first to last.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lentera.facts import parse_document

__all__ = [
    "RESULT_SCHEMA",
    "TRAJECTORY_SCHEMA",
    "VISIT_SCHEMA",
    "DimensionScore",
    "ReintegrationResult",
    "RssVisit",
    "Trajectory",
    "TrajectoryPoint",
    "parse_visit",
]

VISIT_SCHEMA = "lentera.rss-visit/1"
RESULT_SCHEMA = "lentera.reintegration/1"
TRAJECTORY_SCHEMA = "lentera.reintegration-trajectory/1"

Dimension = Literal["economic", "social", "psychosocial"]
Outcome = Literal["completed", "not_reached", "refused"]
Score = Annotated[float, Field(ge=0, le=1)]
SurvivorRef = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$",
        description="survivor pseudonym or record id: letters, digits and . _ : / - (max 64)",
    ),
]
IndicatorKey = Annotated[str, Field(pattern=r"^[a-z]+\.[a-z][a-z0-9_]*$")]
AnswerCode = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,40}$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, str_strip_whitespace=True
    )


class RssVisit(_Frozen):
    """One follow-up visit or call and the answers given."""

    schema_: Literal["lentera.rss-visit/1"] = Field(
        default="lentera.rss-visit/1", alias="schema", serialization_alias="schema"
    )
    catalogue: str | None = Field(
        default=None, description="catalogue id the answers were given against, e.g. iom-rss-2019/1"
    )
    survivor: SurvivorRef
    visit_date: dt.date
    visit_label: Annotated[str, Field(max_length=40)] | None = Field(
        default=None, description="schedule slot, e.g. return, month_3, month_6, month_12"
    )
    outcome: Outcome = Field(
        default="completed",
        description="completed, or not_reached / refused (loss to follow-up; no answers)",
    )
    answers: dict[IndicatorKey, AnswerCode] = Field(
        default_factory=dict, description="<dimension>.<indicator> -> answer option code"
    )

    @field_validator("visit_date", mode="before")
    @classmethod
    def _iso_date_only(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and len(value) == 10:
            return value
        raise ValueError("must be an ISO date YYYY-MM-DD")

    @field_validator("visit_date")
    @classmethod
    def _not_in_future(cls, value: dt.date) -> dt.date:
        # UTC today plus one day: a visit early in the morning in WIT (UTC+9) is not
        # "in the future" although UTC is still on the previous day.
        latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
        if value > latest:
            raise ValueError("a visit date cannot be in the future")
        return value

    @model_validator(mode="after")
    def _answers_only_when_completed(self) -> RssVisit:
        if self.outcome != "completed" and self.answers:
            raise ValueError(f"a visit with outcome {self.outcome!r} cannot carry answers")
        return self


class DimensionScore(_Frozen):
    """One dimension of one visit."""

    score: Score | None = Field(description="weighted mean of the scored answers; null if too few")
    coverage: Score = Field(
        description="weight of the scored indicators / weight of the applicable ones"
    )
    answered: tuple[str, ...] = Field(description="indicators with a scored answer")
    not_scored: tuple[str, ...] = Field(
        description="answered with don't know / refused (count as unanswered)"
    )
    not_applicable: tuple[str, ...] = Field(description="answered 'not applicable' (left out)")
    missing: tuple[str, ...] = Field(description="not answered at all")


class ReintegrationResult(_Frozen):
    """The scores of one visit against one catalogue."""

    schema_: Literal["lentera.reintegration/1"] = Field(
        default="lentera.reintegration/1", alias="schema", serialization_alias="schema"
    )
    catalogue: str = Field(description="catalogue id and version, e.g. iom-rss-2019/1@1.0.0")
    survivor: str
    visit_date: dt.date
    visit_label: str | None = None
    outcome: Outcome
    dimensions: dict[Dimension, DimensionScore]
    composite: Score | None
    reasons: tuple[str, ...] = Field(
        description="language-neutral reason codes; `code` or `code:param`"
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The result as plain JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)


class TrajectoryPoint(_Frozen):
    """One completed visit on a trajectory."""

    visit_date: dt.date
    visit_label: str | None = None
    days_since_first: int = Field(ge=0, description="days since the first completed visit")
    economic: Score | None
    social: Score | None
    psychosocial: Score | None
    composite: Score | None


class Trajectory(_Frozen):
    """A survivor's scored visits in date order."""

    schema_: Literal["lentera.reintegration-trajectory/1"] = Field(
        default="lentera.reintegration-trajectory/1", alias="schema", serialization_alias="schema"
    )
    catalogue: str
    survivor: str
    points: tuple[TrajectoryPoint, ...]
    not_reached: int = Field(ge=0, description="visits with outcome not_reached")
    refused: int = Field(ge=0, description="visits with outcome refused")
    change: dict[Literal["economic", "social", "psychosocial", "composite"], float | None] = Field(
        description="last minus first score over the points that have one; null with fewer than two"
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The trajectory as plain JSON-ready data."""
        return self.model_dump(mode="json", by_alias=True)


def parse_visit(data: RssVisit | str | bytes | dict[str, Any]) -> RssVisit:
    """Parse a visit document (JSON text or decoded object).

    Raises :class:`~lentera.errors.LenteraError` (code ``invalid_visit``) naming the field.
    """
    if isinstance(data, RssVisit):
        return data
    return parse_document(RssVisit, data, code="invalid_visit", noun="visit")
