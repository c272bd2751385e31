"""The ORM → lentera.case-facts/1 bridge."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.facts import CaseFacts
from lentera.web.cases import selectors, services
from lentera.web.cases.facts import case_facts_for

pytestmark = pytest.mark.django_db


def test_known_case_gives_exact_document(worker_a: Any, build_case: Any) -> None:
    case = build_case(worker_a)
    case = selectors.case_get_for_user(actor=worker_a, case_id=case.pk, audit=False)
    link = case.survivors.all()[0]
    services.case_survivor_update(
        actor=worker_a,
        link=link,
        exploitation_occurred=True,
        is_migrant_worker=True,
        documents_falsified=True,
        harm=["serious_injury"],
    )
    case = selectors.case_get_for_user(actor=worker_a, case_id=case.pk, audit=False)
    facts = case_facts_for(case, case.survivors.all()[0]).to_json_dict()
    assert facts == {
        "schema": "lentera.case-facts/1",
        "case_ref": case.reference,
        "offence_date": "2024-11-05",
        "victim": {"age_at_offence": 25, "sex": "female", "citizenship": "ID", "disability": None},
        "movement": {
            "origin_country": "ID",
            "destination_country": "MY",
            "origin_region": "5301",
            "destination_region": None,
            "crossed_regions_within_indonesia": None,
        },
        "acts": ["recruitment"],
        "means": ["deception", "other_coercion"],
        "exploitation": {"purposes": ["forced_labour"], "occurred": True},
        "harm": ["serious_injury"],
        "perpetrator": {
            "state_official": False,
            "corporation": False,
            "organised_group": None,
            "parent_or_guardian": False,
            "individual_placing_migrant_workers": True,
        },
        "migrant_work": {
            "is_migrant_worker": True,
            "documents_falsified": True,
            "age_falsified": None,
            "job_differs_from_contract": None,
            "placed_in_closed_country": None,
        },
        "indicators": [],
    }


def test_unknowns_are_null(worker_a: Any) -> None:
    """A bare case with a bare survivor yields nulls and empty lists, never false."""
    case = services.case_open(actor=worker_a)
    link = services.case_survivor_create(
        actor=worker_a, case=case, person_fields={"full_name": "Ketut"}
    )
    case = selectors.case_get_for_user(actor=worker_a, case_id=case.pk, audit=False)
    facts = case_facts_for(case, case.survivors.get(pk=link.pk))
    assert isinstance(facts, CaseFacts)
    doc = facts.to_json_dict()
    assert doc["offence_date"] is None
    assert doc["victim"] == {
        "age_at_offence": None,
        "sex": "unknown",
        "citizenship": "ID",
        "disability": None,
    }
    assert (
        doc["acts"] == []
        and doc["means"] == []
        and doc["exploitation"] == {"purposes": [], "occurred": None}
    )
    assert all(v is None for v in doc["perpetrator"].values())
    assert all(v is None for v in doc["migrant_work"].values())
    assert all(v is None for v in doc["movement"].values())


def test_domestic_movement_and_child_age(worker_a: Any) -> None:
    case = services.case_open(actor=worker_a, offence_date=dt.date(2025, 6, 1))
    services.case_survivor_create(
        actor=worker_a,
        case=case,
        person_fields={
            "full_name": "Anak",
            "birth_date": dt.date(2010, 6, 2),
            "origin_province_code": "53",
        },
        link_fields={
            "exploitation_types": ["sexual_exploitation"],
            "sex_exploitation_types": ["prostitution"],
        },
    )
    services.event_add(
        actor=worker_a, case=case, stage="exploitation", country="ID", region_code="2171"
    )
    services.perpetrator_add(
        actor=worker_a, case=case, kind="individual", roles=["exploiter"], relationship="parent"
    )
    case = selectors.case_get_for_user(actor=worker_a, case_id=case.pk, audit=False)
    doc = case_facts_for(case, case.survivors.all()[0]).to_json_dict()
    assert doc["victim"]["age_at_offence"] == 14
    assert doc["movement"]["origin_region"] == "53"
    assert doc["movement"]["destination_region"] == "2171"
    assert doc["movement"]["crossed_regions_within_indonesia"] is True
    assert doc["exploitation"]["purposes"] == ["prostitution"]
    assert doc["perpetrator"]["parent_or_guardian"] is True
