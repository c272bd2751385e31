"""Small named cases of the CTDC layouts: what each snapshot code becomes in each variable."""

from __future__ import annotations

import datetime as dt

import pytest

from lentera.analytics.ctdc import codebook_2024, dictionary_2017
from lentera.analytics.snapshot import Snapshot
from lentera.disclosure import DisclosureError, ctdc_release


def _snapshot() -> Snapshot:
    """Three SYNTHETIC victims sharing all quasi-identifiers (one class of 3)."""
    cases = [
        {"case_key": f"c{i}", "org_code": "ngo", "opened_month": dt.date(2021, 5, 1),
         "status": "active"}
        for i in range(3)
    ]  # fmt: skip
    common = {"sex": "female", "age_band": "9-17", "is_child": True, "citizenship": "ID",
              "destination_country": "MY", "trafficking_status": "actual_victim"}  # fmt: skip
    survivors = [
        {**common, "survivor_key": "s0", "person_key": "p0", "case_key": "c0",
         "exploitation_types": ["forced_labour", "sexual_exploitation"], "sector": "F",
         "recruitment_method": "family", "means_of_control": ["debt_bondage", "threats"]},
        {**common, "survivor_key": "s1", "person_key": "p1", "case_key": "c1",
         "exploitation_types": ["forced_marriage"], "recruitment_method": "agency"},
        {**common, "survivor_key": "s2", "person_key": "p2", "case_key": "c2",
         "exploitation_types": ["servitude"], "sector": "G"},
    ]  # fmt: skip
    return Snapshot.from_rows(cases=cases, survivors=survivors)


@pytest.fixture(scope="module")
def rows_2017() -> list[dict[str, str]]:
    return ctdc_release(_snapshot(), layout="2017", k=3).frame.to_dict("records")


def test_2017_columns_are_the_dictionary_variables_in_order(rows_2017: list[dict]) -> None:
    assert list(rows_2017[0]) == list(dictionary_2017()["variables"])


def test_2017_quasi_identifiers(rows_2017: list[dict]) -> None:
    row = rows_2017[0]
    assert row["gender"] == "Female"
    assert row["ageBroad"] == "9--17"
    assert row["majorityStatus"] == "Minor"
    assert row["yearOfRegistration"] == "2021"
    assert row["citizenship"] == "ID"
    assert row["CountryOfExploitation"] == "MY"
    assert row["Datasource"] == "Case management"


def test_2017_labour_and_sex_is_its_own_category(rows_2017: list[dict]) -> None:
    row = rows_2017[0]
    assert (row["isSexAndLabour"], row["isForcedLabour"], row["isSexualExploit"]) == ("1", "0", "0")
    assert row["typeOfExploitConcatenated"] == "Forced labour;Sexual exploitation"
    assert row["typeOfLabourConstruction"] == "1" and row["typeOfLabourOther"] == "0"
    assert row["typeOfLabourConcatenated"] == "Construction"
    assert row["meansOfControlDebtBondage"] == "1" and row["meansOfControlThreats"] == "1"
    assert row["meansOfControlSexualAbuse"] == "0"
    assert row["meansOfControlNotSpecified"] == "0"
    assert row["meansOfControlConcatenated"] == "Debt bondage;Threats"
    assert row["recruiterRelationFamily"] == "1" and row["recruiterRelationUnknown"] == "0"


def test_2017_unknowns_are_minus_99(rows_2017: list[dict]) -> None:
    row = rows_2017[1]  # forced marriage, no means recorded, recruited by an agency
    assert row["isForcedMarriage"] == "1" and row["isForcedLabour"] == "0"
    assert row["meansOfControlDebtBondage"] == "-99"
    assert row["meansOfControlNotSpecified"] == "1"
    assert row["meansOfControlConcatenated"] == "-99"
    assert row["typeOfLabourAgriculture"] == "-99"  # not forced labour: not applicable
    assert row["recruiterRelationFamily"] == "-99" and row["recruiterRelationUnknown"] == "1"
    assert row["typeOfSexProstitution"] == "-99" and row["isAbduction"] == "-99"
    third = rows_2017[2]  # servitude in wholesale trade (no CTDC labour type of its own)
    assert third["isForcedLabour"] == "1" and third["typeOfLabourOther"] == "1"


def test_2024_layout_uses_merged_groups_alpha3_and_blanks() -> None:
    rows = ctdc_release(_snapshot(), layout="2024", k=3).frame.to_dict("records")
    assert list(rows[0]) == list(codebook_2024()["variables"])
    first = rows[0]
    assert first["gender"] == "Woman" and first["ageBroad"] == "9-17"
    assert first["citizenship"] == "IDN" and first["CountryOfExploitation"] == "MYS"
    assert first["meansDebtBondageEarnings"] == "1" and first["meansThreats"] == "1"
    assert first["meansAbusePsyPhySex"] == ""
    assert first["isForcedLabour"] == "1" and first["isSexualExploit"] == "1"
    assert first["typeOfLabourConstruction"] == "1"
    assert first["recruiterRelationFamily"] == "1"
    assert rows[1]["isOtherExploit"] == "1" and rows[1]["isForcedLabour"] == ""


def test_fewer_victims_than_k_release_nothing() -> None:
    """Three victims cannot form a class of four: the export is refused, not weakened."""
    with pytest.raises(DisclosureError, match="no generalisation meets k=4"):
        ctdc_release(_snapshot(), layout="2017", k=4)
