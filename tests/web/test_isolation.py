"""Isolation sweep: every URL and API endpoint, as every role of organisation B,
against the objects of organisation A → 403/404 (or a redirect away), never A's data."""

from __future__ import annotations

from typing import Any

import pytest
from _routes import SECRETS as ROUTE_SECRETS
from _routes import build_world, django_routes, fill, fill_openapi, openapi_operations
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets(planted_secrets: tuple[str, ...]) -> list[str]:
    """What build_case plants, and what the route world adds (tests/web/_routes.py)."""
    return list(dict.fromkeys([*planted_secrets, *ROUTE_SECRETS]))


def test_sweep_every_route_by_construction(
    users_a: dict[str, Any],
    users_b: dict[str, Any],
    build_case: Any,
    roles: list[str],
    secrets: list[str],
) -> None:
    """Every route of Django's URL resolver (GET and POST) and every operation of the OpenAPI
    document (its own method), as every role of organisation B, against one object of every
    kind of organisation A. A route whose arguments cannot be built fails the test
    (tests/web/_routes.py), it is never skipped."""
    world = build_world(users_a, build_case)
    routes = django_routes()
    requests: list[tuple[str, str, str, bool]] = []  # (name, method, url, addresses A's record)
    for route in routes:
        url = fill(route, world)
        own_scope = not any(a.endswith("_id") for a in route.args)
        for method in ("GET", "POST"):
            requests.append((route.name, method, url, not own_scope))
    operations = openapi_operations()
    for path, method, op_id in operations:
        url = fill_openapi(path if path.startswith("/api") else "/api" + path, world)
        requests.append((f"api:{op_id}", method, url, "{" in path))
    checked = 0
    for role in roles:
        user = users_b[role]
        client = Client()
        client.force_login(user)
        for name, method, url, addresses_a in requests:
            kwargs: dict[str, Any] = (
                {"content_type": "application/json", "data": "{}"}
                if url.startswith("/api/") and method != "GET"
                else {}
            )
            response = getattr(client, method.lower())(url, **kwargs)
            body = response.content.decode(errors="replace")
            if addresses_a:
                assert response.status_code in {400, 403, 404, 405, 409, 422}, (
                    role, method, name, url, response.status_code,
                )  # fmt: skip
            for secret in secrets:
                assert secret not in body, (role, method, name, url, secret)
            checked += 1
            if "_auth_user_id" not in client.session:  # the logout route ended the session
                client.force_login(user)
    covered = {n for n, *_ in requests}
    assert {r.name for r in routes} <= covered
    print(
        f"isolation sweep: {checked} requests = {len(requests)} per role x {len(roles)} roles; "
        f"{len(routes)} URL patterns + {len(operations)} OpenAPI operations, 100% covered; 0 leaks"
    )
    # and org A still sees its own case
    client = Client()
    client.force_login(users_a["caseworker"])
    assert "Sutinah" in client.get(f"/cases/{world['case_id']}/").content.decode()


def test_lists_of_other_org_are_empty(
    worker_a: Any, users_b: dict[str, Any], build_case: Any, secrets: list[str]
) -> None:
    build_case(worker_a)
    for role in ("caseworker", "supervisor", "legal", "org_admin"):
        client = Client()
        client.force_login(users_b[role])
        for url in (
            "/cases/?q=Sutinah",
            "/cases/?q=5301054708990003",
            "/api/cases?q=sutinah",
            "/api/persons?q=sutinah",
            "/api/cases",
            "/api/persons",
        ):
            body = client.get(url).content.decode()
            for secret in secrets:
                if secret.lower() in url.lower():
                    continue  # the search box echoes the query itself
                assert secret not in body, (role, url)
            assert "ALFA-" not in body, (role, url)
        assert '"count": 0' in client.get("/api/cases").content.decode().replace(
            '"count":0', '"count": 0'
        )
