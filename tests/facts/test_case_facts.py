"""The lentera.case-facts/1 contract: accepts every document written to the spec, rejects the rest naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lentera.errors import LenteraError
from lentera.facts import CaseFacts, parse_case_facts
from lentera.facts.mapping import (
    acts_from,
    means_from_methods_of_control,
    purposes_from_exploitation,
)

SCENARIOS = sorted(
    (Path(__file__).resolve().parents[3] / "shared" / "scenarios" / "legal").glob("*.json")
)

EXAMPLE = {
    "schema": "lentera.case-facts/1",
    "case_ref": "optional free text",
    "offence_date": "2024-03-01",
    "victim": {"age_at_offence": 16, "sex": "female", "citizenship": "ID", "disability": False},
    "movement": {
        "origin_country": "ID",
        "destination_country": "MY",
        "origin_region": "53",
        "destination_region": None,
        "crossed_regions_within_indonesia": False,
    },
    "acts": ["recruitment", "transportation"],
    "means": ["deception"],
    "exploitation": {"purposes": ["forced_labour"], "occurred": True},
    "harm": [],
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
        "age_falsified": False,
        "job_differs_from_contract": True,
        "placed_in_closed_country": None,
    },
    "indicators": ["adult_labour.D1.deceived_nature_of_job"],
}


def test_contract_example_round_trips() -> None:
    facts = parse_case_facts(EXAMPLE)
    assert facts.to_json_dict() == EXAMPLE


@pytest.mark.skipif(not SCENARIOS, reason="shared scenarios not present")
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shared_scenarios_parse(path: Path) -> None:
    assert isinstance(parse_case_facts(path.read_text()), CaseFacts)


def test_empty_document_is_all_unknown() -> None:
    doc = parse_case_facts({"schema": "lentera.case-facts/1"}).to_json_dict()
    assert (
        doc["victim"]["age_at_offence"] is None
        and doc["acts"] == []
        and doc["exploitation"]["occurred"] is None
    )


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"victim": {"age_at_offence": "16"}}, "victim.age_at_offence"),
        ({"victim": {"age_at_offence": 121}}, "victim.age_at_offence"),
        ({"victim": {"sex": "f"}}, "victim.sex"),
        ({"movement": {"origin_region": "5"}}, "movement.origin_region"),
        ({"movement": {"destination_country": "my"}}, "movement.destination_country"),
        ({"acts": ["kidnap"]}, "acts.0"),
        ({"means": ["magic"]}, "means.0"),
        ({"exploitation": {"purposes": ["fun"]}}, "exploitation.purposes.0"),
        ({"exploitation": {"occurred": "yes"}}, "exploitation.occurred"),
        ({"offence_date": "2024-02-30"}, "offence_date"),
        ({"offence_date": 20240201}, "offence_date"),
        ({"indicators": ["adult_labour.D7.x"]}, "indicators.0"),
        ({"surprise": 1}, "surprise"),
        ({"perpetrator": {"boss": True}}, "perpetrator.boss"),
        ({"schema": "lentera.case-facts/2"}, "schema"),
    ],
)
def test_invalid_documents_name_the_field(patch: dict, field: str) -> None:
    doc = json.loads(json.dumps(EXAMPLE))
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            doc[key].update(value)
        else:
            doc[key] = value
    with pytest.raises(LenteraError) as err:
        parse_case_facts(doc)
    assert err.value.field == field
    assert field in err.value.message


def test_invalid_json_text() -> None:
    with pytest.raises(LenteraError) as err:
        parse_case_facts("{not json")
    assert err.value.code == "invalid_json"


def test_case_store_mapping_is_data() -> None:
    assert means_from_methods_of_control(["debt_bondage", "false_promises", "takes_earnings"]) == (
        "debt_bondage",
        "deception",
    )
    assert purposes_from_exploitation(["sexual_exploitation"], ["prostitution"]) == (
        "prostitution",
    )
    assert purposes_from_exploitation(["sexual_exploitation"]) == ("other_sexual_exploitation",)
    assert acts_from(perpetrator_roles=["recruiter_or_intermediary"], event_stages=["transit"]) == (
        "recruitment",
        "transportation",
    )


def test_schema_cli_prints_the_generated_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from lentera.cli import main

    assert main(["schema", "case-facts"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert {"schema", "victim", "movement", "acts", "means", "exploitation", "indicators"} <= set(
        schema["properties"]
    )
    assert schema["properties"]["schema"]["enum"] == [
        "lentera.case-facts/1",
        "lentera.case-facts/1.1",
    ]
    assert "circumstances" in schema["properties"]


# ------------------------------------------------------------------ contract 1.1
def test_every_1_document_means_the_same_under_1_1() -> None:
    """A /1 document parses, its 1.1 facts are unknown, and it serialises in /1 shape."""
    facts = parse_case_facts(EXAMPLE)
    assert facts.schema_ == "lentera.case-facts/1"
    assert facts.perpetrator.relations is None and facts.circumstances.electronic_means is None
    assert facts.victim.pregnant is None and facts.exploitation.child_marriage is None
    assert facts.to_json_dict() == EXAMPLE


@pytest.mark.parametrize(
    ("section", "name", "value"),
    [
        ("perpetrator", "abused_power", True),
        ("perpetrator", "relations", ["caregiver"]),
        ("circumstances", "more_than_one_victim", False),
        ("victim", "pregnant", True),
        ("exploitation", "harmful_work", True),
    ],
)
def test_a_1_document_cannot_carry_1_1_facts(section: str, name: str, value: object) -> None:
    doc = {"schema": "lentera.case-facts/1", section: {name: value}}
    with pytest.raises(LenteraError) as err:
        parse_case_facts(doc)
    assert f"{section}.{name}" in err.value.message and "1.1" in err.value.message
    doc["schema"] = "lentera.case-facts/1.1"
    parsed = parse_case_facts(doc).to_json_dict()
    assert parsed[section][name] == value


def test_1_1_relations_distinguish_unknown_from_none() -> None:
    unknown = parse_case_facts({"schema": "lentera.case-facts/1.1"})
    none = parse_case_facts({"schema": "lentera.case-facts/1.1", "perpetrator": {"relations": []}})
    assert unknown.perpetrator.relations is None and none.perpetrator.relations == ()
    with pytest.raises(LenteraError, match=r"perpetrator\.relations"):
        parse_case_facts(
            {"schema": "lentera.case-facts/1.1", "perpetrator": {"relations": ["neighbour"]}}
        )


def test_fields_1_1_lists_every_new_field() -> None:
    from lentera.facts import FIELDS_1_1, CaseFacts

    new = {f"{s}.{n}" for s, n in FIELDS_1_1}
    schema = CaseFacts.model_json_schema(by_alias=True)
    described = set()
    for section, spec in schema["$defs"].items():
        for name, prop in spec.get("properties", {}).items():
            if str(prop.get("description", "")).startswith("(1.1)"):
                described.add(f"{section.lower()}.{name}")
    assert described == new
