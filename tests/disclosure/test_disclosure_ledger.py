"""The ε budget ledger: sequential composition per organisation, refusals, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from lentera.disclosure import (
    BudgetExceeded,
    BudgetLedger,
    DisclosureError,
    JsonBudgetLedger,
    ledger_for_release,
)


def test_spends_add_up_and_a_release_beyond_the_budget_is_refused(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json", budgets={"ngo1": 1.0})
    ledger.spend("ngo1", 0.4, "r1")
    ledger.spend("ngo1", 0.5, "r2")
    with pytest.raises(BudgetExceeded, match="ngo1") as info:
        ledger.spend("ngo1", 0.2, "r3")
    assert info.value.kind == "conflict"
    assert ledger.spent("ngo1") == pytest.approx(0.9)
    assert [e.release_id for e in ledger.entries("ngo1")] == ["r1", "r2"]
    ledger.spend("ngo1", 0.1, "r4")  # exactly the remaining budget fits
    assert ledger.spent("ngo1") == pytest.approx(1.0)


def test_decimal_sums_fit_exactly(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json", budgets={"a": 0.3})
    ledger.spend("a", 0.1, "x")
    ledger.spend("a", 0.2, "y")  # 0.1 + 0.2 > 0.3 in binary floating point
    with pytest.raises(BudgetExceeded):
        ledger.spend("a", 1e-9, "z")


def test_organisations_have_separate_budgets(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json", default_budget=0.5)
    ledger.spend("a", 0.5, "a1")
    ledger.spend("b", 0.5, "b1")
    assert ledger.spent("a") == ledger.spent("b") == 0.5
    assert ledger.budget("c") == 0.5


def test_the_same_release_cannot_spend_twice(tmp_path: Path) -> None:
    ledger = JsonBudgetLedger(tmp_path / "l.json")
    ledger.spend("a", 0.1, "rel")
    with pytest.raises(DisclosureError, match="already spent"):
        ledger.spend("a", 0.1, "rel")


def test_ledger_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    JsonBudgetLedger(path, budgets={"a": 2.0}).spend("a", 1.5, "r1")
    again = JsonBudgetLedger(path)
    assert again.budget("a") == 2.0 and again.spent("a") == 1.5
    with pytest.raises(BudgetExceeded):
        again.spend("a", 0.6, "r2")


@pytest.mark.parametrize("eps", [0, -1, float("nan"), float("inf"), True])
def test_bad_epsilon_is_refused(tmp_path: Path, eps: float) -> None:
    with pytest.raises(DisclosureError, match="epsilon"):
        JsonBudgetLedger(tmp_path / "l.json").spend("a", eps, "r")


def test_corrupt_ledger_file_is_an_error_not_a_fresh_budget(tmp_path: Path) -> None:
    path = tmp_path / "l.json"
    path.write_text("{not json")
    with pytest.raises(DisclosureError, match="cannot read ledger"):
        JsonBudgetLedger(path).spend("a", 0.1, "r")


def test_json_ledger_implements_the_interface(tmp_path: Path) -> None:
    assert isinstance(JsonBudgetLedger(tmp_path / "l.json"), BudgetLedger)


def test_a_release_from_the_case_store_always_spends_from_the_instance_ledger(
    tmp_path: Path,
) -> None:
    instance = tmp_path / "var" / "disclosure" / "ledger.json"
    given = tmp_path / "mine.json"
    assert ledger_for_release(None, from_case_store=True, instance_ledger=instance) == instance
    assert instance.parent.is_dir()
    assert ledger_for_release(given, from_case_store=True, instance_ledger=instance) == given
    assert ledger_for_release(None, from_case_store=False, instance_ledger=instance) is None
    assert ledger_for_release(given, from_case_store=False, instance_ledger=instance) == given
