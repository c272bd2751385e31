"""The survivor and perpetrator forms carry the case-facts 1.1 facts (unknown by default)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_forms_ask_the_1_1_facts_and_save_them(worker_a: Any, build_case: Any) -> None:
    c = Client()
    c.force_login(worker_a)
    case = build_case(worker_a)
    link = case.survivors.all()[0]
    page = c.get(f"/cases/survivors/{link.pk}/edit/").content.decode()
    for name in ("child_marriage", "harmful_work", "victim_pregnant", "perpetrators_acted_jointly",
                 "more_than_one_victim", "disaster_or_conflict", "electronic_means"):  # fmt: skip
        assert f'name="s-{name}"' in page, name
    page = c.get(f"/cases/{case.pk}/perpetrators/new/").content.decode()
    assert 'name="abused_power"' in page and 'name="repeat_offender"' in page
    assert 'value="caregiver"' in page  # the relationships the statutes name
    r = c.post(
        f"/cases/{case.pk}/perpetrators/new/",
        {"name": "Pengasuh", "kind": "individual", "relationship": "caregiver", "sex": "female",
         "abused_power": "false", "repeat_offender": "true"},
    )  # fmt: skip
    assert r.status_code in (200, 302)
    p = case.perpetrators.order_by("-id")[0]
    assert p.name == "Pengasuh"
    assert p.relationship == "caregiver" and p.repeat_offender is True and p.abused_power is False
