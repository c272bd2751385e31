"""Where reintegration plans hold a survivor's identity: the free-text notes.

Codes, dates, amounts, scores and survey answer codes are statistics and stay after
anonymisation (they are declared below, with the reason).
"""

from __future__ import annotations

from lentera.web.core.identity import declare, declare_not_identity

declare(
    "reintegration.ReintegrationPlan",
    person=("person",),
    fields=("notes",),
    why="notes on the survivor's return and plan",
)
declare(
    "reintegration.PlanAction",
    person=("plan__person",),
    fields=("note",),
    why="notes on an action (may name family members or employers)",
)
declare(
    "reintegration.ReintegrationFollowUp",
    person=("plan__person",),
    fields=("note",),
    why="what the worker found at a visit or call",
)
declare(
    "reintegration.Departure",
    person=("plan__person",),
    fields=("note",),
    why="notes on a later departure (may name the recruiter or the employer)",
)
declare_not_identity(
    ["reintegration.ReintegrationSettings.schedule_months"],
    "the organisation's follow-up schedule (months)",
)
declare_not_identity(
    [f"reintegration.RssScore.{f}" for f in ("answers", "reasons", "result")],
    "survey answer codes, scores and reason codes; the result names the plan id, not the person",
)
