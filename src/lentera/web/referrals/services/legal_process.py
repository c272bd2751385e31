"""Writes of the legal process: recording and deleting the steps of the criminal process,
with the restitution worksheet's dates kept in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.law.process import load_process_rules
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_own_organisation
from lentera.web.core.services import invalid, not_found, text
from lentera.web.referrals.models import LegalStep

#: the restitution worksheet's date that each step decides
RESTITUTION_DATES = {
    "final_judgment_notified": "final_judgment_notified_on",
    "court_warning": "court_warning_on",
    "restitution_paid": "paid_on",
    "verdict": "paid_on",
}
#: a step dated before this year is refused as a typing mistake
EARLIEST_YEAR = 1990


@transaction.atomic
def legal_step_add(
    *,
    actor: User,
    case: Case,
    step: str,
    date: dt.date,
    link: CaseSurvivor | None = None,
    amount: int | None = None,
    reference_no: str = "",
    note: str = "",
) -> LegalStep:
    """Record a step of the criminal process; restitution steps belong to one survivor."""
    membership = require_own_organisation(actor, case.organisation_id)
    rules = load_process_rules()
    if step not in rules.steps:
        raise invalid("code_unknown", _("Unknown step."), "step")
    spec = rules.steps[step]
    row = LegalStep(
        organisation_id=membership.organisation_id,
        case=case,
        case_survivor=_step_survivor(spec, case, link),
        step=step,
        date=_step_date(date),
        amount=_step_amount(spec, amount),
        reference=text(reference_no, _("Document number")),
        note=text(note, _("Note")),
        recorded_by=actor,
    )
    save_created(actor=actor, obj=row, detail={"step": step})
    _sync_restitution(row.case_survivor, step)
    return row


def _step_survivor(
    spec: Mapping[str, Any], case: Case, link: CaseSurvivor | None
) -> CaseSurvivor | None:
    """The survivor a step is about: required for a step of one survivor (scope ``survivor``),
    none for a step of the whole case, and one of this case."""
    if spec["scope"] == "survivor" and link is None:
        raise invalid("survivor_required", _("Choose the survivor this step is about."), "survivor")
    if spec["scope"] == "case":
        return None
    if link is not None and link.case_id != case.pk:
        raise not_found()
    return link


def _step_date(value: dt.date | None) -> dt.date:
    """The date of a step: given, not in the future and not implausibly early."""
    if value is None:
        raise invalid("required", _("The date is required."), "date")
    if value > timezone.localdate():
        raise invalid("date_future", _("This date is in the future."), "date")
    if value.year < EARLIEST_YEAR:
        raise invalid("date_old", _("This date is implausibly early."), "date")
    return value


def _step_amount(spec: Mapping[str, Any], amount: int | None) -> int | None:
    """The amount a step records: none for a step without one, never negative, and given for
    a payment of restitution."""
    if amount is not None and not spec.get("amount"):
        amount = None
    if amount is not None and amount < 0:
        raise invalid("negative", _("The amount must not be negative."), "amount")
    if spec.get("amount") in {"restitution_paid"} and not amount:
        raise invalid("required", _("Enter the amount paid."), "amount")
    return amount


@transaction.atomic
def legal_step_delete(*, actor: User, row: LegalStep) -> None:
    """Delete a recorded step (audited first) and re-derive the restitution dates it decided."""
    require_own_organisation(actor, row.organisation_id)
    link = row.case_survivor
    audit_log(actor=actor, action=AuditAction.DELETE, obj=row, detail={"step": row.step})
    step = row.step
    row.delete()
    _sync_restitution(link, step)


def _sync_restitution(link: CaseSurvivor | None, step: str) -> None:
    """Keep the restitution worksheet's dates in step with the recorded process.

    Only the date the changed step decides is rewritten, so dates typed into the
    worksheet before the timeline was used stay until a step replaces them.
    """
    if link is None or step not in RESTITUTION_DATES:
        return
    # assessments sits beside referrals in the layers, not below it: reach it only when needed
    from lentera.web.assessments.models import RestitutionClaim

    field = RESTITUTION_DATES[step]
    if field != "paid_on":
        value = min(link.legal_steps.filter(step=step).values_list("date", flat=True), default=None)
    else:
        verdict = link.legal_steps.filter(step="verdict").order_by("date").first()
        ordered = verdict.amount if verdict else None
        value, total = None, 0
        for p in link.legal_steps.filter(step="restitution_paid").order_by("date"):
            total += p.amount or 0
            if value is None and (not ordered or total >= ordered):
                value = p.date
    RestitutionClaim.objects.filter(case_survivor=link).update(**{field: value})
