"""The REST API (django-ninja): org-scoped, paginated, token or session auth.

Errors: a :class:`LenteraError` becomes ``{"code", "message", "field"}`` with
400/403/404/409; request bodies that do not match the schema get 422 with the
field named.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from lentera.errors import LenteraError
from lentera.web.accounts.models import ApiToken
from lentera.web.api.schemas import (
    CaseDetailOut,
    CaseIn,
    CasePatch,
    CaseSummaryOut,
    ErrorOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    SurvivorAddIn,
    SurvivorLinkIn,
    SurvivorOut,
)
from lentera.web.cases import selectors, services
from lentera.web.cases.facts import case_facts_for
from lentera.web.core.access import require_case_role
from lentera.web.core.middleware import HTTP_STATUS


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=digest, revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active or not row.is_usable:
            return None
        if row.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            from ninja.errors import HttpError

            raise HttpError(403, "this API token is read-only")
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


def _docs_login_required(view: Any) -> Any:
    """The API description (openapi.json, /api/docs) is for logged-in users only."""
    from functools import wraps

    from django.http import JsonResponse

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"code": "login_required", "message": "log in to read the API description",
                 "field": None},
                status=401,
            )  # fmt: skip
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Lentera API",
    version="1",
    description="Cases and survivors of one organisation. Every call is scoped to the caller's organisation and audited.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    docs_decorator=_docs_login_required,
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


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    text_fields = {
        "other_names",
        "nik",
        "origin_address",
        "origin_province_code",
        "origin_regency_code",
        "phone",
        "gender",
        "education",
        "marital_status",
        "sex",
        "citizenship",
    }
    return {k: ("" if v is None and k in text_fields else v) for k, v in data.items()}


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
        {
            f: getattr(p, f)
            for f in (
                "id",
                "name",
                "kind",
                "roles",
                "relationship",
                "sex",
                "nationality",
                "is_state_official",
                "is_organised_group",
            )
        }
        for p in case.perpetrators.all()
    ]
    out["events"] = [
        {
            f: getattr(e, f)
            for f in ("id", "stage", "date", "country", "region_code", "place", "description")
        }
        for e in case.events.all()
    ]
    return out


class CaseQuery(Schema):
    q: str = ""
    status: str = ""
    province: str = ""
    exploitation_type: str = ""
    page: int = 1
    page_size: int = 25


class CasePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseSummaryOut]


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonOut]


def _paginate(qs: Any, page: int, page_size: int) -> tuple[Any, int, int, int]:
    page_size = max(1, min(page_size, 100))
    paginator = Paginator(qs, page_size)
    page = max(1, min(page, max(1, paginator.num_pages)))
    return (
        paginator.page(page).object_list,
        paginator.count,
        page,
        max(1, math.ceil(paginator.count / page_size)),
    )


@api.get("/cases", response={200: CasePage, **ERRORS}, tags=["cases"])
def list_cases(request: HttpRequest, query: Query[CaseQuery]) -> Any:
    filters = selectors.CaseFilters(
        q=query.q,
        status=query.status,
        province=query.province,
        exploitation_type=query.exploitation_type,
    )
    rows, count, page, pages = _paginate(
        selectors.case_list_for_user(actor=request.user, filters=filters),
        query.page,
        query.page_size,
    )
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "results": [_case_summary(c) for c in selectors.with_survivor_counts(rows)],
    }


@api.post("/cases", response={201: CaseDetailOut, **ERRORS}, tags=["cases"])
def create_case(request: HttpRequest, body: CaseIn) -> Any:
    data = {
        k: ("" if v is None and k in {"summary", "closure_reason", "status"} else v)
        for k, v in _set(body).items()
    }
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
    data = {
        k: ("" if v is None and k in {"summary", "closure_reason"} else v)
        for k, v in _set(body).items()
    }
    services.case_update(actor=request.user, case=case, version=body.version, **data)
    return _case_detail(
        selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    )


@api.post("/cases/{case_id}/survivors", response={201: SurvivorOut, **ERRORS}, tags=["cases"])
def add_survivor(request: HttpRequest, case_id: int, body: SurvivorAddIn) -> Any:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    link_fields = _set(body.link) if body.link else {}
    link_fields = {
        k: ("" if v is None and k in {"sector", "recruitment_method"} else v)
        for k, v in link_fields.items()
    }
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
            person_fields=_clean_person(_set(body.person)),
            link_fields=link_fields,
        )
    return Status(201, _survivor_out(link))


@api.patch("/survivors/{link_id}", response={200: SurvivorOut, **ERRORS}, tags=["cases"])
def update_survivor_link(
    request: HttpRequest, link_id: int, body: SurvivorLinkIn, version: int
) -> Any:
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    data = {
        k: ("" if v is None and k in {"sector", "recruitment_method"} else v)
        for k, v in _set(body).items()
    }
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


class PersonQuery(Schema):
    q: str = ""
    page: int = 1
    page_size: int = 25


@api.get("/persons", response={200: PersonPage, **ERRORS}, tags=["persons"])
def list_persons(request: HttpRequest, query: Query[PersonQuery]) -> Any:
    rows, count, page, pages = _paginate(
        selectors.person_list_for_user(actor=request.user, q=query.q), query.page, query.page_size
    )
    rows = list(rows)
    from lentera.web.audit.models import AuditAction
    from lentera.web.audit.services import audit_log

    if rows:
        audit_log(
            actor=request.user,
            action=AuditAction.READ,
            object_type="cases.person",
            detail={"ids": [p.pk for p in rows]},
        )
    return {"count": count, "page": page, "pages": pages, "results": [_person_out(p) for p in rows]}


@api.post("/persons", response={201: PersonOut, **ERRORS}, tags=["persons"])
def create_person(request: HttpRequest, body: PersonIn) -> Any:
    person = services.person_create(actor=request.user, **_clean_person(_set(body)))
    return Status(201, _person_out(person))


@api.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"])
def get_person(request: HttpRequest, person_id: int) -> Any:
    return _person_out(selectors.person_get_for_user(actor=request.user, person_id=person_id))


@api.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"])
def update_person(request: HttpRequest, person_id: int, body: PersonPatch) -> Any:
    person = selectors.person_get_for_user(actor=request.user, person_id=person_id, audit=False)
    person = services.person_update(
        actor=request.user, person=person, version=body.version, **_clean_person(_set(body))
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
    from lentera.screening import screen

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
    import datetime as dt

    from lentera.law import qualify

    require_case_role(request.user)
    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise LenteraError("invalid_date", "as_of must be YYYY-MM-DD", field="as_of") from None
    return qualify(request.body or b"{}", as_of=day).to_dict()


def _mount_routers() -> None:
    from lentera.web.referrals.api import router as referrals_router

    api.add_router("/", referrals_router)


_mount_routers()
