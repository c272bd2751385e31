"""REST API: token auth, org scope, pagination, validation, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lentera.web.accounts.services import api_token_issue
from lentera.web.cases.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_a(worker_a: Any) -> str:
    return api_token_issue(actor=None, user=worker_a)


def call(method: str, url: str, token: str, body: Any = None) -> Any:
    client = Client()
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs.update(content_type="application/json", data=json.dumps(body))
    return getattr(client, method)(url, **kwargs)


def test_requires_authentication() -> None:
    assert Client().get("/api/cases").status_code == 401
    assert call("get", "/api/cases", "lnt_bogus").status_code == 401


def test_create_case_and_survivor_then_read(token_a: str) -> None:
    r = call(
        "post",
        "/api/cases",
        token_a,
        {"opened_on": "2026-01-02", "offence_date": "2025-10-01", "summary": "lewat API"},
    )
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["reference"].startswith("ALFA-2026-")
    r = call(
        "post",
        f"/api/cases/{case['id']}/survivors",
        token_a,
        {
            "person": {"full_name": "Siti Aminah", "nik": "3201014101010001", "sex": "female"},
            "link": {"exploitation_types": ["forced_labour"]},
        },
    )
    assert r.status_code == 201, r.content
    r = call("get", f"/api/cases/{case['id']}", token_a)
    assert r.status_code == 200
    detail = r.json()
    assert detail["survivors"][0]["person"]["full_name"] == "Siti Aminah"
    r = call("get", "/api/cases?q=aminah", token_a)
    assert r.json()["count"] == 1
    link_id = detail["survivors"][0]["id"]
    facts = call("get", f"/api/cases/{case['id']}/facts/{link_id}", token_a).json()
    assert facts["schema"] == "lentera.case-facts/1.1" and facts["exploitation"]["purposes"] == [
        "forced_labour"
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"full_name": "X", "nik": "12"}, "nik"),
        ({"full_name": "X", "origin_regency_code": "9999"}, "origin_regency_code"),
        ({"full_name": "X", "birth_date": "2199-01-01"}, "birth_date"),
    ],
)
def test_invalid_person_rejected_with_field(token_a: str, body: dict[str, Any], field: str) -> None:
    r = call("post", "/api/persons", token_a, body)
    assert r.status_code == 400
    assert r.json()["field"] == field
    assert Person.objects.count() == 0


def test_impossible_date_and_unknown_field_are_422(token_a: str) -> None:
    assert (
        call(
            "post", "/api/persons", token_a, {"full_name": "X", "birth_date": "2020-02-31"}
        ).status_code
        == 422
    )
    assert (
        call(
            "post", "/api/persons", token_a, {"full_name": "X", "favourite_colour": "red"}
        ).status_code
        == 422
    )


def test_stale_patch_is_409(token_a: str, worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    assert (
        call("patch", f"/api/cases/{case.pk}", token_a, {"version": 1, "summary": "a"}).status_code
        == 200
    )
    r = call("patch", f"/api/cases/{case.pk}", token_a, {"version": 1, "summary": "b"})
    assert r.status_code == 409 and r.json()["code"] == "stale_version"


def test_pagination(token_a: str, worker_a: Any, build_case: Any) -> None:
    for _ in range(3):
        build_case(worker_a)
    r = call("get", "/api/cases?page_size=2&page=2", token_a).json()
    assert r["count"] == 3 and r["pages"] == 2 and r["page"] == 2 and len(r["results"]) == 1


def test_other_org_token_sees_nothing(worker_a: Any, worker_b: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    token_b = api_token_issue(actor=None, user=worker_b)
    assert call("get", f"/api/cases/{case.pk}", token_b).status_code == 404
    assert call("get", "/api/cases", token_b).json()["count"] == 0
    assert (
        call("get", f"/api/persons/{case.survivors.first().person_id}", token_b).status_code == 404
    )


def test_openapi_document(token_a: str, worker_a: Any) -> None:
    assert Client().get("/api/openapi.json").status_code == 401  # documentation needs a login
    assert Client().get("/api/docs").status_code == 401
    c = Client()
    c.force_login(worker_a)
    r = c.get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/cases" in paths and "/api/persons/{person_id}" in paths
