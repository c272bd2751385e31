"""REST endpoints of prevention outreach (mounted on the main API): list, get, create."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from lentera.web.api.pagination import PageOut, PageQuery, filters_of, page_answer
from lentera.web.api.schemas import ErrorOut
from lentera.web.outreach import choices, selectors, services
from lentera.web.outreach.models import OutreachActivity

router = Router(tags=["outreach"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class Attendance(Schema):
    """People reached by sex and age band (counts only)."""

    model_config = ConfigDict(extra="forbid")

    female_u18: int = Field(0, ge=0)
    female_18_35: int = Field(0, ge=0)
    female_36_59: int = Field(0, ge=0)
    female_60p: int = Field(0, ge=0)
    male_u18: int = Field(0, ge=0)
    male_18_35: int = Field(0, ge=0)
    male_36_59: int = Field(0, ge=0)
    male_60p: int = Field(0, ge=0)


class ActivityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[tuple(choices.ActivityKind.values)]  # type: ignore[valid-type]
    date: dt.date
    province: str = Field(description="BPS province code (2 digits)")
    regency: str = Field("", description="BPS regency/city code (4 digits)")
    village: str = Field("", max_length=120)
    partners: str = Field("", max_length=300)
    topics: list[str] = Field([], description="codes: " + ", ".join(choices.Topic.values))
    materials: str = Field("", max_length=300)
    attendance: Attendance = Attendance()


class ActivityOut(ActivityIn):
    model_config = ConfigDict(extra="ignore")

    id: int
    people: int
    version: int


class ActivityQuery(PageQuery):
    year: int | None = Field(None, ge=1900, le=2100)
    province: str = ""
    kind: str = ""
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class ActivityPage(PageOut):
    results: list[ActivityOut]


def _out(a: OutreachActivity) -> dict[str, Any]:
    out = {f: getattr(a, f) for f in ActivityIn.model_fields if f != "attendance"}
    out["attendance"] = {f: getattr(a, f) for f in choices.ATTENDANCE_FIELDS}
    out |= {"id": a.pk, "people": a.attendance, "version": a.version}
    return out


@router.get("/outreach", response={200: ActivityPage, **ERRORS})
def list_outreach(request: HttpRequest, query: Query[ActivityQuery]) -> Any:
    qs = selectors.activities_list_for_user(actor=request.user, **filters_of(query))
    return page_answer(qs, query, _out)


@router.post("/outreach", response={201: ActivityOut, **ERRORS})
def create_outreach(request: HttpRequest, body: ActivityIn) -> Any:
    data = body.model_dump()
    data |= data.pop("attendance")
    activity = services.activity_create(actor=request.user, **data)
    return Status(201, _out(activity))


@router.get("/outreach/{activity_id}", response={200: ActivityOut, **ERRORS})
def get_outreach(request: HttpRequest, activity_id: int) -> Any:
    return _out(selectors.activity_get_for_user(actor=request.user, activity_id=activity_id))
