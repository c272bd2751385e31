"""Every write of the reintegration app: keyword-only, ``actor`` first, atomic, audited.

Authority is checked here (``lentera.web.core.access``), never only in a view: a plan is
changed by whoever may edit its case; the follow-up schedule of an organisation by its
admin. Audit details carry ids and codes, never a survivor's words.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.reintegration import catalogue_ref, load_catalogue, score
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.cases.models import Case, Person
from lentera.web.core.access import require_case_edit, require_org_admin
from lentera.web.core.services import assign, check_version, clean, invalid, not_found, text
from lentera.web.referrals.models import Referral, ServiceProvider
from lentera.web.reintegration import choices
from lentera.web.reintegration.models import (
    Departure,
    PlanAction,
    ReintegrationFollowUp,
    ReintegrationPlan,
    ReintegrationSettings,
    RssScore,
)

__all__ = [
    "ACTION_FIELDS",
    "DEPARTURE_FIELDS",
    "Schedule",
    "action_save",
    "add_months",
    "departure_record",
    "followup_check",
    "followup_record",
    "plan_create",
    "plan_update",
    "schedule_for",
    "score_check",
    "score_record",
    "settings_save",
]

ACTION_FIELDS = (
    "kind", "provider", "responsible", "referral", "planned_date", "actual_date", "status",
    "cost", "donor", "note",
)  # fmt: skip
DEPARTURE_FIELDS = (
    "kind", "departed_on", "channel", "same_recruiter", "destination_country", "new_case", "note",
)  # fmt: skip
MAX_MONTHS = 60


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months; the 31st falls on the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Schedule(NamedTuple):
    """An organisation's follow-up schedule: its settings row (None while never set), the
    months after the return a follow-up falls in and the usual mode (the defaults when never
    set)."""

    row: ReintegrationSettings | None
    months: list[int]
    mode: str


def schedule_for(organisation_id: int) -> Schedule:
    """The organisation's follow-up schedule, from one read of its settings."""
    row = ReintegrationSettings.objects.filter(organisation_id=organisation_id).first()
    if row is None:
        return Schedule(None, list(choices.DEFAULT_SCHEDULE), choices.Mode.VISIT)
    return Schedule(row, list(row.schedule_months), row.default_mode)


@transaction.atomic
def settings_save(
    *, actor: User, schedule_months: list[int], default_mode: str, version: int | None = None
) -> ReintegrationSettings:
    """Set when follow-ups fall (months after return, 0 = at return) and the usual mode."""
    membership = require_org_admin(actor)
    months = sorted(set(schedule_months))
    if not months or any(m < 0 or m > MAX_MONTHS for m in months):
        raise invalid(
            "schedule_invalid",
            _("Give one or more months between 0 and %(n)s.") % {"n": MAX_MONTHS},
            "schedule_months",
        )
    if default_mode not in choices.Mode.values:
        raise invalid("code_unknown", _("Choose a mode."), "default_mode")
    row, _created = ReintegrationSettings.objects.get_or_create(
        organisation_id=membership.organisation_id
    )
    check_version(row, version)
    row.schedule_months = months
    row.default_mode = default_mode
    row.version += 1
    row.save()
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=row,
        detail={"schedule_months": months, "default_mode": default_mode},
    )  # fmt: skip
    return row


def _check_referral(referral: Referral | None, person: Person, organisation_id: int) -> None:
    if referral is None:
        return
    if referral.organisation_id != organisation_id or referral.case_survivor.person_id != person.pk:
        raise invalid("referral_other", _("That referral is for another survivor."), "referral")


def _sync_schedule(actor: User, plan: ReintegrationPlan) -> int:
    """Create the follow-ups the organisation's schedule asks for; re-date the pending ones.

    Recorded follow-ups are history and are never moved. Returns how many were created.
    """
    if plan.return_date is None:
        return 0
    _settings, months, mode = schedule_for(plan.organisation_id)
    existing = {f.months: f for f in plan.followups.all()}
    created = 0
    for m in months:
        due = add_months(plan.return_date, m)
        row = existing.get(m)
        if row is None:
            ReintegrationFollowUp.objects.create(
                organisation_id=plan.organisation_id, plan=plan, months=m, due_date=due, mode=mode
            )
            created += 1
        elif not row.outcome and row.due_date != due:
            row.due_date = due
            row.version += 1
            row.save(update_fields=["due_date", "version"])
    if created:
        audit_log(
            actor=actor, action=AuditAction.CREATE, object_type="reintegration.reintegrationfollowup",
            detail={"plan": plan.pk, "scheduled": created},
        )  # fmt: skip
    return created


def _return_date(value: dt.date | None) -> dt.date | None:
    if value is not None and value > timezone.localdate() + dt.timedelta(days=366):
        raise invalid("date_far", _("The return date is more than a year ahead."), "return_date")
    return value


@transaction.atomic
def plan_create(
    *,
    actor: User,
    person: Person,
    case: Case,
    referral: Referral | None = None,
    return_date: dt.date | None = None,
    notes: str = "",
) -> ReintegrationPlan:
    """Open the survivor's reintegration plan (one per survivor); schedule follow-ups when the
    return date is known."""
    membership = require_case_edit(actor, case)
    if person.organisation_id != membership.organisation_id:
        raise not_found()
    if not case.survivors.filter(person=person).exists():
        raise invalid("case_other", _("The survivor is not in that case."), "case")
    if ReintegrationPlan.objects.filter(
        organisation_id=membership.organisation_id, person=person
    ).exists():
        raise invalid("plan_exists", _("This survivor already has a reintegration plan."), "case")
    _check_referral(referral, person, membership.organisation_id)
    plan = ReintegrationPlan(
        organisation_id=membership.organisation_id,
        person=person,
        case=case,
        referral=referral,
        return_date=_return_date(return_date),
        notes=text(notes, _("Notes")),
        created_by=actor,
    )
    clean(plan, exclude=["organisation", "person", "case", "referral", "created_by"])
    save_created(actor=actor, obj=plan, detail={"case": case.pk})
    _sync_schedule(actor, plan)
    return plan


@transaction.atomic
def plan_update(
    *, actor: User, plan: ReintegrationPlan, data: dict[str, Any], version: int | None = None
) -> ReintegrationPlan:
    """Change the plan's case, referral, return date or notes; re-schedule on a new return date."""
    membership = require_case_edit(actor, plan.case)
    check_version(plan, version, data)
    changed = assign(plan, data, ("case", "referral", "return_date", "notes"))
    if "case" in changed:
        require_case_edit(actor, plan.case)
        if not plan.case.survivors.filter(person_id=plan.person_id).exists():
            raise invalid("case_other", _("The survivor is not in that case."), "case")
    _check_referral(plan.referral, plan.person, membership.organisation_id)
    plan.notes = text(plan.notes, _("Notes"))
    _return_date(plan.return_date)
    clean(plan, exclude=["organisation", "person", "case", "referral", "created_by"])
    plan.version += 1
    plan.save()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=plan, detail={"changed": changed})
    if "return_date" in changed:
        _sync_schedule(actor, plan)
    return plan


@transaction.atomic
def action_save(
    *,
    actor: User,
    plan: ReintegrationPlan,
    data: dict[str, Any],
    action: PlanAction | None = None,
    version: int | None = None,
) -> PlanAction:
    """Add or change one action of the plan; its domain follows from its kind."""
    membership = require_case_edit(actor, plan.case)
    if action is None:
        action = PlanAction(organisation_id=membership.organisation_id, plan=plan, created_by=actor)
        kind = AuditAction.CREATE
    else:
        if action.plan_id != plan.pk:
            raise not_found()
        check_version(action, version, data)
        kind = AuditAction.UPDATE
    changed = assign(action, data, ACTION_FIELDS)
    if action.kind not in choices.ActionKind.values:
        raise invalid("code_unknown", _("Choose an action."), "kind")
    action.domain = choices.DOMAIN_OF[action.kind]
    provider: ServiceProvider | None = action.provider
    if provider is not None and provider.organisation_id != membership.organisation_id:
        raise invalid("provider_other", _("Choose a provider of your directory."), "provider")
    _check_referral(action.referral, plan.person, membership.organisation_id)
    action.responsible = text(action.responsible, _("Responsible organisation"))[:200]
    action.donor = text(action.donor, _("Paid by (donor)"))[:120]
    action.note = text(action.note, _("Note"))
    if action.status == choices.ActionStatus.DONE and action.actual_date is None:
        action.actual_date = timezone.localdate()
    if action.actual_date and action.actual_date > timezone.localdate():
        raise invalid("date_future", _("The actual date is in the future."), "actual_date")
    clean(action, exclude=["organisation", "plan", "provider", "referral", "created_by"])
    if kind == AuditAction.UPDATE:
        action.version += 1
    action.save()
    audit_log(
        actor=actor, action=kind, obj=action,
        detail={"plan": plan.pk, "kind": action.kind, "changed": changed},
    )  # fmt: skip
    return action


def followup_check(*, followup: ReintegrationFollowUp, outcome: str, done_on: dt.date) -> None:
    """What :func:`followup_record` refuses, checked without writing (an import checks every
    row with it before it writes any)."""
    if outcome not in choices.Outcome.values:
        raise invalid("code_unknown", _("Choose what happened."), "outcome")
    if done_on is None:
        raise invalid("required", _("Give the date of the visit or call."), "done_on")
    if done_on > timezone.localdate():
        raise invalid("date_future", _("The date is in the future."), "done_on")
    plan = followup.plan
    if plan.return_date and done_on < plan.return_date - dt.timedelta(days=31):
        raise invalid(
            "date_before_return", _("The date is long before the return date."), "done_on"
        )


@transaction.atomic
def followup_record(
    *,
    actor: User,
    followup: ReintegrationFollowUp,
    outcome: str,
    done_on: dt.date,
    mode: str = "",
    note: str = "",
    version: int | None = None,
) -> ReintegrationFollowUp:
    """Record what came of a follow-up: reached, could not reach, refused, moved, deceased.

    "Could not reach" is a result, not a gap: loss to follow-up is counted from it.
    Changing a reached follow-up to another outcome drops its survey scores.
    """
    require_case_edit(actor, followup.plan.case)
    check_version(followup, version)
    followup_check(followup=followup, outcome=outcome, done_on=done_on)
    plan = followup.plan
    previous = followup.outcome
    followup.outcome = outcome
    followup.done_on = done_on
    followup.mode = mode or followup.mode
    followup.note = text(note, _("Note"))
    followup.recorded_by = actor
    clean(followup, exclude=["organisation", "plan", "recorded_by"])
    followup.version += 1
    followup.save()
    if outcome != choices.Outcome.REACHED:
        RssScore.objects.filter(followup=followup).delete()
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=followup,
        detail={"plan": plan.pk, "outcome": outcome, "previous": previous},
    )  # fmt: skip
    return followup


def score_check(
    *, followup: ReintegrationFollowUp, done_on: dt.date, answers: dict[str, str]
) -> Any:
    """The engine's result for the survey of ``followup`` reached on ``done_on``, or the
    refusal :func:`score_record` would raise; nothing written."""
    answers = {k: v for k, v in answers.items() if v}
    if not answers:
        raise invalid("required", _("Answer at least one question."), "answers")
    cat = load_catalogue()
    visit = {
        "catalogue": catalogue_ref(cat),
        "survivor": f"plan-{followup.plan_id}",
        "visit_date": done_on.isoformat(),
        "visit_label": followup.slot,
        "outcome": "completed",
        "answers": answers,
    }
    try:
        return score(visit, catalogue=cat)
    except LenteraError as exc:
        field = (exc.field or "").removeprefix("answers.")
        raise invalid(exc.code, exc.message, field or None) from exc


@transaction.atomic
def score_record(
    *, actor: User, followup: ReintegrationFollowUp, answers: dict[str, str]
) -> RssScore:
    """Score the survey of a reached follow-up with the engine and keep the result with the
    catalogue version it was scored against (a second survey replaces the first)."""
    require_case_edit(actor, followup.plan.case)
    if followup.outcome != choices.Outcome.REACHED or followup.done_on is None:
        raise invalid(
            "not_reached",
            _("Record the follow-up as reached before filling the survey."),
            "outcome",
        )
    answers = {k: v for k, v in answers.items() if v}
    result = score_check(followup=followup, done_on=followup.done_on, answers=answers)
    dims = result.dimensions
    row, created = RssScore.objects.update_or_create(
        followup=followup,
        defaults={
            "organisation_id": followup.organisation_id,
            "plan_id": followup.plan_id,
            "visit_date": followup.done_on,
            "answers": answers,
            "economic": dims["economic"].score,
            "social": dims["social"].score,
            "psychosocial": dims["psychosocial"].score,
            "composite": result.composite,
            "catalogue": result.catalogue,
            "reasons": list(result.reasons),
            "result": result.to_json_dict(),
            "created_by": actor,
        },
    )
    audit_log(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=row,
        detail={"plan": followup.plan_id, "followup": followup.pk, "catalogue": result.catalogue},
    )  # fmt: skip
    return row


@transaction.atomic
def departure_record(*, actor: User, plan: ReintegrationPlan, data: dict[str, Any]) -> Departure:
    """Record that the survivor left again (re-migration) or was exploited again, linked to the
    case the plan came from (and to a new case when there is one)."""
    membership = require_case_edit(actor, plan.case)
    row = Departure(
        organisation_id=membership.organisation_id,
        plan=plan,
        earlier_case=plan.case,
        recorded_by=actor,
    )
    assign(row, data, DEPARTURE_FIELDS)
    if row.new_case is not None and row.new_case.organisation_id != membership.organisation_id:
        raise invalid("case_other", _("Choose a case of your organisation."), "new_case")
    if row.departed_on and row.departed_on > timezone.localdate():
        raise invalid("date_future", _("The date is in the future."), "departed_on")
    row.destination_country = (row.destination_country or "").upper()
    row.note = text(row.note, _("Note"))
    clean(row, exclude=["organisation", "plan", "earlier_case", "new_case", "recorded_by"])
    detail = {"plan": plan.pk, "kind": row.kind, "channel": row.channel}
    return save_created(actor=actor, obj=row, detail=detail)
