"""The hub: verified imports from several organisations, refusals, national aggregates and
unique-survivor counting through keyed Bloom-filter encodings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _disclosure_kit import snapshot

from lentera.disclosure import (
    DisclosureError,
    PackageError,
    build_package,
    ctdc_release,
    dp_counts,
    import_package,
    national_ctdc_counts,
    national_dp_counts,
    unique_survivors,
)
from lentera.disclosure.hub import open_hub
from lentera.linkage import clk2, pprl

KEY = b"coalition shared secret for tests"
PEOPLE = [
    ("Siti Aminah", "1990-03-14", "F", "3201"),
    ("Dewi Lestari", "1988-11-02", "F", "3273"),
    ("Ni Made Ayu", "1995-07-21", "F", "5171"),
    ("Yohana Bria", "1999-01-30", "F", "5301"),
    ("Rudi Hartono", "1985-05-05", "M", "3578"),
    ("Agus Salim", "1992-09-09", "M", "1271"),
]


def _encodings(path: Path, people: list[int], prefix: str, version: int = 1) -> Path:
    records = [
        {
            "record_id": f"{prefix}{i}",
            "full_name": PEOPLE[i][0],
            "birth_date": PEOPLE[i][1],
            "sex": PEOPLE[i][2],
            "origin_regency_code": PEOPLE[i][3],
        }
        for i in people
    ]
    encoder = pprl.encode if version == 1 else clk2.encode
    lines = [json.dumps(e.to_json()) for e in encoder(records, KEY)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("packages")
    out = {}
    for i, org in enumerate(("ngoA", "ngoB")):
        snap = snapshot(700, 40 + i, 1)
        out[org] = root / f"{org}.zip"
        build_package(
            out[org],
            organisation=org,
            created_by="tester",
            ctdc=[ctdc_release(snap)],
            dp=[("sex", dp_counts(snap, by=["sex", "age_band"], epsilon=0.5))],
        )
    return out


def test_imports_merge_two_organisations(packages: dict[str, Path], tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    a = import_package(packages["ngoA"], hub)
    b = import_package(packages["ngoB"], hub)
    assert a.organisation == "ngoA" and b.organisation == "ngoB"
    totals = national_dp_counts(hub, ["sex", "age_band"])
    assert len(totals) == 40
    assert (totals["organisations"] == 2).all()
    per_org = []
    for org in ("ngoA", "ngoB"):
        with open_hub(hub, read_only=True) as con:
            per_org.append(
                con.execute(
                    "SELECT sum(count) FROM dp_cells WHERE organisation = ?", [org]
                ).fetchone()[0]
            )
    assert totals["count"].sum() == sum(per_org)
    assert (totals["error95"] > 0).all()
    gender = national_ctdc_counts(hub, by="gender")
    assert gender["rows"].sum() == a.ctdc_rows + b.ctdc_rows
    assert "counted once per organisation" in gender["caveat"].iloc[0]


def test_duplicate_release_is_refused(packages: dict[str, Path], tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    import_package(packages["ngoA"], hub)
    with pytest.raises(DisclosureError, match="already in the hub") as info:
        import_package(packages["ngoA"], hub)
    assert info.value.kind == "conflict"


def test_failing_package_is_refused_and_hub_unchanged(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    import_package(packages["ngoA"], hub)
    bad = tmp_path / "bad.zip"
    data = bytearray(packages["ngoB"].read_bytes())
    data[len(data) // 3] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(PackageError):
        import_package(bad, hub)
    with open_hub(hub, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM releases").fetchone()[0] == 1


def test_hub_minimum_k_refuses_weaker_releases(tmp_path: Path) -> None:
    snap = snapshot(700, 40, 1)
    out = tmp_path / "k5.zip"
    build_package(out, organisation="ngoC", created_by="t", ctdc=[ctdc_release(snap, k=5)])
    with pytest.raises(PackageError, match="below the required 11"):
        import_package(out, tmp_path / "hub")
    assert import_package(out, tmp_path / "hub", min_k=5).ctdc_rows > 0


def test_unique_survivors_of_v1_encodings_by_dice(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    """ngoA saw people 0–3, ngoB saw 2–5: six distinct people, two shared (both sent /1)."""
    hub = tmp_path / "hub"
    import_package(
        packages["ngoA"], hub, encodings=_encodings(tmp_path / "a.jsonl", [0, 1, 2, 3], "a")
    )
    import_package(
        packages["ngoB"], hub, encodings=_encodings(tmp_path / "b.jsonl", [2, 3, 4, 5], "b")
    )
    result = unique_survivors(hub)
    assert result.records == 8
    assert result.unique == 6
    assert result.matched_pairs == 2
    assert result.version == pprl.ENCODING_VERSION and result.threshold == 0.8


def test_unique_survivors_of_v2_encodings(packages: dict[str, Path], tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    a = import_package(
        packages["ngoA"], hub, encodings=_encodings(tmp_path / "a.jsonl", [0, 1, 2, 3], "a", 2)
    )
    import_package(
        packages["ngoB"], hub, encodings=_encodings(tmp_path / "b.jsonl", [2, 3, 4, 5], "b", 2)
    )
    assert a.encodings == 4
    with open_hub(hub, read_only=True) as con:
        stored = con.execute("SELECT DISTINCT version FROM encodings").fetchall()
    assert stored == [(clk2.ENCODING_VERSION,)]
    result = unique_survivors(hub)
    assert (result.records, result.unique, result.matched_pairs) == (8, 6, 2)
    assert result.version == clk2.ENCODING_VERSION and result.threshold is None


def test_mixed_versions_are_refused_for_matching_until_resent(tmp_path: Path) -> None:
    """/1 encodings stay importable; counting refuses to mix them with /2 and names who has
    to encode again; that organisation's next release with /2 encodings replaces them."""
    snap = snapshot(700, 40, 1)
    pkgs = {}
    for name, org in (("a1", "ngoA"), ("b", "ngoB"), ("a2", "ngoA")):
        pkgs[name] = tmp_path / f"{name}.zip"
        build_package(pkgs[name], organisation=org, created_by="t", ctdc=[ctdc_release(snap)])
    hub = tmp_path / "hub"
    import_package(pkgs["a1"], hub, encodings=_encodings(tmp_path / "a1.jsonl", [0, 1, 2, 3], "a"))
    import_package(pkgs["b"], hub, encodings=_encodings(tmp_path / "b.jsonl", [2, 3, 4, 5], "b", 2))
    with pytest.raises(DisclosureError, match="ask ngoA to encode again") as refused:
        unique_survivors(hub)
    assert refused.value.code == "encoding_version_mix"
    assert refused.value.params == {"old": ["ngoA"], "new": ["ngoB"]}
    import_package(
        pkgs["a2"], hub, encodings=_encodings(tmp_path / "a2.jsonl", [0, 1, 2, 3], "a", 2)
    )
    result = unique_survivors(hub)
    assert (result.records, result.unique, result.version) == (8, 6, clk2.ENCODING_VERSION)


def test_a_hub_created_before_v2_is_upgraded_and_still_counts(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    """A hub.duckdb of the /1-only schema gains the version and payload columns on import;
    its /1 rows (version NULL) keep counting as /1."""
    import duckdb

    hub = tmp_path / "hub"
    import_package(
        packages["ngoA"], hub, encodings=_encodings(tmp_path / "a.jsonl", [0, 1, 2, 3], "a")
    )
    con = duckdb.connect(str(hub / "hub.duckdb"))
    con.execute("ALTER TABLE encodings DROP COLUMN payload")
    con.execute("ALTER TABLE encodings DROP COLUMN version")
    con.close()
    assert unique_survivors(hub).version == pprl.ENCODING_VERSION  # read before the upgrade
    import_package(
        packages["ngoB"], hub, encodings=_encodings(tmp_path / "b.jsonl", [2, 3, 4, 5], "b")
    )
    result = unique_survivors(hub)
    assert (result.records, result.unique, result.version) == (8, 6, pprl.ENCODING_VERSION)


def test_bad_encodings_file_is_refused(packages: dict[str, Path], tmp_path: Path) -> None:
    enc = tmp_path / "e.jsonl"
    enc.write_text('{"record_id": "x", "block": "", "bits": "AA==", "version": "other/9"}\n')
    with pytest.raises(DisclosureError, match="line 1"):
        import_package(packages["ngoA"], tmp_path / "hub", encodings=enc)


def test_national_counts_of_an_unreleased_table_are_empty(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    hub = tmp_path / "hub"
    import_package(packages["ngoA"], hub)
    assert national_dp_counts(hub, ["sector"]).empty
    assert isinstance(national_dp_counts(hub, ["sector"]), pd.DataFrame)
