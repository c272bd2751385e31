"""Isolation sweep: every URL and API endpoint, as every role of organisation B,
against the objects of organisation A → 403/404 (or a redirect away), never A's data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lentera.web.assessments.services import screening_save

pytestmark = pytest.mark.django_db

ROLES = ["caseworker", "supervisor", "legal", "analyst", "org_admin"]
SECRETS = [
    "Sutinah",
    "5301054708990003",
    "081234567890",
    "Catatan rahasia",
    "Pak Calo",
    "Dijanjikan",
]


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            out.extend(_patterns(p, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            out.append((prefix + str(p.pattern), p))
    return out


def _fill(route: str, ids: dict[str, int]) -> str | None:
    """Turn a route with <int:x_id> into a URL pointing at org A's objects."""
    route = route.lstrip("^").rstrip("$")
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if any(n not in ids for n in names):
        return None
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), route)
    return "/" + url


def _referral_ids(actor: Any, *, users_a_sup: Any, case: Any, link: Any) -> dict[str, int]:
    """One of every referral-app object of organisation A (sent to a provider outside Lentera)."""
    import datetime as dt

    from lentera.web.cases.services import consent_record
    from lentera.web.referrals import services as rs
    from lentera.web.referrals.models import Notification

    provider = rs.provider_save(
        actor=actor,
        data={"name": "Rumah Aman Alfa", "institution_type": "ngo_shelter",
              "services": ["shelter"], "province_codes": ["53"]},
    )  # fmt: skip
    consent_record(
        actor=actor, person=link.person, case=case, purpose="referral", granted=True,
        shared_fields=["name", "contact", "nik"],
    )  # fmt: skip
    referral = rs.referral_send(
        actor=actor, link=link, provider=provider, services=["shelter"], reason="Butuh rumah aman."
    )
    action = rs.action_save(
        actor=actor, link=link,
        data={"service_type": "shelter", "objective": "Tempat aman", "planned_end": dt.date(2027, 1, 1)},
    )  # fmt: skip
    step = rs.legal_step_add(actor=actor, case=case, step="police_report", date=dt.date(2025, 1, 5))
    note = Notification.objects.create(user=actor, kind="referral_received", key="k", url="/")
    return {
        "referral_id": referral.pk,
        "provider_id": provider.pk,
        "action_id": action.pk,
        "step_id": step.pk,
        "notification_id": note.pk,
    }


def test_sweep_every_url_and_endpoint(
    worker_a: Any, users_b: dict[str, Any], build_case: Any
) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    ids = {
        "case_id": case.pk,
        "link_id": link.pk,
        "person_id": link.person_id,
        "perpetrator_id": case.perpetrators.first().pk,
        "event_id": case.events.first().pk,
        "screening_id": screening_save(
            actor=worker_a, link=link, indicators=["adult_labour.D4.excessive_hours"], notes={}
        ).pk,
        "fmt": "pdf",
        **_referral_ids(worker_a, users_a_sup=None, case=case, link=link),
    }
    routes = [(r, p) for r, p in _patterns() if "<" in r]
    assert len(routes) >= 15, routes
    checked = 0
    for role in ROLES:
        client = Client()
        client.force_login(users_b[role])
        for route, _p in routes:
            url = _fill(route, ids)
            if url is None:
                continue
            for method in ("get", "post", "patch"):
                if method == "patch" and not url.startswith("/api/"):
                    continue
                kwargs: dict[str, Any] = (
                    {"content_type": "application/json", "data": "{}"}
                    if url.startswith("/api/") and method != "get"
                    else {}
                )
                response = getattr(client, method)(url, **kwargs)
                body = response.content.decode(errors="replace")
                own_scope = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) == {"fmt"}
                # a route keyed only by a format (report.<fmt>, template.<fmt>) serves the caller's
                # own organisation: it may answer 200, but never with A's data
                assert own_scope or response.status_code in {400, 403, 404, 405, 409, 422}, (
                    role,
                    method,
                    url,
                    response.status_code,
                )
                for secret in SECRETS:
                    assert secret not in body, (role, method, url, secret)
                checked += 1
    assert checked > 100
    print(f"isolation sweep: {checked} requests, {len(routes)} routes, {len(ROLES)} roles: 0 leaks")
    # and org A still sees its own case
    client = Client()
    client.force_login(worker_a)
    assert "Sutinah" in client.get(f"/cases/{case.pk}/").content.decode()


def test_lists_of_other_org_are_empty(
    worker_a: Any, users_b: dict[str, Any], build_case: Any
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
            for secret in SECRETS:
                if secret.lower() in url.lower():
                    continue  # the search box echoes the query itself
                assert secret not in body, (role, url)
            assert "ALFA-" not in body, (role, url)
        assert '"count": 0' in client.get("/api/cases").content.decode().replace(
            '"count":0', '"count": 0'
        )
