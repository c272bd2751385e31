"""REST endpoints of the service directory and referrals (mounted on the main API)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from lentera.web.api.pagination import PageOut, PageQuery, filters_of, page_answer, page_of
from lentera.web.api.schemas import ErrorOut
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import selectors as case_selectors
from lentera.web.referrals import selectors, services
from lentera.web.referrals.models import Referral, ServiceProvider
from lentera.web.referrals.selectors.referral import RECEIVER, SENDER

router = Router(tags=["referrals"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ProviderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    institution_type: str
    services: list[str]
    nationwide: bool = False
    province_codes: list[str] = []
    regency_codes: list[str] = []
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    contact_person: str = ""
    languages: list[str] = []
    opening_hours: str = ""
    notes: str = ""
    is_active: bool = True


class ProviderOut(ProviderIn):
    model_config = ConfigDict(extra="ignore")

    id: int
    on_this_instance: bool
    version: int


class ProviderQuery(PageQuery):
    q: str = ""
    region: str = Field("", description="BPS province (2 digits) or regency (4 digits) code")
    service: str = ""


class ProviderPage(PageOut):
    results: list[ProviderOut]


class ReferralIn(Schema):
    model_config = ConfigDict(extra="forbid")

    survivor_id: int = Field(description="id of the survivor-in-case (see /cases/{id})")
    provider_id: int
    services: list[str]
    reason: str = Field(max_length=4000)
    urgency: Literal["emergency", "high", "normal", "low"] = "normal"
    due_date: dt.date | None = None
    shared_fields: list[str] | None = Field(
        None, description="Data categories to pass; default: all the consent allows"
    )
    override_reason: str = Field(
        "", max_length=4000, description="Supervisors only: why refer without consent"
    )


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["accepted", "declined", "in_service", "completed", "cancelled"]
    reason: str = Field("", max_length=4000)
    note: str = Field("", max_length=4000)
    version: int | None = None


class ReferralOut(Schema):
    id: int
    number: str
    side: str
    status: str
    from_organisation: str
    provider_id: int | None
    provider_name: str
    services: list[str]
    urgency: str
    due_date: dt.date
    overdue: bool
    sent_at: dt.datetime
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    shared_fields: list[str]
    consent_override: bool
    allowed_transitions: list[str]
    payload: dict[str, Any]
    version: int


class ReferralQuery(PageQuery):
    box: Literal["sent", "inbox"] = "sent"
    status: str = ""


class ReferralPage(PageOut):
    results: list[ReferralOut]


def _provider_out(p: ServiceProvider) -> dict[str, Any]:
    out = {f: getattr(p, f) for f in ProviderIn.model_fields}
    return {
        **out,
        "id": p.pk,
        "on_this_instance": p.linked_organisation_id is not None,
        "version": p.version,
    }


def _referral_out(r: Referral, side: str) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "side": side,
        "status": r.status,
        "from_organisation": r.organisation.name,
        "provider_id": r.provider_id if side == SENDER else None,
        "provider_name": r.provider.name,
        "services": r.services,
        "urgency": r.urgency,
        "due_date": r.due_date,
        "overdue": r.is_open and r.due_date < timezone.localdate(),
        "sent_at": r.sent_at,
        "answered_at": r.answered_at,
        "closed_at": r.closed_at,
        "shared_fields": r.shared_fields,
        "consent_override": r.consent_id is None,
        "allowed_transitions": selectors.allowed_transitions(r, side),
        "payload": r.payload_data,
        "version": r.version,
    }


@router.get("/providers", response={200: ProviderPage, **ERRORS})
def list_providers(request: HttpRequest, query: Query[ProviderQuery]) -> Any:
    qs = selectors.providers_for_user(actor=request.user, **filters_of(query))
    return page_answer(qs, query, _provider_out)


@router.post("/providers", response={201: ProviderOut, **ERRORS})
def create_provider(request: HttpRequest, body: ProviderIn) -> Any:
    provider = services.provider_save(actor=request.user, data=body.model_dump())
    return Status(201, _provider_out(provider))


@router.get("/providers/{provider_id}", response={200: ProviderOut, **ERRORS})
def get_provider(request: HttpRequest, provider_id: int) -> Any:
    return _provider_out(
        selectors.provider_get_for_user(actor=request.user, provider_id=provider_id)
    )


@router.get("/referrals", response={200: ReferralPage, **ERRORS})
def list_referrals(request: HttpRequest, query: Query[ReferralQuery]) -> Any:
    if query.box == "inbox":
        qs = selectors.inbox_for_user(actor=request.user, status=query.status)
    else:
        qs = selectors.sent_for_user(actor=request.user, status=query.status)
    rows, meta = page_of(qs, query)
    audit_log(
        actor=request.user,
        action=AuditAction.READ,
        object_type="referrals.referral",
        detail={"box": query.box, "ids": [r.pk for r in rows]},
    )
    return {
        **meta,
        "results": [_referral_out(r, RECEIVER if query.box == "inbox" else SENDER) for r in rows],
    }


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def create_referral(request: HttpRequest, body: ReferralIn) -> Any:
    link = case_selectors.case_survivor_get_for_user(actor=request.user, link_id=body.survivor_id)
    provider = selectors.provider_get_for_user(actor=request.user, provider_id=body.provider_id)
    referral = services.referral_send(
        actor=request.user,
        link=link,
        provider=provider,
        **body.model_dump(exclude={"survivor_id", "provider_id"}),
    )
    return Status(201, _referral_out(referral, SENDER))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS})
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    referral, side = selectors.referral_get_for_user(actor=request.user, referral_id=referral_id)
    return _referral_out(referral, side)


@router.post("/referrals/{referral_id}/status", response={200: ReferralOut, **ERRORS})
def transition_referral(request: HttpRequest, referral_id: int, body: TransitionIn) -> Any:
    referral, side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    services.referral_transition(
        actor=request.user,
        referral=referral,
        to_status=body.status,
        **body.model_dump(exclude={"status"}),
    )
    # the answer shows the referral as it is now stored, read as for any other answer
    referral, side = selectors.referral_get_for_user(
        actor=request.user, referral_id=referral_id, audit=False
    )
    return _referral_out(referral, side)
