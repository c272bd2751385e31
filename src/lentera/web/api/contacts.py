"""REST endpoints of the contact log (mounted on the main API): list, get, create.

Organisation-scoped through the selectors; the list writes one READ audit row naming the ids
it returned (a contact holds a caller's words, name and number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from lentera.web.api.pagination import PageOut, PageQuery, page_of
from lentera.web.api.schemas import ErrorOut
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.contacts import choices, selectors, services
from lentera.web.contacts.models import Contact

router = Router(tags=["contacts"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    channel: Literal[tuple(choices.Channel.values)]  # type: ignore[valid-type]
    reporter: Literal[tuple(choices.Reporter.values)]  # type: ignore[valid-type]
    concern: str = Field(max_length=4000)
    received_on: dt.date | None = None
    province: str = Field("", description="BPS province code (2 digits)")
    regency: str = Field("", description="BPS regency/city code (4 digits)")
    concern_category: Literal[tuple(choices.Concern.values)] = "other"  # type: ignore[valid-type]
    risk: Literal[tuple(choices.Risk.values)] = "medium"  # type: ignore[valid-type]
    urgency: Literal[tuple(choices.Urgency.values)] = "normal"  # type: ignore[valid-type]
    follow_up_due: dt.date | None = None
    caller_name: str = Field("", max_length=4000)
    caller_phone: str = Field("", max_length=4000)
    notes: str = Field("", max_length=4000)
    missing_person: bool = False
    destination_country: str = Field("", description="ISO 3166 alpha-2")
    employer_agency: str = Field("", max_length=4000)
    last_heard_on: dt.date | None = None
    reminder_days: int = Field(7, ge=1, le=90)


class ContactOut(ContactIn):
    model_config = ConfigDict(extra="ignore")

    id: int
    number: str
    status: str
    outcome: str
    closed_on: dt.date | None
    case_id: int | None
    version: int


class ContactQuery(PageQuery):
    status: str = ""
    channel: str = ""
    missing: bool = False
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class ContactPage(PageOut):
    results: list[ContactOut]


def _out(c: Contact) -> dict[str, Any]:
    return {f: getattr(c, f) for f in ContactOut.model_fields}


@router.get("/contacts", response={200: ContactPage, **ERRORS})
def list_contacts(request: HttpRequest, query: Query[ContactQuery]) -> Any:
    qs = selectors.contacts_list_for_user(
        actor=request.user, status=query.status, channel=query.channel, missing=query.missing
    )
    rows, meta = page_of(qs, query)
    audit_log(
        actor=request.user, action=AuditAction.READ, object_type="contacts.contact",
        detail={"ids": [c.pk for c in rows]},
    )  # fmt: skip
    return {**meta, "results": [_out(c) for c in rows]}


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request: HttpRequest, body: ContactIn) -> Any:
    contact = services.contact_create(actor=request.user, **body.model_dump())
    return Status(201, _out(contact))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request: HttpRequest, contact_id: int) -> Any:
    return _out(selectors.contact_get_for_user(actor=request.user, contact_id=contact_id))
