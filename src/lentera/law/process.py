"""The legal-process timeline of a case: steps, statutory deadlines, overdue items, gaps.

Pure functions over recorded steps (no Django). The steps, the deadlines they
start (UU 21/2007 Pasal 48 ayat (6), Pasal 50 ayat (3); UU 12/2022 Pasal 33;
PP 7/2018) and the order rules are data in ``data/legal_process.yaml``; every
deadline and warning in the result names the rule it came from. A deadline in
``working_days`` skips weekends, public holidays and cuti bersama
(:mod:`lentera.law.calendar`); a deadline tied to ``laws`` applies when one of
them is charged (``charged_laws``), the ``default`` one when none is given.

A deadline is *open* until a closing step is recorded, *overdue* when today is
past its due date and it is still open, *met* when closed on or before the due
date and *late* when closed after it. Restitution counts as paid only when the
amounts paid reach the amount ordered in the verdict (a partial payment leaves
the payment deadline open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from lentera.law.calendar import add_working_days, missing_years
from lentera.law.models import QualificationResult

__all__ = [
    "Deadline",
    "ProcessRules",
    "Step",
    "Timeline",
    "charged_laws",
    "load_process_rules",
    "restitution_law",
    "timeline",
]


@dataclass(frozen=True)
class Step:
    """One recorded step of the process (``survivor`` is None for case-wide steps)."""

    code: str
    date: dt.date
    survivor: int | None = None
    amount: int | None = None


@dataclass(frozen=True)
class Deadline:
    id: str
    survivor: int | None
    start: dt.date
    due: dt.date
    status: str  # open | overdue | met | late
    closed_on: dt.date | None
    days_left: int | None
    due_soon: bool
    basis: str
    verification: str
    unit: str = "days"
    #: years in the count whose cuti bersama are not recorded (the due date may be early)
    calendar_gaps: tuple[int, ...] = ()


@dataclass
class Timeline:
    steps: list[Step]
    deadlines: list[Deadline] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    next_steps: dict[int | None, list[str]] = field(default_factory=dict)
    restitution: dict[int, dict[str, int | None]] = field(default_factory=dict)
    rules_version: str = ""

    @property
    def overdue(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.status == "overdue"]


@dataclass(frozen=True)
class ProcessRules:
    version: str
    steps: dict[str, dict[str, Any]]
    deadlines: list[dict[str, Any]]
    not_before: dict[str, list[str]]
    due_soon_days: int
    sources: dict[str, str]

    def scope(self, code: str) -> str:
        return str(self.steps[code]["scope"])

    def label(self, code: str, lang: str = "id") -> str:
        return str(self.steps[code]["label_en" if lang == "en" else "label_id"])


def parse_process_rules(data: dict[str, Any]) -> ProcessRules:
    """Validate the rules file; a broken file fails loudly at load time."""
    steps = {s["code"]: s for s in data["steps"]}
    if len(steps) != len(data["steps"]):
        raise ValueError("legal_process.yaml: duplicate step code")
    for s in steps.values():
        if s["scope"] not in {"case", "survivor"}:
            raise ValueError(f"legal_process.yaml: step {s['code']}: bad scope {s['scope']!r}")
        for key in ("label_id", "label_en", "help_id", "help_en", "source", "verification"):
            if not s.get(key):
                raise ValueError(f"legal_process.yaml: step {s['code']}: missing {key}")
    closers = set(steps) | {"restitution_paid_full"}
    for d in data["deadlines"]:
        if d["start"] not in steps or not set(d["closed_by"]) <= closers:
            raise ValueError(f"legal_process.yaml: deadline {d['id']}: unknown step")
        if d.get("unit", "days") not in ("days", "working_days"):
            raise ValueError(
                f"legal_process.yaml: deadline {d['id']}: unit is days or working_days"
            )
    for code, before in data["not_before"].items():
        if code not in steps or not set(before) <= set(steps):
            raise ValueError(f"legal_process.yaml: not_before {code}: unknown step")
    return ProcessRules(
        version=str(data["version"]),
        steps=steps,
        deadlines=list(data["deadlines"]),
        not_before={k: list(v) for k, v in data["not_before"].items()},
        due_soon_days=int(data["due_soon_days"]),
        sources=dict(data["sources"]),
    )


@lru_cache(maxsize=1)
def load_process_rules() -> ProcessRules:
    text = resources.files("lentera.law").joinpath("data/legal_process.yaml").read_text("utf-8")
    return parse_process_rules(yaml.safe_load(text))


def charged_laws(results: Iterable[QualificationResult]) -> frozenset[str] | None:
    """The laws of the charges met in these qualification results (None when none is met)."""
    laws = {
        c.id.split(":", 1)[0]
        for result in results
        for c in (*result.indonesia.charges, *result.indonesia.alternatives)
        if c.met is True
    }
    return frozenset(laws) or None


def restitution_law(laws: frozenset[str] | None) -> str:
    """The law restitution is ordered under: UU TPKS only when no trafficking law is charged."""
    if laws and "UU-12-2022" in laws and not laws & {"UU-21-2007", "KUHP-2023"}:
        return "UU-12-2022"
    return "UU-21-2007"


def _first(steps: list[Step], code: str) -> Step | None:
    found = [s for s in steps if s.code == code]
    return min(found, key=lambda s: s.date) if found else None


def _restitution(steps: list[Step]) -> tuple[dict[str, int | None], dt.date | None]:
    """Demanded, ordered and paid amounts, and the day payments reached the amount ordered."""
    indictment, verdict = _first(steps, "indictment"), _first(steps, "verdict")
    payments = sorted((s for s in steps if s.code == "restitution_paid"), key=lambda s: s.date)
    ordered = verdict.amount if verdict else None
    paid_total, paid_full_on = 0, None
    for p in payments:
        paid_total += p.amount or 0
        if paid_full_on is None and ordered is not None and paid_total >= ordered > 0:
            paid_full_on = p.date
    if ordered is None and payments:
        # Paid without a recorded verdict amount: the payment closes what it can.
        paid_full_on = payments[-1].date
    summary = {
        "demanded": indictment.amount if indictment else None,
        "ordered": ordered,
        "paid": paid_total if payments else None,
        "outstanding": max(ordered - paid_total, 0) if ordered is not None else None,
    }
    return summary, paid_full_on


def _applies(deadline: dict[str, Any], charged_laws: frozenset[str] | None) -> bool:
    laws = deadline.get("laws")
    if not laws:
        return True
    if charged_laws is None:
        return bool(deadline.get("default"))
    return bool(set(laws) & charged_laws)


def _lane(
    rules: ProcessRules,
    steps: list[Step],
    survivor: int | None,
    today: dt.date,
    out: Timeline,
    charged_laws: frozenset[str] | None = None,
) -> None:
    """Deadlines, warnings and next steps of one survivor (case-wide steps included)."""
    paid_full_on: dt.date | None = None
    if survivor is not None:
        summary, paid_full_on = _restitution(steps)
        out.restitution[survivor] = summary
        indictment, verdict = _first(steps, "indictment"), _first(steps, "verdict")
        if indictment and not indictment.amount:
            out.warnings.append(
                {"code": "indictment_without_restitution", "survivor": survivor,
                 "rule": "UU-21-2007:penjelasan-48.1"}
            )  # fmt: skip
        if verdict and not verdict.amount and indictment and indictment.amount:
            out.warnings.append(
                {"code": "verdict_without_restitution", "survivor": survivor,
                 "rule": "UU-21-2007:48.3"}
            )  # fmt: skip
        ordered, paid = summary["ordered"], summary["paid"]
        if ordered and paid is not None and paid < ordered:
            out.warnings.append(
                {"code": "partial_payment", "survivor": survivor, "rule": "UU-21-2007:48.6",
                 "paid": paid, "ordered": ordered}
            )  # fmt: skip
    for d in rules.deadlines:
        if rules.scope(d["start"]) == "survivor" and survivor is None:
            continue
        if not _applies(d, charged_laws):
            continue
        start = _first(steps, d["start"])
        if start is None:
            continue
        unit = d.get("unit", "days")
        if unit == "working_days":
            due = add_working_days(start.date, int(d["days"]))
            gaps = tuple(missing_years(start.date, due))
        else:
            due, gaps = start.date + dt.timedelta(days=int(d["days"])), ()
        closes = [
            paid_full_on if code == "restitution_paid_full" else getattr(_first(steps, code), "date", None)
            for code in d["closed_by"]
        ]  # fmt: skip
        closed = [c for c in closes if c is not None and c >= start.date]
        closed_on = min(closed) if closed else None
        if closed_on is not None:
            status, left = ("met" if closed_on <= due else "late"), None
        else:
            left = (due - today).days
            status = "overdue" if left < 0 else "open"
        out.deadlines.append(
            Deadline(
                id=d["id"], survivor=survivor, start=start.date, due=due, status=status,
                closed_on=closed_on, days_left=left,
                due_soon=status == "open" and left is not None and left <= rules.due_soon_days,
                basis=str(d["basis"]), verification=str(d["verification"]),
                unit=unit, calendar_gaps=gaps,
            )
        )  # fmt: skip
    recorded = {s.code for s in steps}
    lane_codes = [
        c for c, s in sorted(rules.steps.items(), key=lambda kv: kv[1]["order"])
        if (s["scope"] == "survivor") == (survivor is not None)
    ]  # fmt: skip
    last = max((rules.steps[c]["order"] for c in recorded if c in lane_codes), default=0)
    out.next_steps[survivor] = (
        []
        if paid_full_on is not None
        else [c for c in lane_codes if c not in recorded and rules.steps[c]["order"] > last][:2]
    )


def timeline(
    steps: list[Step],
    *,
    today: dt.date | None = None,
    rules: ProcessRules | None = None,
    charged_laws: frozenset[str] | set[str] | None = None,
) -> Timeline:
    """Order the steps, compute every deadline they start, and flag what is overdue or odd.

    ``charged_laws`` (law ids such as ``UU-12-2022``) picks the deadlines of the laws the
    case is charged under; None applies the default (trafficking) rules.
    """
    laws = None if charged_laws is None else frozenset(charged_laws)
    rules = rules or load_process_rules()
    today = today or dt.date.today()  # noqa: DTZ011 - the local calendar day
    for s in steps:
        if s.code not in rules.steps:
            raise ValueError(f"unknown legal-process step {s.code!r}")
        if s.amount is not None and s.amount < 0:
            raise ValueError(f"{s.code}: amount must not be negative")
    ordered = sorted(steps, key=lambda s: (s.date, rules.steps[s.code]["order"]))
    out = Timeline(steps=ordered, rules_version=rules.version)
    case_steps = [s for s in ordered if rules.scope(s.code) == "case"]
    _lane(rules, case_steps, None, today, out, laws)
    survivors = sorted({s.survivor for s in ordered if s.survivor is not None})
    for survivor in survivors:
        lane = case_steps + [s for s in ordered if s.survivor == survivor]
        _lane(rules, lane, survivor, today, out, laws)
    for s in ordered:
        if s.date > today:
            out.warnings.append({"code": "future_date", "step": s.code, "survivor": s.survivor})
        lane = [t for t in ordered if t.survivor in (None, s.survivor)]
        for before in rules.not_before.get(s.code, []):
            prior = _first(lane, before)
            if prior is not None and prior.date > s.date:
                out.warnings.append(
                    {"code": "out_of_order", "step": s.code, "before": before,
                     "survivor": s.survivor}
                )  # fmt: skip
    return out
