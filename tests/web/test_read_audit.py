"""Finding 6 (MEDIUM): every response that carries a survivor's identity writes an audit row.

The routes are enumerated from Django's URL resolver and the OpenAPI document; each is
requested as organisation A's admin and caseworker, and any response that shows one of
the survivor's identifiers must have written an audit row — whatever the route is
declared as in ``lentera.web.core.reads``.
"""

from __future__ import annotations

from typing import Any

import pytest
from _routes import SECRETS, build_world, django_routes, fill, fill_openapi, openapi_operations
from django.test import Client

from lentera.web.audit.models import AuditEvent
from lentera.web.core.reads import IDENTITY_ROUTES, NO_IDENTITY_ROUTES

pytestmark = pytest.mark.django_db


def test_every_route_is_classified() -> None:
    names = {r.name for r in django_routes()}
    unclassified = sorted(n for n in names if n not in IDENTITY_ROUTES | NO_IDENTITY_ROUTES)
    assert not unclassified, f"classify these routes in lentera.web.core.reads: {unclassified}"
    assert not set(IDENTITY_ROUTES) & set(NO_IDENTITY_ROUTES)


def test_every_identity_response_is_audited(users_a: dict[str, Any], build_case: Any) -> None:
    world = build_world(users_a, build_case)
    urls = [(r.name, fill(r, world)) for r in django_routes()]
    urls += [
        (op_id, fill_openapi("/api" + path if not path.startswith("/api") else path, world))
        for path, method, op_id in openapi_operations()
        if method == "GET"
    ]
    shown = 0
    for role in ("org_admin", "caseworker"):
        client = Client()
        client.force_login(users_a[role])
        for name, url in urls:
            before = AuditEvent.objects.count()
            response = client.get(url)
            body = response.content.decode(errors="replace")
            carries = [s for s in SECRETS if s in body]
            if carries:
                shown += 1
                assert AuditEvent.objects.count() > before, (role, name, url, carries)
            if name in IDENTITY_ROUTES and response.status_code == 200:
                assert AuditEvent.objects.count() > before, (role, name, url)
    assert shown >= 20, shown
    print(
        f"read-audit sweep: {len(urls)} URLs x 2 roles, {shown} responses with identity, all audited"
    )


def test_referral_list_and_duplicates_audit_the_ids(
    users_a: dict[str, Any], build_case: Any
) -> None:
    world = build_world(users_a, build_case)
    client = Client()
    client.force_login(users_a["caseworker"])
    assert client.get("/api/referrals?box=sent").status_code == 200
    row = AuditEvent.objects.filter(object_type="referrals.referral", action="read").last()
    assert row is not None and row.detail["ids"] == [world["referral_id"]]
    assert client.get("/cases/duplicates/").status_code == 200
    row = AuditEvent.objects.filter(object_type="cases.person", action="read").last()
    assert world["person_id"] in row.detail["ids"]


def test_personal_responses_are_not_cached(users_a: dict[str, Any], build_case: Any) -> None:
    world = build_world(users_a, build_case)
    client = Client()
    client.force_login(users_a["caseworker"])
    for url in (
        f"/cases/{world['case_id']}/",
        f"/cases/persons/{world['person_id']}/",
        f"/referrals/{world['referral_id']}/",
        f"/assessments/survivors/{world['link_id']}/legal/",
        f"/api/persons/{world['person_id']}",
    ):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url
