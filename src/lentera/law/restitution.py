"""The restitution worksheet (UU 21/2007 Pasal 48-50, UU 31/2014 Pasal 7A, PP 7/2018, PP 43/2017).

Pure arithmetic over the heads of loss, plus the payment deadlines. Lost income
is (promised wage − wage received) × months; with no promised wage, the
regional minimum wage stands in for it (stated in ``basis``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lentera.law.kb import load_kb

__all__ = ["RestitutionInput", "worksheet"]


@dataclass(frozen=True)
class RestitutionInput:
    lost_property: int = 0
    promised_monthly_wage: int | None = None
    received_monthly_wage: int = 0
    months_worked: int = 0
    regional_minimum_wage: int | None = None
    suffering: int = 0
    medical: int = 0
    other: int = 0
    final_judgment_notified_on: dt.date | None = None
    court_warning_on: dt.date | None = None
    paid_on: dt.date | None = None
    #: the law the restitution is ordered under (UU 12/2022 Pasal 33: 30 days, not 14)
    law: str = "UU-21-2007"


def worksheet(data: RestitutionInput, *, today: dt.date | None = None) -> dict[str, Any]:
    """Heads, total and the deadline status of a restitution claim."""
    for name in (
        "lost_property",
        "received_monthly_wage",
        "months_worked",
        "suffering",
        "medical",
        "other",
    ):
        if getattr(data, name) < 0:
            raise ValueError(f"{name} must not be negative")
    rules = load_kb().restitution
    reference = data.promised_monthly_wage
    basis = "promised_wage"
    if reference is None:
        reference, basis = data.regional_minimum_wage, "regional_minimum_wage"
    if reference is None:
        lost_income, basis = 0, "no_reference_wage"
    else:
        lost_income = max(reference - data.received_monthly_wage, 0) * data.months_worked
    heads = {
        "lost_property": data.lost_property,
        "lost_income": lost_income,
        "suffering": data.suffering,
        "medical": data.medical,
        "other": data.other,
    }
    today = today or dt.date.today()  # noqa: DTZ011
    deadlines: dict[str, Any] = {}
    if data.final_judgment_notified_on:
        days = rules["deadlines"]["payment_days_by_law"].get(
            data.law, rules["deadlines"]["payment_days"]
        )
        due = data.final_judgment_notified_on + dt.timedelta(days=days)
        deadlines["payment_due"] = due.isoformat()
        deadlines["payment_overdue"] = data.paid_on is None and today > due
    if data.court_warning_on:
        seize = data.court_warning_on + dt.timedelta(days=rules["deadlines"]["warning_days"])
        deadlines["seizure_from"] = seize.isoformat()
        deadlines["seizure_due"] = data.paid_on is None and today > seize
    return {
        "heads": heads,
        "total": sum(heads.values()),
        "lost_income_basis": basis,
        "deadlines": deadlines,
        "paid": data.paid_on is not None,
    }
