"""Writes of support plans: the actions of one survivor's plan and the follow-ups on an
action or a referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.audit.services import save_created, save_new_or_edited
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_own_organisation
from lentera.web.core.services import clean, invalid, new_or_checked, not_found, set_given, text
from lentera.web.referrals import choices
from lentera.web.referrals.models import FollowUp, Referral, SupportAction

ActionStatus = choices.ActionStatus

ACTION_FIELDS = (
    "service_type",
    "objective",
    "action",
    "responsible",
    "referral",
    "planned_start",
    "planned_end",
    "actual_end",
    "status",
    "next_follow_up",
)


@transaction.atomic
def action_save(
    *,
    actor: User,
    link: CaseSurvivor,
    data: dict[str, Any],
    action: SupportAction | None = None,
) -> SupportAction:
    """Create or update one line of the survivor's support plan."""
    membership = require_own_organisation(actor, link.case.organisation_id)
    if action is not None and action.case_survivor_id != link.pk:
        raise not_found()
    action = new_or_checked(
        action,
        lambda: SupportAction(
            organisation_id=membership.organisation_id, case_survivor=link, created_by=actor
        ),
        data.get("version"),
    )
    set_given(action, data, ACTION_FIELDS)
    action.objective = text(action.objective, _("Objective"), required=True)
    action.action = text(action.action, _("Action plan"))
    if action.referral_id and action.referral.case_survivor_id != link.pk:
        raise invalid("referral_other", _("That referral is for another survivor."), "referral")
    if action.responsible_id:
        m = getattr(action.responsible, "membership_or_none", None)
        if m is None or m.organisation_id != membership.organisation_id:
            raise invalid("user_other", _("Choose a worker of your organisation."), "responsible")
    today = timezone.localdate()
    if action.status == ActionStatus.DONE and action.actual_end is None:
        action.actual_end = today
    if action.actual_end and action.actual_end > today:
        raise invalid("date_future", _("The actual end date is in the future."), "actual_end")
    if action.status in {ActionStatus.DONE, ActionStatus.CANCELLED}:
        action.next_follow_up = None
    clean(action, exclude=["organisation", "case_survivor", "created_by", "referral"])
    return save_new_or_edited(actor=actor, obj=action, detail={"case_survivor": link.pk})


@transaction.atomic
def follow_up_add(
    *,
    actor: User,
    case: Case,
    note: str,
    done_on: dt.date | None = None,
    next_follow_up: dt.date | None = None,
    action: SupportAction | None = None,
    referral: Referral | None = None,
) -> FollowUp:
    """Record a follow-up on a support action or a referral, and when to look again."""
    membership = require_own_organisation(actor, case.organisation_id)
    if action is not None and referral is None:
        target_case = action.case_survivor.case_id
    elif referral is not None and action is None:
        target_case = referral.case_id
    else:
        raise invalid("target", _("A follow-up belongs to one action or one referral."))
    if target_case != case.pk:
        raise not_found()
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise invalid("date_future", _("This date is in the future."), "done_on")
    if next_follow_up is not None and next_follow_up <= done_on:
        raise invalid(
            "date_order", _("The next follow-up must be after this one."), "next_follow_up"
        )
    follow = FollowUp(
        organisation_id=membership.organisation_id,
        case=case,
        action=action,
        referral=referral,
        done_on=done_on,
        note=text(note, _("What was found"), required=True),
        next_follow_up=next_follow_up,
        author=actor,
    )
    save_created(actor=actor, obj=follow, detail={"case": case.pk})
    if action is not None:
        SupportAction.objects.filter(pk=action.pk).update(
            next_follow_up=next_follow_up, version=F("version") + 1
        )
    return follow
