"""The web pages end to end through Django's test client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from lentera.web.audit.models import AuditEvent
from lentera.web.cases import services
from lentera.web.cases.choices import CaseStatus
from lentera.web.cases.models import Case, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_a(worker_a: Any) -> Client:
    c = Client()
    c.force_login(worker_a)
    return c


def test_login_page_indonesian_by_default_and_english_on_request(worker_a: Any) -> None:
    c = Client()
    page = c.get("/accounts/login/").content.decode()
    assert 'lang="id"' in page and "Masuk" in page
    c.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = c.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page and "Log in" in page


def test_login_is_audited_and_failures_too(worker_a: Any) -> None:
    c = Client()
    assert (
        c.post("/accounts/login/", {"username": "a_caseworker", "password": "wrong"}).status_code
        == 200
    )
    assert (
        c.post("/accounts/login/", {"username": "a_caseworker", "password": "x"}).status_code == 302
    )
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "login_failed" in actions and "login" in actions


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_case_add_survivor_edit(client_a: Client, worker_a: Any) -> None:
    response = client_a.post(
        "/cases/new/",
        {
            "status": "active",
            "opened_on": "2026-01-10",
            "offence_date": "2025-12-01",
            "summary": "Ringkasan",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    response = client_a.post(
        f"/cases/{case.pk}/survivors/new/",
        {
            "p-full_name": "Ni Made Sari",
            "p-nik": "5171014506000002",
            "p-sex": "female",
            "p-gender": "feminine",
            "p-citizenship": "ID",
            "p-origin_province_code": "51",
            "p-origin_regency_code": "5171",
            "p-education": "primary",
            "p-marital_status": "single",
            "s-trafficking_status": "possible_victim",
            "s-exploitation_types": ["sexual_exploitation"],
            "s-means_of_control": ["debt_bondage", "threats"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    detail = client_a.get(f"/cases/{case.pk}/").content.decode()
    assert ("Ni Made Sari" in detail and "Jeratan utang" in detail) or "Debt bondage" in detail
    link = case.survivors.get()
    response = client_a.post(
        f"/cases/survivors/{link.pk}/edit/",
        {
            "p-version": link.person.version,
            "s-version": link.version,
            "p-full_name": "Ni Made Sari Dewi",
            "p-sex": "female",
            "p-gender": "feminine",
            "p-citizenship": "ID",
            "p-origin_province_code": "51",
            "p-origin_regency_code": "5171",
            "p-education": "primary",
            "p-marital_status": "single",
            "s-trafficking_status": "actual_victim",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().full_name == "Ni Made Sari Dewi"


def test_invalid_nik_shows_message_and_saves_nothing(client_a: Client) -> None:
    client_a.post("/cases/new/", {"status": "active", "opened_on": "2026-01-10"})
    case = Case.objects.get()
    response = client_a.post(
        f"/cases/{case.pk}/survivors/new/",
        {
            "p-full_name": "Ketut",
            "p-nik": "123",
            "p-sex": "male",
            "p-gender": "masculine",
            "p-citizenship": "ID",
            "p-education": "unknown",
            "p-marital_status": "unknown",
            "s-trafficking_status": "possible_victim",
        },
    )
    assert response.status_code == 200
    assert "16" in response.content.decode()
    assert Person.objects.count() == 0


def test_impossible_date_rejected(client_a: Client) -> None:
    response = client_a.post("/cases/new/", {"status": "active", "opened_on": "2026-02-30"})
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_case_list_search_and_htmx_partial(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    page = client_a.get("/cases/?q=sutinah").content.decode()
    assert case.reference in page and "<html" in page
    partial = client_a.get(
        "/cases/?q=sutinah", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-results"
    ).content.decode()
    assert case.reference in partial and "<html" not in partial


def test_opening_a_case_writes_a_read_audit_row(
    client_a: Client, worker_a: Any, build_case: Any
) -> None:
    case = build_case(worker_a)
    client_a.get(f"/cases/{case.pk}/")
    row = AuditEvent.objects.filter(action="read", object_type="cases.case").last()
    assert row is not None and row.object_id == str(case.pk) and row.actor_id == worker_a.pk


def test_stale_form_save_shows_conflict(client_a: Client, worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    data = {"version": 1, "status": "active", "opened_on": "2025-03-01", "summary": "edit one"}
    assert client_a.post(f"/cases/{case.pk}/edit/", data).status_code == 302
    data["summary"] = "edit two"
    response = client_a.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200
    assert Case.objects.get().summary == "edit one"


def test_every_main_page_renders(client_a: Client, worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    urls = [
        "/",
        "/cases/",
        "/cases/new/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/edit/",
        f"/cases/{case.pk}/survivors/new/",
        f"/cases/{case.pk}/survivors/link/?q=sutinah",
        f"/cases/survivors/{link.pk}/edit/",
        f"/cases/{case.pk}/perpetrators/new/",
        f"/cases/perpetrators/{case.perpetrators.first().pk}/edit/",
        f"/cases/{case.pk}/events/new/",
        f"/cases/events/{case.events.first().pk}/edit/",
        f"/cases/{case.pk}/consents/new/",
        "/cases/regencies/?province=53",
    ]
    for url in urls:
        assert client_a.get(url).status_code == 200, url


def test_unknown_url_gives_friendly_404(client_a: Client) -> None:
    response = client_a.get("/cases/999999/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


def test_indonesian_even_when_the_browser_asks_for_english(worker_a: Any) -> None:
    """Lentera opens in Bahasa Indonesia whatever Accept-Language says; the cookie switches."""
    c = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = c.get("/accounts/login/").content.decode()
    assert 'lang="id"' in page and "Masuk" in page


def test_case_list_shows_each_status_in_the_page_language(client_a: Client, worker_a: Any) -> None:
    services.case_open(actor=worker_a, status="active")
    services.case_open(actor=worker_a, status="follow_up")
    html = client_a.get("/cases/").content.decode()
    with translation.override("id"):
        for status in (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP):
            assert f'<span class="tag s-{status.value}">{status.label}</span>' in html
