"""REST endpoints of reintegration plans, follow-ups and RSS scores (mounted on the main API).

Organisation-scoped like every endpoint: another organisation's row is a 404. Lists audit
the ids they return; a plan read is audited by its selector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from lentera.web.api.pagination import PageOut, PageQuery, page_of
from lentera.web.api.schemas import ErrorOut
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import selectors as case_selectors
from lentera.web.core.services import not_found
from lentera.web.reintegration import selectors, services

router = Router(tags=["reintegration"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ActionOut(Schema):
    id: int
    domain: str
    kind: str
    status: str
    provider_id: int | None
    responsible: str
    referral_id: int | None
    planned_date: dt.date | None
    actual_date: dt.date | None
    cost: int | None
    donor: str
    version: int


class PlanOut(Schema):
    id: int
    person_id: int
    case_id: int
    referral_id: int | None
    return_date: dt.date | None
    version: int
    actions: list[ActionOut] = []


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int
    case_id: int
    referral_id: int | None = None
    return_date: dt.date | None = None
    notes: str = Field("", max_length=4000)


class FollowUpOut(Schema):
    id: int
    code: str
    plan_id: int
    months: int
    due_date: dt.date
    mode: str
    outcome: str
    done_on: dt.date | None
    version: int


class ScoreOut(Schema):
    id: int
    plan_id: int
    followup_id: int
    visit_date: dt.date
    economic: float | None
    social: float | None
    psychosocial: float | None
    composite: float | None
    catalogue: str
    reasons: list[str]
    answers: dict[str, str]


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    followup_id: int
    answers: dict[str, str] = Field(description="<dimension>.<indicator> -> answer option code")


class ListQuery(PageQuery):
    plan_id: int | None = None
    state: str = Field("", description="follow-ups only: pending | overdue | done")


class PlanPage(PageOut):
    results: list[PlanOut]


class FollowUpPage(PageOut):
    results: list[FollowUpOut]


class ScorePage(PageOut):
    results: list[ScoreOut]


def _action_out(a: Any) -> dict[str, Any]:
    return {f: getattr(a, f) for f in ActionOut.model_fields}


def _plan_out(p: Any, actions: bool = False) -> dict[str, Any]:
    out = {f: getattr(p, f) for f in PlanOut.model_fields if f != "actions"}
    out["actions"] = [_action_out(a) for a in p.actions.all()] if actions else []
    return out


def _followup_out(f: Any) -> dict[str, Any]:
    out = {k: getattr(f, k) for k in FollowUpOut.model_fields if k != "code"}
    out["code"] = f"RF-{f.pk}"
    return out


def _score_out(s: Any) -> dict[str, Any]:
    return {f: getattr(s, f) for f in ScoreOut.model_fields}


def _audit_list(request: HttpRequest, kind: str, rows: list[Any]) -> None:
    audit_log(
        actor=request.user, action=AuditAction.READ, object_type=f"reintegration.{kind}",
        detail={"ids": [r.pk for r in rows]},
    )  # fmt: skip


@router.get("/reintegration/plans", response={200: PlanPage, **ERRORS})
def list_reintegration_plans(request: HttpRequest, query: Query[ListQuery]) -> Any:
    rows, meta = page_of(selectors.plan_list_for_user(actor=request.user), query)
    _audit_list(request, "reintegrationplan", rows)
    return {**meta, "results": [_plan_out(p) for p in rows]}


@router.post("/reintegration/plans", response={201: PlanOut, **ERRORS})
def create_reintegration_plan(request: HttpRequest, body: PlanIn) -> Any:
    person = case_selectors.person_get_for_user(actor=request.user, person_id=body.person_id)
    case = selectors.case_get(actor=request.user, case_id=body.case_id)
    if case is None:
        raise not_found()
    plan = services.plan_create(
        actor=request.user,
        person=person,
        case=case,
        referral=selectors.referral_get(actor=request.user, referral_id=body.referral_id),
        return_date=body.return_date,
        notes=body.notes,
    )
    return Status(201, _plan_out(plan))


@router.get("/reintegration/plans/{plan_id}", response={200: PlanOut, **ERRORS})
def get_reintegration_plan(request: HttpRequest, plan_id: int) -> Any:
    return _plan_out(selectors.plan_get_for_user(actor=request.user, plan_id=plan_id), True)


@router.get("/reintegration/followups", response={200: FollowUpPage, **ERRORS})
def list_reintegration_followups(request: HttpRequest, query: Query[ListQuery]) -> Any:
    qs = selectors.followup_list_for_user(
        actor=request.user, plan_id=query.plan_id, state=query.state
    )
    rows, meta = page_of(qs, query)
    _audit_list(request, "reintegrationfollowup", rows)
    return {**meta, "results": [_followup_out(f) for f in rows]}


@router.get("/reintegration/followups/{followup_id}", response={200: FollowUpOut, **ERRORS})
def get_reintegration_followup(request: HttpRequest, followup_id: int) -> Any:
    return _followup_out(
        selectors.followup_get_for_user(actor=request.user, followup_id=followup_id)
    )


@router.get("/reintegration/scores", response={200: ScorePage, **ERRORS})
def list_reintegration_scores(request: HttpRequest, query: Query[ListQuery]) -> Any:
    qs = selectors.score_list_for_user(actor=request.user, plan_id=query.plan_id)
    rows, meta = page_of(qs, query)
    _audit_list(request, "rssscore", rows)
    return {**meta, "results": [_score_out(s) for s in rows]}


@router.post("/reintegration/scores", response={201: ScoreOut, **ERRORS})
def create_reintegration_score(request: HttpRequest, body: ScoreIn) -> Any:
    followup = selectors.followup_get_for_user(actor=request.user, followup_id=body.followup_id)
    row = services.score_record(actor=request.user, followup=followup, answers=body.answers)
    return Status(201, _score_out(row))


@router.get("/reintegration/scores/{score_id}", response={200: ScoreOut, **ERRORS})
def get_reintegration_score(request: HttpRequest, score_id: int) -> Any:
    return _score_out(selectors.score_get_for_user(actor=request.user, score_id=score_id))
