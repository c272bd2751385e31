"""Finding 10 (LOW): malformed input gets a clear 400 naming the field, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lentera.web.accounts.services import api_token_issue
from lentera.web.cases.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(worker_a: Any) -> Any:
    token = api_token_issue(actor=None, user=worker_a)

    def call(method: str, path: str, body: bytes | str) -> Any:
        return getattr(Client(), method)(
            path, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return call


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/persons", '{"full_name": "\\ud800"}', "full_name"),  # lone surrogate
        ("/api/persons", '{"full_name": "Siti\\u000bAminah"}', "full_name"),  # control char
        ("/api/persons", json.dumps({"full_name": "x", "phone": "0" * 100_000}), "phone"),
        ("/api/screening", "[" * 100_000, None),  # deeply nested
        ("/api/screening", '{"a":' * 40 + "1" + "}" * 40, None),
        ("/api/qualification", '{"n": ' + "9" * 5000 + "}", None),  # huge number
        ("/api/qualification", '{"n": 1e999}', None),
        ("/api/qualification", b"\x80\x81not utf-8", None),
    ],
)
def test_api_refuses_malformed_input_with_400(api: Any, path: str, body: Any, field: Any) -> None:
    before = Person.objects.count()
    r = api("post", path, body)
    assert r.status_code == 400, (path, r.status_code, r.content[:200])
    payload = r.json()
    assert payload["code"] == "invalid_input" and payload["message"]
    if field:
        assert payload["field"] == field
    assert Person.objects.count() == before


def test_forms_and_query_strings_refuse_control_characters(worker_a: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    r = c.post("/cases/new/", {"summary": "ringkasan\x01", "opened_on": "2025-01-01"})
    assert r.status_code == 400 and "summary" in r.content.decode()
    assert c.get("/cases/?q=Siti%0BAminah").status_code == 400


def test_docx_memo_survives_control_characters_stored_earlier(
    users_a: dict[str, Any], build_case: Any
) -> None:
    """Text stored before the gate existed must not break the identified memo."""
    case = build_case(users_a["caseworker"], name="Siti Aminah")
    link = case.survivors.first()
    Person.objects.filter(pk=link.person_id).update(full_name="Siti\x0bAminah\x01")
    c = Client()
    c.force_login(users_a["legal"])
    r = c.get(f"/assessments/survivors/{link.pk}/memo.docx?identify=1")
    assert r.status_code == 200 and r.content.startswith(b"PK")
