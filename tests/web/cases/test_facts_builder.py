"""The ORM → lentera.case-facts/1.1 bridge."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lentera.facts import CaseFacts
from lentera.web.cases import selectors, services
from lentera.web.cases.facts import case_facts_for

pytestmark = pytest.mark.django_db

#: the conftest case has one perpetrator, a neighbour: known, and not a statutory group
RELATIONS_OF_BUILT_CASE: list[str] = []


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
        "schema": "lentera.case-facts/1.1",
        "case_ref": case.reference,
        "offence_date": "2024-11-05",
        "victim": {
            "age_at_offence": 25,
            "sex": "female",
            "citizenship": "ID",
            "disability": None,
            "pregnant": None,
            "unconscious_or_helpless": None,
        },
        "movement": {
            "origin_country": "ID",
            "destination_country": "MY",
            "origin_region": "5301",
            "destination_region": None,
            "crossed_regions_within_indonesia": None,
        },
        "acts": ["recruitment"],
        "means": ["deception", "other_coercion"],
        "exploitation": {
            "purposes": ["forced_labour"],
            "occurred": True,
            "child_marriage": None,
            "harmful_work": None,
        },
        "harm": ["serious_injury"],
        "perpetrator": {
            "state_official": False,
            "corporation": False,
            "organised_group": None,
            "parent_or_guardian": False,
            "individual_placing_migrant_workers": True,
            "abused_power": None,
            "relations": RELATIONS_OF_BUILT_CASE,
            "acted_jointly": None,
            "repeat_offender": None,
        },
        "migrant_work": {
            "is_migrant_worker": True,
            "documents_falsified": True,
            "age_falsified": None,
            "job_differs_from_contract": None,
            "placed_in_closed_country": None,
        },
        "circumstances": {
            "more_than_one_victim": None,
            "disaster_or_conflict": None,
            "electronic_means": None,
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
        "pregnant": None,
        "unconscious_or_helpless": None,
    }
    assert (
        doc["acts"] == []
        and doc["means"] == []
        and doc["exploitation"]
        == {"purposes": [], "occurred": None, "child_marriage": None, "harmful_work": None}
    )
    assert all(v is None for v in doc["circumstances"].values())
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


def test_1_1_facts_flow_from_the_record(worker_a: Any) -> None:
    """Caregiver relationship, abuse of power, repeat offence and the survivor's 1.1 facts."""
    case = services.case_open(actor=worker_a, offence_date=dt.date(2025, 3, 1))
    services.case_survivor_create(
        actor=worker_a,
        case=case,
        person_fields={"full_name": "Anak", "birth_date": dt.date(2012, 1, 1)},
        link_fields={
            "child_marriage": True,
            "victim_pregnant": True,
            "perpetrators_acted_jointly": True,
            "electronic_means": False,
        },
    )
    services.perpetrator_add(
        actor=worker_a, case=case, kind="individual", roles=["recruiter_or_intermediary"],
        relationship="caregiver", repeat_offender=True,
    )  # fmt: skip
    services.perpetrator_add(
        actor=worker_a, case=case, kind="individual", roles=["recruiter_or_intermediary"],
        relationship="stranger", is_state_official=True, abused_power=True,
    )  # fmt: skip
    case = selectors.case_get_for_user(actor=worker_a, case_id=case.pk, audit=False)
    doc = case_facts_for(case, case.survivors.all()[0]).to_json_dict()
    assert doc["schema"] == "lentera.case-facts/1.1"
    p = doc["perpetrator"]
    assert p["relations"] == ["caregiver"] and p["parent_or_guardian"] is False
    assert p["abused_power"] is True and p["repeat_offender"] is True and p["acted_jointly"] is True
    assert doc["victim"]["pregnant"] is True and doc["exploitation"]["child_marriage"] is True
    assert doc["circumstances"]["electronic_means"] is False
    # the 1.1 facts reach the legal engine: child marriage is forced marriage without means
    from lentera.law import qualify

    alts = {c.id: c for c in qualify(doc).indonesia.alternatives}
    assert alts["UU-12-2022:10"].met is True
    assert "UU-12-2022:15" in alts["UU-12-2022:10"].aggravations
