"""The REST API (django-ninja): org-scoped, paginated, token or session auth.

The case and person endpoints live here, the referral ones in ``api/referrals.py``
(mounted below), authentication in :mod:`.auth`. The module keeps its name although it
stutters: ninja derives each operationId from the module path
(``lentera_web_api_api_list_cases``), and clients generated from the OpenAPI document
depend on them.

Errors: a :class:`LenteraError` becomes ``{"code", "message", "field"}`` with
400/403/404/409; request bodies that do not match the schema get 422 with the
field named.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.responses import Status
from ninja.security import django_auth

from lentera.errors import LenteraError
from lentera.law import qualify
from lentera.screening import screen
from lentera.web.api.auth import BearerToken, docs_login_required
from lentera.web.api.contacts import router as contacts_router
from lentera.web.api.outreach import router as outreach_router
from lentera.web.api.pagination import PageOut, PageQuery, page_of
from lentera.web.api.referrals import router as referrals_router
from lentera.web.api.reintegration import router as reintegration_router
from lentera.web.api.schemas import (
    CaseDetailOut,
    CaseIn,
    CasePatch,
    CaseSummaryOut,
    ErrorOut,
    EventOut,
    PerpetratorOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    SurvivorAddIn,
    SurvivorLinkIn,
    SurvivorOut,
)
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import selectors, services
from lentera.web.cases.facts import case_facts_for
from lentera.web.cases.fields import none_to_empty
from lentera.web.cases.models import Case, CaseSurvivor, Person
from lentera.web.core.access import require_case_role
from lentera.web.core.middleware import HTTP_STATUS

api = NinjaAPI(
    title="Lentera API",
    version="1",
    description="Cases and survivors of one organisation. Every call is scoped to the caller's organisation and audited.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_decorator=docs_login_required,
)

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@api.exception_handler(LenteraError)
def _lentera_error(request: HttpRequest, exc: LenteraError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": exc.code, "message": exc.message, "field": exc.field},
        status=HTTP_STATUS.get(exc.kind, 400),
    )


def _set(data: Schema) -> dict[str, Any]:
    """Only the fields the client sent (PATCH semantics); None on a text field means empty."""
    return data.model_dump(exclude_unset=True, exclude={"version"})


def _person_out(p: Any) -> dict[str, Any]:
    return {f: getattr(p, f) for f in PersonOut.model_fields}


def _survivor_out(link: Any) -> dict[str, Any]:
    out = {f: getattr(link, f) for f in SurvivorOut.model_fields if f != "person"}
    out["person"] = _person_out(link.person)
    return out


def _case_summary(case: Any, survivor_count: int | None = None) -> dict[str, Any]:
    out = {
        f: getattr(case, f)
        for f in ("id", "reference", "status", "opened_on", "closed_on", "offence_date", "version")
    }
    out["survivor_count"] = (
        survivor_count if survivor_count is not None else getattr(case, "survivor_count", 0)
    )
    return out


def _case_detail(case: Any) -> dict[str, Any]:
    survivors = list(case.survivors.all())
    out = _case_summary(case, len(survivors))
    out["summary"] = case.summary
    out["survivors"] = [_survivor_out(s) for s in survivors]
    out["perpetrators"] = [
        {f: getattr(p, f) for f in PerpetratorOut.model_fields} for p in case.perpetrators.all()
    ]
    out["events"] = [{f: getattr(e, f) for f in EventOut.model_fields} for e in case.events.all()]
    return out


class CaseQuery(PageQuery):
    q: str = ""
    status: str = ""
    province: str = ""
    exploitation_type: str = ""


class CasePage(PageOut):
    results: list[CaseSummaryOut]


class PersonPage(PageOut):
    results: list[PersonOut]


@api.get("/cases", response={200: CasePage, **ERRORS}, tags=["cases"])
def list_cases(request: HttpRequest, query: Query[CaseQuery]) -> Any:
    filters = selectors.CaseFilters(
        q=query.q,
        status=query.status,
        province=query.province,
        exploitation_type=query.exploitation_type,
    )
    rows, meta = page_of(selectors.case_list_for_user(actor=request.user, filters=filters), query)
    return {**meta, "results": [_case_summary(c) for c in selectors.with_survivor_counts(rows)]}


@api.post("/cases", response={201: CaseDetailOut, **ERRORS}, tags=["cases"])
def create_case(request: HttpRequest, body: CaseIn) -> Any:
    data = none_to_empty(Case, _set(body))
    if not data.get("status"):
        data.pop("status", None)
    case = services.case_open(actor=request.user, **data)
    detail = _case_detail(
        selectors.case_get_for_user(actor=request.user, case_id=case.pk, audit=False)
    )
    return Status(201, detail)


@api.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, tags=["cases"])
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _case_detail(selectors.case_get_for_user(actor=request.user, case_id=case_id))


@api.patch("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, tags=["cases"])
def update_case(request: HttpRequest, case_id: int, body: CasePatch) -> Any:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    data = none_to_empty(Case, _set(body))
    services.case_update(actor=request.user, case=case, version=body.version, **data)
    return _case_detail(
        selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    )


@api.post("/cases/{case_id}/survivors", response={201: SurvivorOut, **ERRORS}, tags=["cases"])
def add_survivor(request: HttpRequest, case_id: int, body: SurvivorAddIn) -> Any:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    link_fields = none_to_empty(CaseSurvivor, _set(body.link)) if body.link else {}
    if (body.person_id is None) == (body.person is None):
        raise LenteraError(
            "person_required", "give exactly one of person_id or person", field="person"
        )
    if body.person_id is not None:
        person = selectors.person_get_for_user(
            actor=request.user, person_id=body.person_id, audit=False
        )
        link = services.case_survivor_add(
            actor=request.user, case=case, person=person, **link_fields
        )
    else:
        link = services.case_survivor_create(
            actor=request.user,
            case=case,
            person_fields=none_to_empty(Person, _set(body.person)),
            link_fields=link_fields,
        )
    return Status(201, _survivor_out(link))


@api.patch("/survivors/{link_id}", response={200: SurvivorOut, **ERRORS}, tags=["cases"])
def update_survivor_link(
    request: HttpRequest, link_id: int, body: SurvivorLinkIn, version: int
) -> Any:
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    data = none_to_empty(CaseSurvivor, _set(body))
    link = services.case_survivor_update(actor=request.user, link=link, version=version, **data)
    return _survivor_out(link)


@api.get(
    "/cases/{case_id}/facts/{link_id}",
    response={200: dict, **ERRORS},
    tags=["cases"],
    summary="Case facts (lentera.case-facts/1.1) for one survivor",
)
def get_case_facts(request: HttpRequest, case_id: int, link_id: int) -> Any:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id)
    link = next((s for s in case.survivors.all() if s.pk == link_id), None)
    if link is None:
        raise LenteraError("not_found", "survivor not found in this case", kind="not_found")
    return case_facts_for(case, link).to_json_dict()


class PersonQuery(PageQuery):
    q: str = ""


@api.get("/persons", response={200: PersonPage, **ERRORS}, tags=["persons"])
def list_persons(request: HttpRequest, query: Query[PersonQuery]) -> Any:
    rows, meta = page_of(selectors.person_list_for_user(actor=request.user, q=query.q), query)
    if rows:
        audit_log(
            actor=request.user,
            action=AuditAction.READ,
            object_type="cases.person",
            detail={"ids": [p.pk for p in rows]},
        )
    return {**meta, "results": [_person_out(p) for p in rows]}


@api.post("/persons", response={201: PersonOut, **ERRORS}, tags=["persons"])
def create_person(request: HttpRequest, body: PersonIn) -> Any:
    person = services.person_create(actor=request.user, **none_to_empty(Person, _set(body)))
    return Status(201, _person_out(person))


@api.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"])
def get_person(request: HttpRequest, person_id: int) -> Any:
    return _person_out(selectors.person_get_for_user(actor=request.user, person_id=person_id))


@api.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"])
def update_person(request: HttpRequest, person_id: int, body: PersonPatch) -> Any:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    person = services.person_update(
        actor=request.user, person=person, version=body.version, **none_to_empty(Person, _set(body))
    )
    return _person_out(person)


FACTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "lentera.case-facts/1 or /1.1 (see `lentera schema case-facts`)",
                }
            }
        },
    }
}


@api.post(
    "/screening",
    response={200: dict, **ERRORS},
    tags=["engines"],
    summary="Screen case facts (lentera.case-facts/1 or /1.1) against the ILO/EC indicators → lentera.screening/1",
    openapi_extra=FACTS_BODY,
)
def screen_facts(request: HttpRequest) -> Any:
    require_case_role(request.user)
    return screen(request.body or b"{}").to_dict()


@api.post(
    "/qualification",
    response={200: dict, **ERRORS},
    tags=["engines"],
    summary="Qualify case facts under Palermo and Indonesian law → lentera.qualification/1",
    openapi_extra=FACTS_BODY,
)
def qualify_facts(request: HttpRequest, as_of: str | None = None) -> Any:
    require_case_role(request.user)
    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise LenteraError("invalid_date", "as_of must be YYYY-MM-DD", field="as_of") from None
    return qualify(request.body or b"{}", as_of=day).to_dict()


api.add_router("/", referrals_router)
api.add_router("/", reintegration_router)
api.add_router("/", contacts_router)
api.add_router("/", outreach_router)
