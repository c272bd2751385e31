"""Finding 7 (LOW–MEDIUM): an attacker script that tries to isolate one survivor through
combined dashboard filters (the review's Lampung boy) learns nothing below the threshold."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lentera.web.cases.models import CaseSurvivor, Person
from lentera.web.insights import services

pytestmark = pytest.mark.django_db

THRESHOLD = 5


@pytest.fixture
def population(users_a: dict[str, Any], build_case: Any, settings: Any, tmp_path: Path) -> None:
    """Six survivors from Lampung (18): five women and one boy of 12; ten women elsewhere."""
    settings.DATA_DIR = tmp_path
    worker = users_a["caseworker"]
    links = [build_case(worker, name=f"Orang {i}", nik="").survivors.first() for i in range(16)]
    for link in links[:6]:
        Person.objects.filter(pk=link.person_id).update(
            origin_province_code="18", origin_regency_code="1801"
        )
    boy = links[0]
    Person.objects.filter(pk=boy.person_id).update(sex="male", birth_date=dt.date(2012, 6, 1))
    CaseSurvivor.objects.filter(pk=boy.pk).update(
        age_at_offence=12, exploitation_types=["sexual_exploitation"]
    )
    services.rebuild(actor=users_a["analyst"])


def _survivors(client: Client, query: dict[str, str]) -> tuple[bool, Any]:
    r = client.get("/insights/", query)
    assert r.status_code == 200
    refused = bool(r.context["form"].non_field_errors())
    value = {str(k): v for k, v in r.context["kpis"]}["Survivors"]
    return refused, value


def test_attacker_cannot_isolate_one_survivor(population: None, users_a: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users_a["analyst"])
    client.cookies["lentera_language"] = "en"
    axes = {
        "province": ["", "18"],
        "sex": ["", "female", "male", "unknown"],
        "age_band": ["", "9-17", "24-26"],
        "exploitation_type": ["", "sexual_exploitation"],
    }
    answers: dict[frozenset[tuple[str, str]], Any] = {}
    for combo in itertools.product(*axes.values()):
        query = {k: v for k, v in zip(axes, combo, strict=True) if v}
        refused, value = _survivors(client, query)
        if not refused:
            answers[frozenset(query.items())] = value
    numbers = {q: int(v) for q, v in answers.items() if str(v).isdigit()}
    # no answer counts between 1 and threshold-1 survivors
    assert not [q for q, n in numbers.items() if 0 < n < THRESHOLD]
    # no two answers on nested filter sets differ by 1..threshold-1
    leaks = [
        (sorted(a), sorted(b), numbers[a] - numbers[b])
        for a in numbers
        for b in numbers
        if a < b and 0 < numbers[a] - numbers[b] < THRESHOLD
    ]
    assert not leaks, leaks[:3]
    # the boy's attributes are never answered for a population that small
    assert not [q for q in answers if ("sex", "male") in q and ("province", "18") in q]
    assert frozenset() in answers  # the organisation-wide view stays
