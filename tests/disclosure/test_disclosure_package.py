"""Release packages: manifest contents, verification, and loud failure on tampering."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from _disclosure_kit import snapshot

from lentera import __version__
from lentera.disclosure import (
    BudgetExceeded,
    JsonBudgetLedger,
    PackageError,
    build_package,
    ctdc_release,
    dp_counts,
    verify_package,
)
from lentera.disclosure.package import file_sha256


def _build(out: Path, **kw: object) -> dict:
    snap = snapshot(900, 31)
    return build_package(
        out,
        organisation="ngo1",
        created_by="Rina (data steward)",
        ctdc=[ctdc_release(snap, layout="2017"), ctdc_release(snap, layout="2024")],
        dp=[("sex_age", dp_counts(snap, by=["sex", "age_band"], epsilon=0.5))],
        **kw,
    )


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg") / "release"
    _build(out, release_id="rel-1")
    return out


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def _rehash(root: Path, name: str) -> None:
    """What a careful forger does: fix the manifest hash after editing a file."""
    manifest = json.loads((root / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["name"] == name:
            entry["sha256"] = file_sha256(root / name)
    (root / "manifest.json").write_text(json.dumps(manifest))


def test_manifest_says_what_when_who_and_how(package_dir: Path) -> None:
    manifest = json.loads((package_dir / "manifest.json").read_text())
    assert manifest["schema"] == "lentera.release-package/1"
    assert manifest["release_id"] == "rel-1"
    assert manifest["organisation"] == "ngo1"
    assert manifest["created_by"] == "Rina (data steward)"
    assert manifest["lentera_version"] == __version__
    assert manifest["epsilon_spent"] == 0.5
    files = {f["name"]: f for f in manifest["files"]}
    assert set(files) == {"ctdc_2017.csv", "ctdc_2024.csv", "dp_sex_age.csv"}
    ctdc = files["ctdc_2017.csv"]["parameters"]
    assert ctdc["k"] == 11 and "suppressed" in ctdc and "levels" in ctdc
    assert ctdc["quasi_identifiers"] == [
        "sex",
        "age_band",
        "year",
        "destination_country",
        "citizenship",
    ]
    dp = files["dp_sex_age.csv"]["parameters"]
    assert dp["epsilon"] == 0.5 and dp["mechanism"] == "discrete_laplace" and dp["error95"] > 0
    for entry in manifest["files"]:
        assert entry["sha256"] == file_sha256(package_dir / entry["name"])
        assert entry["rows"] == len(pd.read_csv(package_dir / entry["name"]))


def test_untouched_package_verifies(package_dir: Path) -> None:
    check = verify_package(package_dir, min_k=11)
    assert set(check.k_checks) == {"ctdc_2017.csv", "ctdc_2024.csv"}
    assert all(c.smallest_class >= 11 for c in check.k_checks.values())
    assert all(c.suppressed_declared is not None for c in check.k_checks.values())
    assert check.dp_cells == {"dp_sex_age.csv": 40}


def test_zip_package_verifies_and_detects_a_changed_byte(tmp_path: Path) -> None:
    out = tmp_path / "r.zip"
    _build(out)
    verify_package(out)
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist()}
    data = bytearray(members["ctdc_2017.csv"])
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    members["ctdc_2017.csv"] = bytes(data)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    with pytest.raises(PackageError, match="SHA-256 does not match"):
        verify_package(bad)


def test_extra_missing_and_unlisted_files_fail(package_dir: Path, tmp_path: Path) -> None:
    extra = _copy(package_dir, tmp_path / "extra")
    (extra / "names.csv").write_text("name\nSiti\n")
    with pytest.raises(PackageError, match="not in the manifest"):
        verify_package(extra)
    missing = _copy(package_dir, tmp_path / "missing")
    (missing / "dp_sex_age.csv").unlink()
    with pytest.raises(PackageError, match="missing"):
        verify_package(missing)
    nomanifest = _copy(package_dir, tmp_path / "nomanifest")
    (nomanifest / "manifest.json").unlink()
    with pytest.raises(PackageError, match=r"no manifest\.json"):
        verify_package(nomanifest)


def test_rehashed_small_class_still_fails_the_k_check(package_dir: Path, tmp_path: Path) -> None:
    root = _copy(package_dir, tmp_path / "k")
    frame = pd.read_csv(root / "ctdc_2017.csv", dtype=str, keep_default_na=False)
    odd = frame.iloc[[0]].copy()
    odd["yearOfRegistration"] = "2004"
    pd.concat([frame, odd]).to_csv(root / "ctdc_2017.csv", index=False)
    _rehash(root, "ctdc_2017.csv")
    with pytest.raises(PackageError, match="not 11-anonymous"):
        verify_package(root)


def test_rehashed_negative_count_still_fails(package_dir: Path, tmp_path: Path) -> None:
    root = _copy(package_dir, tmp_path / "neg")
    frame = pd.read_csv(root / "dp_sex_age.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "count"] = "-3"
    frame.to_csv(root / "dp_sex_age.csv", index=False)
    _rehash(root, "dp_sex_age.csv")
    with pytest.raises(PackageError, match="negative"):
        verify_package(root)


def test_rehashed_dropped_cell_fails_the_shape_check(package_dir: Path, tmp_path: Path) -> None:
    root = _copy(package_dir, tmp_path / "shape")
    frame = pd.read_csv(root / "dp_sex_age.csv", dtype=str, keep_default_na=False)
    frame.iloc[1:].to_csv(root / "dp_sex_age.csv", index=False)
    _rehash(root, "dp_sex_age.csv")
    with pytest.raises(PackageError, match="39 cells, the declared domain has 40"):
        verify_package(root)


def test_lowered_k_in_the_manifest_is_caught_by_min_k(package_dir: Path, tmp_path: Path) -> None:
    root = _copy(package_dir, tmp_path / "lowk")
    manifest = json.loads((root / "manifest.json").read_text())
    manifest["files"][0]["parameters"]["k"] = 3
    (root / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PackageError, match="below the required 11"):
        verify_package(root, min_k=11)


def test_budget_refusal_writes_no_package(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json", budgets={"ngo1": 0.4})
    with pytest.raises(BudgetExceeded):
        _build(tmp_path / "p", ledger=ledger)
    assert not (tmp_path / "p").exists()
    assert ledger.spent("ngo1") == 0


def test_ledger_is_charged_once_per_package(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json", budgets={"ngo1": 1.0})
    manifest = _build(tmp_path / "p", ledger=ledger)
    assert ledger.spent("ngo1") == 0.5
    assert [e.release_id for e in ledger.entries()] == [manifest["release_id"]]
