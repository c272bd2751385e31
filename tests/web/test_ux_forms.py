"""Caseworker UX classes (issue 16): htmx targets exist, regions by name, contradictions named."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _targets_exist(page: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    targets = re.findall(r'hx-target="#([^"]+)"', page)
    for target in targets:
        assert target in ids, f"hx-target #{target} points at nothing on the page"


def test_every_htmx_target_exists_on_create_and_edit_pages(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    link = case.survivors.first()
    client = _client(worker_a)
    pages = [
        f"/cases/{case.pk}/survivors/new/",
        f"/cases/survivors/{link.pk}/edit/",
        f"/cases/{case.pk}/events/new/",
        f"/cases/{case.pk}/perpetrators/new/",
        "/cases/",
    ]
    seen = 0
    for url in pages:
        page = client.get(url).content.decode()
        seen += page.count("hx-target")
        _targets_exist(page)
    assert seen >= 2


def test_regency_list_answers_the_prefixed_province(worker_a: Any) -> None:
    client = _client(worker_a)
    page = client.get("/cases/regencies/", {"p-origin_province_code": "53"}).content.decode()
    assert "Kota Kupang" in page and "Kabupaten Kupang" in page


def test_regency_outside_the_province_is_refused(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    client = _client(worker_a)
    response = client.post(
        f"/cases/{case.pk}/survivors/new/",
        {"p-full_name": "Maria", "p-citizenship": "ID", "p-origin_province_code": "53",
         "p-origin_regency_code": "3578", "confirm_new": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert case.survivors.count() == 1


def test_provider_regencies_are_picked_by_name_and_unknown_ones_refused(worker_a: Any) -> None:
    from lentera.web.referrals.forms import ProviderForm

    form = ProviderForm()
    html = str(form["regency_codes"])
    assert 'value="5303"' in html and "Kabupaten Kupang" in html
    assert 'data-search="1"' in html
    bound = ProviderForm(
        data={"name": "Rumah Aman", "institution_type": "ngo_shelter", "services": ["shelter"],
              "regency_codes": ["5371", "Kabupaten Kupang"]}
    )  # fmt: skip
    assert not bound.is_valid()
    assert "regency_codes" in bound.errors
