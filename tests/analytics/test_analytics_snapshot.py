"""The snapshot schema: age bands, months, validation errors naming table, row and field."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _analytics_fixture import fixture_rows, fixture_snapshot

from lentera.analytics.snapshot import (
    AGE_BANDS,
    ARROW_SCHEMAS,
    Snapshot,
    SnapshotError,
    age_band,
    codes,
    load_snapshot_dir,
    month_of,
)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "unknown"),
        (0, "0-8"),
        (8, "0-8"),
        (9, "9-17"),
        (17, "9-17"),
        (18, "18-20"),
        (23, "21-23"),
        (26, "24-26"),
        (29, "27-29"),
        (30, "30-38"),
        (39, "39-47"),
        (47, "39-47"),
        (48, "48+"),
        (90, "48+"),
    ],
)
def test_age_band_uses_ctdc_bands(age, band):
    assert age_band(age) == band
    assert band in AGE_BANDS


@pytest.mark.parametrize("age", [-1, 131, 3.5, True])
def test_age_band_rejects_non_ages(age):
    with pytest.raises(ValueError, match="age"):
        age_band(age)


def test_month_of_dates_and_aware_datetimes_in_wib():
    assert month_of(dt.date(2024, 5, 17)) == dt.date(2024, 5, 1)
    late_utc = dt.datetime(2024, 5, 31, 20, 0, tzinfo=dt.UTC)  # 1 June 03:00 WIB
    assert month_of(late_utc) == dt.date(2024, 6, 1)
    with pytest.raises(ValueError, match="naive"):
        month_of(dt.datetime(2024, 5, 1))  # noqa: DTZ001 - the naive value is the point


def test_from_rows_names_table_row_and_field():
    rows = fixture_rows()
    rows["survivors"][2] = {**rows["survivors"][2], "sex": "femal"}
    with pytest.raises(SnapshotError) as err:
        Snapshot.from_rows(**rows)
    assert err.value.errors[0].startswith("survivors row 3 field sex:")


def test_exact_dates_and_free_text_fields_are_refused():
    rows = fixture_rows()
    rows["cases"][0] = {**rows["cases"][0], "opened_month": dt.date(2024, 1, 15)}
    rows["survivors"][0] = {**rows["survivors"][0], "name": "Siti"}
    with pytest.raises(SnapshotError) as err:
        Snapshot.from_rows(**rows)
    text = " | ".join(err.value.errors)
    assert "cases row 1 field opened_month" in text
    assert "survivors row 1 field name" in text


def test_references_between_tables_are_checked():
    rows = fixture_rows()
    rows["screenings"].append(
        {
            "survivor_key": "ghost",
            "month": dt.date(2024, 1, 1),
            "list": "adult_labour",
            "outcome": "trafficked",
        }
    )
    with pytest.raises(
        SnapshotError, match=r"screenings row 16 field survivor_key: 'ghost' not found"
    ):
        Snapshot.from_rows(**rows)


def test_parquet_and_jsonl_directories_round_trip(tmp_path):
    snap = fixture_snapshot()
    for fmt in ("parquet", "jsonl"):
        loaded = load_snapshot_dir(snap.write_dir(tmp_path / fmt, fmt=fmt))
        assert loaded.counts() == snap.counts()
        assert (
            loaded["survivors"].column("exploitation_types").to_pylist()
            == snap["survivors"].column("exploitation_types").to_pylist()
        )


def test_bad_parquet_value_is_reported_column_wise(tmp_path):
    snap = fixture_snapshot()
    out = snap.write_dir(tmp_path / "bad")
    table = snap["survivors"]
    codes_col = table.column("origin_province_code").to_pylist()
    codes_col[4] = "99"
    table = table.set_column(
        table.schema.get_field_index("origin_province_code"),
        "origin_province_code",
        pa.array(codes_col),
    )
    pq.write_table(table, out / "survivors.parquet")
    with pytest.raises(
        SnapshotError, match=r"survivors row 5 field origin_province_code: invalid value '99'"
    ):
        load_snapshot_dir(out)


def test_bad_jsonl_type_is_reported(tmp_path):
    snap = fixture_snapshot()
    out = snap.write_dir(tmp_path / "j", fmt="jsonl")
    lines = (out / "cases.jsonl").read_text().splitlines()
    row = json.loads(lines[1])
    row["offence_year"] = "twenty"
    lines[1] = json.dumps(row)
    (out / "cases.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(SnapshotError, match=r"cases row 2 field offence_year"):
        load_snapshot_dir(out)


def test_missing_required_table_is_an_error(tmp_path):
    with pytest.raises(SnapshotError, match="cases"):
        load_snapshot_dir(tmp_path)


def test_arrow_schema_matches_models():
    from lentera.analytics.snapshot import MODELS

    for name, model in MODELS.items():
        assert list(model.model_fields) == ARROW_SCHEMAS[name].names


def test_code_lists_mirror_the_web_choices():
    """The engine's copy of the case-store code lists equals the web app's choices."""
    from lentera.web.cases import choices

    c = codes()
    assert set(c["case_status"]) == set(choices.CaseStatus.values)
    assert set(c["sex"]) == set(choices.Sex.values)
    assert set(c["trafficking_status"]) == set(choices.TraffickingStatus.values)
    assert set(c["exploitation_type"]) == set(choices.ExploitationType.values)
    assert set(c["sector"]) == set(choices.Sector.values)
    assert set(c["recruitment_method"]) == set(choices.RecruitmentMethod.values)
    assert set(c["means_of_control"]) == set(choices.MethodOfControl.values)
    assert set(c["event_stage"]) == set(choices.EventStage.values)
    assert set(c["perpetrator_kind"]) == set(choices.PerpetratorKind.values)


def _with_schema2(rows):
    rows = dict(rows)
    rows["legal_steps"] = [
        {"case_key": "c1", "step": "police_report", "month": dt.date(2024, 2, 1)},
        {"case_key": "c1", "survivor_key": "s1", "step": "verdict",
         "month": dt.date(2024, 6, 1), "amount": 30_000_000},
    ]  # fmt: skip
    rows["perpetrators"] = [
        {"perpetrator_key": "x1", "case_key": "c1", "kind": "individual_recruiter",
         "sex": "male", "nationality": "MY", "is_state_official": False},
    ]  # fmt: skip
    return rows


def test_schema_2_tables_validate_and_round_trip(tmp_path):
    from lentera.law.process import load_process_rules

    assert set(codes()["legal_step"]) == set(load_process_rules().steps)
    snap = Snapshot.from_rows(**_with_schema2(fixture_rows()))
    assert snap.provided[-2:] == ("legal_steps", "perpetrators")
    loaded = load_snapshot_dir(snap.write_dir(tmp_path / "p"))
    assert loaded.counts() == snap.counts() and loaded.provided == snap.provided
    rows = _with_schema2(fixture_rows())
    rows["legal_steps"][1]["step"] = "conviction"
    rows["perpetrators"][0]["nationality"] = "XX"
    with pytest.raises(SnapshotError) as info:
        Snapshot.from_rows(**rows)
    assert info.value.errors[0].startswith(
        "legal_steps row 2 field step: Value error, 'conviction'"
    )
    assert info.value.errors[1].startswith("perpetrators row 1 field nationality")
    rows = _with_schema2(fixture_rows())
    rows["legal_steps"][0]["case_key"] = "c9"
    rows["perpetrators"][0]["name"] = "Pak Calo"  # no names: extra fields are refused
    with pytest.raises(SnapshotError, match="perpetrators row 1 field name"):
        Snapshot.from_rows(**rows)
    rows.pop("perpetrators")
    with pytest.raises(SnapshotError, match=r"legal_steps row 1 field case_key: 'c9' not found"):
        Snapshot.from_rows(**rows)


def test_negative_amount_is_refused_column_wise(tmp_path):
    snap = Snapshot.from_rows(**_with_schema2(fixture_rows()))
    out = snap.write_dir(tmp_path / "bad")
    table = snap["legal_steps"]
    table = table.set_column(4, "amount", pa.array([None, -5], type=pa.int64()))
    pq.write_table(table, out / "legal_steps.parquet")
    with pytest.raises(SnapshotError, match=r"legal_steps row 2 field amount: invalid value '-5'"):
        load_snapshot_dir(out)


def test_a_snapshot_without_the_new_tables_still_loads_as_not_provided(tmp_path):
    out = fixture_snapshot().write_dir(tmp_path / "old")
    assert not (out / "legal_steps.parquet").exists()
    loaded = load_snapshot_dir(out)
    assert "legal_steps" not in loaded.provided and loaded.counts()["legal_steps"] == 0


def test_from_records_builds_the_same_tables_as_from_rows_and_refuses_the_same_rows():
    rows = _with_schema2(fixture_rows())
    snap = Snapshot.from_rows(**rows)
    full = {name: snap.tables[name].to_pylist() for name in snap.provided}  # every column
    again = Snapshot.from_records(**full)
    assert again.provided == snap.provided
    for name in snap.provided:
        assert again.tables[name].equals(snap.tables[name]), name
    bad = {**full, "survivors": [dict(r) for r in full["survivors"]]}
    bad["survivors"][2]["sex"] = "femal"
    with pytest.raises(SnapshotError) as err:
        Snapshot.from_records(**bad)
    assert err.value.errors[0].startswith("survivors row 3 field sex:")
    bad["survivors"][2] = {**full["survivors"][2], "name": "Siti"}
    with pytest.raises(SnapshotError, match="survivors row 3 field name: not a column"):
        Snapshot.from_records(**bad)
    bad["survivors"][2] = {k: v for k, v in full["survivors"][2].items() if k != "sex"}
    with pytest.raises(SnapshotError, match="survivors row 3 field sex: column missing"):
        Snapshot.from_records(**bad)
    bad = {**full, "cases": [{**full["cases"][0], "opened_month": dt.date(2024, 1, 15)}]}
    with pytest.raises(SnapshotError, match="cases row 1 field opened_month"):
        Snapshot.from_records(**bad)
