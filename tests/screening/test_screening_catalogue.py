"""The shipped ILO/EC catalogue and the checks of parse_catalogue."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from lentera.errors import LenteraError
from lentera.screening import screen
from lentera.screening.catalogue import load_catalogue, parse_catalogue

ID_PATTERN = re.compile(
    r"^(adult_labour|adult_sexual|child_labour|child_sexual)\.D[1-6]\.[a-z0-9_]+$"
)


def _raw() -> dict:
    text = resources.files("lentera.screening").joinpath("data/ilo_ec_2009.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    ("list_name", "count"),
    [("adult_labour", 67), ("adult_sexual", 67), ("child_labour", 65), ("child_sexual", 65)],
)
def test_indicator_counts(list_name: str, count: int) -> None:
    assert len(load_catalogue().indicators(list_name)) == count


def test_child_lists_lack_two_adult_indicators() -> None:
    cat = load_catalogue()
    adult = {(i.dimension, i.name) for i in cat.indicators("adult_labour")}
    child = {(i.dimension, i.name) for i in cat.indicators("child_labour")}
    assert adult - child == {("D3", "false_info_law_authorities"), ("D4", "no_social_protection")}


def test_ids_match_contract_pattern() -> None:
    cat = load_catalogue()
    for list_name in cat.by_list:
        for ind in cat.indicators(list_name):
            assert ID_PATTERN.match(ind.id), ind.id
            assert ind.id == f"{list_name}.{ind.dimension}.{ind.name}"
            assert ind.strength in {"strong", "medium", "weak"}


def test_shipped_yaml_round_trips() -> None:
    assert parse_catalogue(yaml.safe_dump(_raw())).id == load_catalogue().id


def test_rejects_unknown_strength_code() -> None:
    raw = _raw()
    raw["indicators"][3]["strength"]["adult_labour"] = "X"
    with pytest.raises(ValueError, match="strength 'X'"):
        parse_catalogue(yaml.safe_dump(raw))


def test_rejects_duplicate_indicator() -> None:
    raw = _raw()
    raw["indicators"].append(dict(raw["indicators"][0]))
    with pytest.raises(ValueError, match=r"duplicate D1\.deceived_nature_of_job"):
        parse_catalogue(yaml.safe_dump(raw))


def test_unknown_indicator_in_facts_names_field() -> None:
    facts = {"victim": {"age_at_offence": 30}, "indicators": ["adult_labour.D4.no_such_thing"]}
    with pytest.raises(LenteraError) as info:
        screen(facts)
    assert "indicators.0" in info.value.message
    assert info.value.field == "indicators.0"


def test_indicator_in_wrong_dimension_is_unknown() -> None:
    # excessive_hours exists only in D4; under D5 the id matches the pattern but not the catalogue
    facts = {"indicators": ["adult_labour.D4.excessive_hours", "adult_labour.D5.excessive_hours"]}
    with pytest.raises(LenteraError, match=r"indicators\.1"):
        screen(facts)
