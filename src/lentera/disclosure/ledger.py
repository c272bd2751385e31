"""The ε budget ledger: every DP release of an organisation spends part of a fixed budget.

Sequential composition: releases over the same people add up, so the organisation's total
privacy loss is the sum of the ε of its releases. :meth:`BudgetLedger.spend` refuses a release
that would take the total over the organisation's budget, and a release id spent before.

:class:`BudgetLedger` is the interface (the Django side implements it on a database table);
:class:`JsonBudgetLedger` keeps the ledger in one JSON file, locked while it is changed and
replaced atomically. Sums are done in :class:`decimal.Decimal` on the decimal text of each ε, so
``0.1 + 0.2`` fits a budget of ``0.3`` exactly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from lentera.disclosure._common import DisclosureError, check_epsilon

__all__ = [
    "DEFAULT_BUDGET",
    "BudgetExceeded",
    "BudgetLedger",
    "JsonBudgetLedger",
    "LedgerEntry",
    "ledger_for_release",
]

LEDGER_SCHEMA = "lentera.epsilon-ledger/1"
DEFAULT_BUDGET = 1.0


class BudgetExceeded(DisclosureError):
    """The release would take the organisation over its ε budget; nothing was spent."""

    def __init__(self, org: str, epsilon: float, spent: Decimal, budget: Decimal) -> None:
        super().__init__(
            "epsilon_budget_exceeded",
            f"organisation {org}: spending ε={epsilon} would make {spent + _dec(epsilon)} of "
            f"its budget {budget} (already spent {spent}); release refused",
            kind="conflict",
            org=org,
            epsilon=epsilon,
            spent=float(spent),
            budget=float(budget),
        )


@dataclass(frozen=True)
class LedgerEntry:
    """One spend: organisation, ε, release id, when (UTC ISO 8601)."""

    org: str
    epsilon: float
    release_id: str
    at: str


@runtime_checkable
class BudgetLedger(Protocol):
    """What a ledger offers; implemented by :class:`JsonBudgetLedger` and by the web side."""

    def budget(self, org: str) -> float:
        """The organisation's total ε budget."""
        ...

    def spent(self, org: str) -> float:
        """ε spent so far by the organisation."""
        ...

    def spend(self, org: str, epsilon: float, release_id: str) -> LedgerEntry:
        """Record a release; raise :class:`BudgetExceeded` (nothing recorded) if it does not fit,
        :class:`DisclosureError` ``duplicate_release`` if the id was spent before."""
        ...


def _dec(value: float | str) -> Decimal:
    return Decimal(str(value))


class JsonBudgetLedger:
    """A :class:`BudgetLedger` in a JSON file (created on first spend).

    ``budgets`` sets organisations' budgets (stored in the file); an organisation without one
    gets ``default_budget``.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        budgets: Mapping[str, float] | None = None,
        default_budget: float = DEFAULT_BUDGET,
    ) -> None:
        check_epsilon(default_budget)
        self.path = Path(path)
        self.default_budget = float(default_budget)
        if budgets:
            with self._locked() as data:
                for org, value in budgets.items():
                    check_epsilon(value)
                    data["budgets"][org] = float(value)

    def _read(self) -> dict[str, Any]:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return {"schema": LEDGER_SCHEMA, "budgets": {}, "entries": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DisclosureError("bad_ledger", f"cannot read ledger {self.path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("schema") != LEDGER_SCHEMA:
            raise DisclosureError("bad_ledger", f"{self.path} is not a {LEDGER_SCHEMA} file")
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                yield data
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, indent=2, sort_keys=True)
                    handle.write("\n")
                os.replace(tmp, self.path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def budget(self, org: str) -> float:
        return float(self._read()["budgets"].get(org, self.default_budget))

    def spent(self, org: str) -> float:
        return float(self._spent(self._read(), org))

    @staticmethod
    def _spent(data: Mapping[str, Any], org: str) -> Decimal:
        return sum((_dec(e["epsilon"]) for e in data["entries"] if e["org"] == org), Decimal(0))

    def entries(self, org: str | None = None) -> list[LedgerEntry]:
        """All spends (of one organisation if given), oldest first."""
        return [
            LedgerEntry(e["org"], float(e["epsilon"]), e["release_id"], e["at"])
            for e in self._read()["entries"]
            if org is None or e["org"] == org
        ]

    def spend(self, org: str, epsilon: float, release_id: str) -> LedgerEntry:
        check_epsilon(epsilon)
        if not org or not release_id:
            raise DisclosureError("bad_spend", "organisation and release id are required")
        with self._locked() as data:
            if any(e["release_id"] == release_id for e in data["entries"]):
                raise DisclosureError(
                    "duplicate_release",
                    f"release {release_id} has already spent budget",
                    kind="conflict",
                )
            spent = self._spent(data, org)
            budget = _dec(data["budgets"].get(org, self.default_budget))
            if spent + _dec(epsilon) > budget:
                raise BudgetExceeded(org, epsilon, spent, budget)
            entry = LedgerEntry(
                org,
                float(epsilon),
                release_id,
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
            data["entries"].append(entry.__dict__)
        return entry


def ledger_for_release(
    explicit: Path | None, *, from_case_store: bool, instance_ledger: Path
) -> Path | None:
    """The ledger file a DP release spends from, or None for a release that spends nothing.

    A ledger given explicitly is used. A release from the real case store always spends from
    the instance's ledger (``instance_ledger``, created if need be): the budget protects real
    people however the release is made. A release from a snapshot directory (synthetic data,
    a rehearsal) spends only when a ledger is given.
    """
    if explicit is not None:
        return explicit
    if not from_case_store:
        return None
    instance_ledger.parent.mkdir(parents=True, exist_ok=True)
    return instance_ledger
