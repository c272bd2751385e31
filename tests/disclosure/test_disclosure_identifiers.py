"""No direct identifier leaves through any export: the guard, and a property test that injects
identifier-like values where a careless writer could leak them (keys, organisation codes)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from _disclosure_kit import snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.analytics.snapshot import Snapshot
from lentera.disclosure import (
    IdentifierLeak,
    assert_no_identifiers,
    ctdc_release,
    dp_counts,
    write_ctdc,
    write_dp_table,
    write_htcds,
)
from lentera.disclosure.guard import identifier_patterns

NIK = st.from_regex(r"\A[1-9][0-9]{15}\Z", fullmatch=True)
PHONE = st.from_regex(r"\A(08|628)[1-9][0-9]{7,10}\Z", fullmatch=True)
IDENTIFIER = st.one_of(NIK, PHONE)


@pytest.mark.parametrize(
    "column", ["prs_FirstName", "prs_IdentityNumber", "NIK", "phone", "full_name", "Birth Date"]
)
def test_identifier_columns_are_refused(column: str) -> None:
    with pytest.raises(IdentifierLeak, match="direct identifier"):
        assert_no_identifiers(pd.DataFrame({column: ["x"]}))


@pytest.mark.parametrize(
    "value",
    [
        "3201234567890123",
        "3201 2345 6789 0123",
        "081234567890",
        "+62 812-3456-7890",
        "a.b@ngo.or.id",
    ],
)
def test_identifier_values_are_refused_and_not_echoed(value: str) -> None:
    frame = pd.DataFrame({"gender": ["Female", "Male"], "note_code": ["ok", f"x {value} y"]})
    with pytest.raises(IdentifierLeak) as info:
        assert_no_identifiers(frame)
    assert "note_code" in str(info.value) and "row 2" in str(info.value)
    assert value not in str(info.value)


@pytest.mark.parametrize("value", ["0--8", "2020-2024", "-99", "00", "48+", "IDN", "org1", "3201"])
def test_release_codes_are_not_mistaken_for_identifiers(value: str) -> None:
    assert_no_identifiers(pd.DataFrame({"v": [value]}))


def _inject(base: Snapshot, person: str, case: str, org: str) -> Snapshot:
    """The same snapshot with one survivor's keys and one case's org code replaced."""
    cases = base["cases"].to_pandas()
    surv = base["survivors"].to_pandas()
    old_case = surv.loc[0, "case_key"]
    cases.loc[cases.case_key == old_case, "case_key"] = case
    cases.loc[cases.case_key == case, "org_code"] = org
    surv.loc[surv.case_key == old_case, "case_key"] = case
    surv.loc[0, "person_key"] = person
    surv.loc[0, "survivor_key"] = person
    tables = {
        "cases": pa.Table.from_pandas(cases, preserve_index=False),
        "survivors": pa.Table.from_pandas(surv, preserve_index=False),
    }
    return Snapshot.from_arrow(tables)


def _leaks(text: str, injected: list[str]) -> list[str]:
    found = [v for v in injected if v in text]
    found += [n for n, p in identifier_patterns().items() if re.search(p, text)]
    return found


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person=IDENTIFIER, case=IDENTIFIER, org=IDENTIFIER)
def test_property_no_identifier_reaches_an_export(person: str, case: str, org: str) -> None:
    """Every writer either refuses (IdentifierLeak) or writes a file with no injected value
    and nothing matching an identifier pattern."""
    snap = _inject(snapshot(300, 11, 1), person, case, org)
    injected = [person, case, org]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        written: list[Path] = []
        for layout in ("2017", "2024"):
            release = ctdc_release(snap, layout=layout, k=2, strict=False, origin=True)
            write_ctdc(release, out / f"c{layout}.csv")
            written.append(out / f"c{layout}.csv")
        table = dp_counts(snap, by=["sex", "age_band"], epsilon=1.0)
        written.append(write_dp_table(table, out / "dp.csv"))
        for keys in (False, True):
            # HTCDS carries the organisation code (org_Name) and, with keys, the opaque keys:
            # a NIK- or phone-shaped value there must be refused, never written
            with pytest.raises(IdentifierLeak):
                write_htcds(snap, out / f"h{keys}.xlsx", include_keys=keys)
            assert not (out / f"h{keys}.xlsx").exists()
        for path in written:
            assert _leaks(path.read_text(encoding="utf-8"), injected) == [], path.name


def test_htcds_with_ordinary_keys_is_written() -> None:
    """The guard does not block a normal export (the refusals above are not vacuous)."""
    with tempfile.TemporaryDirectory() as tmp:
        assert write_htcds(snapshot(300, 11, 1), Path(tmp) / "h.xlsx", include_keys=True) > 0
