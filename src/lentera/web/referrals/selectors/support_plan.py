"""Reads of support plans and the legal process: actions, steps, the timeline, deadlines due."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.law import QualificationResult
from lentera.law.process import Deadline, Step, Timeline, charged_laws, timeline
from lentera.web.accounts.models import User
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_case_role
from lentera.web.core.selectors import one_of_organisation
from lentera.web.referrals.models import LegalStep, SupportAction


def support_actions_of(link: CaseSurvivor) -> list[SupportAction]:
    """The support plan of one survivor-in-case, with follow-ups (access already checked)."""
    return list(
        link.support_actions.select_related("responsible", "referral").prefetch_related(
            "follow_ups"
        )
    )


def support_action_get_for_user(*, actor: User, action_id: int) -> SupportAction:
    """One support action of the actor's organisation, else ``not_found``."""
    membership = require_case_role(actor)
    return one_of_organisation(
        SupportAction.objects.select_related("case_survivor__case", "case_survivor__person"),
        action_id,
        membership.organisation_id,
        _("Record not found."),
    )


def legal_step_get_for_user(*, actor: User, step_id: int) -> LegalStep:
    """One recorded legal-process step of the actor's organisation, else ``not_found``."""
    membership = require_case_role(actor)
    return one_of_organisation(
        LegalStep, step_id, membership.organisation_id, _("Record not found.")
    )


def survivors_of_case(case: Case) -> QuerySet[CaseSurvivor]:
    """The survivors of a case with their person (the caller has already checked access)."""
    return CaseSurvivor.objects.filter(case=case).select_related("person")


def case_timeline(case: Case, *, today: dt.date | None = None) -> tuple[Timeline, list[LegalStep]]:
    """The legal-process timeline of a case (the caller has already checked access)."""
    rows = list(case.legal_steps.select_related("case_survivor__person", "recorded_by"))
    steps = [
        Step(code=r.step, date=r.date, survivor=r.case_survivor_id, amount=r.amount) for r in rows
    ]
    laws = _charged_laws_of(case)
    return timeline(steps, today=today or timezone.localdate(), charged_laws=laws), rows


def _charged_laws_of(case: Case) -> frozenset[str] | None:
    """Laws charged in the latest legal assessment of each survivor (restitution deadlines)."""
    # assessments sits beside referrals in the layers, not below it: read it only when needed
    from lentera.web.assessments.models import LegalAssessment

    latest: dict[int, dict[str, Any]] = {}
    for survivor, result in (
        LegalAssessment.objects.filter(case_survivor__case=case)
        .order_by("case_survivor_id", "number")
        .values_list("case_survivor_id", "result")
    ):
        latest[survivor] = result
    return charged_laws(QualificationResult.model_validate(r) for r in latest.values())


def legal_deadlines_due(
    cases: QuerySet[Case], *, today: dt.date, limit: int | None = None
) -> list[tuple[Case, Deadline]]:
    """(case, deadline) for every deadline overdue or due soon, soonest first.

    All the cases' steps are read in one query and grouped here, not one query per case.
    """
    cases = cases.filter(legal_steps__isnull=False).distinct()
    by_pk = {c.pk: c for c in (cases[:limit] if limit else cases)}
    steps: dict[int, list[Step]] = defaultdict(list)
    for case_id, code, day, survivor, amount in LegalStep.objects.filter(
        case_id__in=list(by_pk)
    ).values_list("case_id", "step", "date", "case_survivor_id", "amount"):
        steps[case_id].append(Step(code=code, date=day, survivor=survivor, amount=amount))
    due = [
        (by_pk[case_id], d)
        for case_id, case_steps in steps.items()
        for d in timeline(case_steps, today=today).deadlines
        if d.status == "overdue" or d.due_soon
    ]
    return sorted(due, key=lambda cd: cd[1].due)
