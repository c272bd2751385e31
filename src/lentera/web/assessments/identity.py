"""Where assessments hold a survivor's identity (see :mod:`lentera.web.core.identity`)."""

from __future__ import annotations

from lentera.web.core.identity import declare, declare_not_identity

declare(
    "assessments.Screening",
    person=("case_survivor__person",),
    fields=("evidence",),
    placeholder="",  # JSON text of notes per indicator; emptied, the indicators stay
    why="evidence notes written during the screening interview",
)
declare(
    "assessments.RestitutionClaim",
    person=("case_survivor__person",),
    fields=("notes",),
    why="restitution notes",
)
declare_not_identity(
    [
        "assessments.Screening.indicators",
        "assessments.Screening.result",
        "assessments.LegalAssessment.facts",
        "assessments.LegalAssessment.result",
    ],
    "indicator ids, legal codes, dates and counts computed from the case (no free text)",
)
