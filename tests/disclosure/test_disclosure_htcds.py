"""HTCDS v2.0: export to XLSX and import back give the same victims (round trip)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _disclosure_kit import snapshot
from openpyxl import Workbook, load_workbook

from lentera.disclosure import DisclosureError, read_htcds, victims_frame, write_htcds
from lentera.disclosure.htcds import htcds_columns

COMPARED = [
    "org_code",
    "opened_month",
    "closed_month",
    "status",
    "offence_year",
    "sex",
    "age_band",
    "is_child",
    "citizenship",
    "origin_province",
    "origin_regency",
    "trafficking_status",
    "exploitation_types",
    "sector",
    "recruitment_method",
    "means_of_control",
    "is_migrant_worker",
    "destination_country",
]


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[COMPARED].copy()
    for col in ("exploitation_types", "means_of_control"):
        out[col] = out[col].map(lambda v: ";".join(sorted(v)))
    for col in ("opened_month", "closed_month"):
        out[col] = out[col].astype(str)
    return out.astype(str).reset_index(drop=True)


def test_round_trip_with_keys_reproduces_every_victim(tmp_path: Path) -> None:
    snap = snapshot(600, 21)
    out = tmp_path / "h.xlsx"
    rows = write_htcds(snap, out, include_keys=True)
    back = read_htcds(out)
    before = victims_frame(snap)
    after = victims_frame(back)
    assert rows == len(before) == len(after)
    assert list(before["person_key"]) == list(after["person_key"])
    pd.testing.assert_frame_equal(_normal(before), _normal(after))


def test_round_trip_without_keys_keeps_the_content(tmp_path: Path) -> None:
    snap = snapshot(300, 22)
    out = tmp_path / "h.xlsx"
    write_htcds(snap, out)
    after = victims_frame(read_htcds(out))
    before = _normal(victims_frame(snap)).sort_values(COMPARED).reset_index(drop=True)
    after_n = _normal(after).sort_values(COMPARED).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after_n)
    assert after["person_key"].str.startswith("htcds_p").all()


def test_header_uses_htcds_field_names(tmp_path: Path) -> None:
    out = tmp_path / "h.xlsx"
    write_htcds(snapshot(300, 22), out)
    sheet = load_workbook(out, read_only=True)["Victims"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == htcds_columns()
    prefixes = {h.split("_", 1)[0] for h in header}
    assert prefixes <= {"org", "prs", "vic", "cas", "hte", "x"}
    assert "prs_FirstName" not in header and "prs_IdentityNumber" not in header


def test_standard_picklist_values_are_written(tmp_path: Path) -> None:
    out = tmp_path / "h.xlsx"
    write_htcds(snapshot(300, 22), out)
    frame = pd.read_excel(out, sheet_name="Victims", dtype=str).fillna("")
    assert set(frame["prs_Gender"]) <= {
        "Feminine",
        "Masculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    }
    assert set(frame["vic_TraffickingStatus"]) <= {
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    }


def test_unknown_value_is_reported_with_row_and_column(tmp_path: Path) -> None:
    out = tmp_path / "h.xlsx"
    write_htcds(snapshot(100, 23), out)
    book = load_workbook(out)
    sheet = book["Victims"]
    col = htcds_columns().index("prs_Gender") + 1
    sheet.cell(row=3, column=col, value="Robot")
    book.save(out)
    with pytest.raises(DisclosureError, match="row 3 column prs_Gender"):
        read_htcds(out)


def test_a_file_without_the_victims_sheet_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "other.xlsx"
    Workbook().save(out)
    with pytest.raises(DisclosureError, match="no sheet 'Victims'"):
        read_htcds(out)
