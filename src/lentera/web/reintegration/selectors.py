"""Reads of the reintegration app, scoped to the actor's organisation.

Opening a plan (it names the survivor) is audited; lists used by the API audit the ids they
return. Rows of another organisation are ``not_found``, never ``forbidden``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lentera.reintegration import DIMENSIONS, load_catalogue
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.models import Case, CaseSurvivor, Person
from lentera.web.core.access import require_case_role, require_org_admin
from lentera.web.core.selectors import one_of_organisation
from lentera.web.core.services import not_found
from lentera.web.core.snapshot_sources import part_stamps, selected_units, stamp, with_parts
from lentera.web.referrals.models import Referral, ServiceProvider, SupportAction
from lentera.web.reintegration import choices
from lentera.web.reintegration.models import (
    Departure,
    PlanAction,
    ReintegrationFollowUp,
    ReintegrationPlan,
    RssScore,
)
from lentera.web.reintegration.services import Schedule, schedule_for

#: a pending follow-up shows as "due" this many days before its date
DUE_AHEAD_DAYS = 14


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found() from None


def _org(actor: User) -> int:
    return require_case_role(actor).organisation_id


def plan_queryset(organisation_id: int) -> QuerySet[ReintegrationPlan]:
    return ReintegrationPlan.objects.filter(organisation_id=organisation_id)


def plan_get_for_user(*, actor: User, plan_id: int | str, audit: bool = True) -> ReintegrationPlan:
    """One plan with its actions, follow-ups (and scores) and departures; an audited read."""
    org = _org(actor)
    plan = (
        plan_queryset(org)
        .select_related("person", "case", "referral")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("provider", "referral").order_by(
                    "domain", "planned_date", "id"
                ),
            ),
            Prefetch(
                "followups",
                queryset=ReintegrationFollowUp.objects.select_related("score", "recorded_by"),
            ),
            Prefetch("departures", queryset=Departure.objects.select_related("new_case")),
        )
        .filter(pk=_pk(plan_id))
        .first()
    )
    if plan is None:
        audit_log(
            actor=actor, action=AuditAction.DENIED,
            object_type="reintegration.reintegrationplan", object_id=str(plan_id)[:40],
        )  # fmt: skip
        raise not_found()
    if audit:
        audit_log(actor=actor, action=AuditAction.READ, obj=plan, detail={"person": plan.person_id})
    return plan


def plan_for_person(*, actor: User, person: Person) -> ReintegrationPlan | None:
    """The survivor's plan, if any (the person was read and audited by the caller)."""
    return plan_queryset(_org(actor)).filter(person=person).first()


def plan_list_for_user(*, actor: User, case_id: int | None = None) -> QuerySet[ReintegrationPlan]:
    qs = plan_queryset(_org(actor)).select_related("case")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs.order_by("-created_at", "-id")


def person_links(*, actor: User, person: Person) -> list[CaseSurvivor]:
    """The survivor's cases in the actor's organisation (to link a plan to one)."""
    return list(
        CaseSurvivor.objects.filter(person=person, case__organisation_id=_org(actor))
        .select_related("case")
        .order_by("-case__opened_on")
    )


def plan_form_choices(*, actor: User, person: Person) -> dict[str, list[tuple[Any, str]]]:
    """Cases and referrals a plan of ``person`` may link to."""
    org = _org(actor)
    links = person_links(actor=actor, person=person)
    referrals = Referral.objects.filter(organisation_id=org, case_survivor__person=person)
    return {
        "case": [(lnk.case_id, lnk.case.reference) for lnk in links],
        "referral": [(r.pk, r.number) for r in referrals.order_by("-sent_at")],
    }


def action_form_choices(*, actor: User, plan: ReintegrationPlan) -> dict[str, list[Any]]:
    org = _org(actor)
    providers = ServiceProvider.objects.filter(organisation_id=org, is_active=True)
    referrals = Referral.objects.filter(
        organisation_id=org, case_survivor__person_id=plan.person_id
    )
    return {
        "provider": [(p.pk, p.name) for p in providers.order_by("name")],
        "referral": [(r.pk, r.number) for r in referrals.order_by("-sent_at")],
    }


def provider_get(*, actor: User, provider_id: int | None) -> ServiceProvider | None:
    if not provider_id:
        return None
    return ServiceProvider.objects.filter(organisation_id=_org(actor), pk=provider_id).first()


def referral_get(*, actor: User, referral_id: int | None) -> Referral | None:
    if not referral_id:
        return None
    return (
        Referral.objects.select_related("case_survivor")
        .filter(organisation_id=_org(actor), pk=referral_id)
        .first()
    )


def case_get(*, actor: User, case_id: int | None) -> Case | None:
    if not case_id:
        return None
    return Case.objects.filter(organisation_id=_org(actor), pk=case_id).first()


def action_get_for_user(*, actor: User, action_id: int | str) -> PlanAction:
    org = _org(actor)
    return one_of_organisation(
        PlanAction.objects.select_related("plan__case", "plan__person"), _pk(action_id), org
    )


def followup_get_for_user(*, actor: User, followup_id: int | str) -> ReintegrationFollowUp:
    org = _org(actor)
    return one_of_organisation(
        ReintegrationFollowUp.objects.select_related("plan__case", "plan__person"),
        _pk(followup_id),
        org,
    )


def followup_list_for_user(
    *, actor: User, plan_id: int | None = None, state: str = ""
) -> QuerySet[ReintegrationFollowUp]:
    """Follow-ups of the organisation; ``state`` = pending | overdue | done."""
    qs = ReintegrationFollowUp.objects.filter(organisation_id=_org(actor))
    if plan_id is not None:
        qs = qs.filter(plan_id=plan_id)
    if state == "pending":
        qs = qs.filter(outcome="")
    elif state == "overdue":
        qs = qs.filter(outcome="", due_date__lt=timezone.localdate())
    elif state == "done":
        qs = qs.exclude(outcome="")
    return qs.select_related("plan").order_by("due_date", "id")


def score_get_for_user(*, actor: User, score_id: int | str) -> RssScore:
    org = _org(actor)
    return one_of_organisation(RssScore, _pk(score_id), org)


def score_list_for_user(*, actor: User, plan_id: int | None = None) -> QuerySet[RssScore]:
    qs = RssScore.objects.filter(organisation_id=_org(actor))
    if plan_id is not None:
        qs = qs.filter(plan_id=plan_id)
    return qs.select_related("followup").order_by("visit_date", "id")


@dataclass(frozen=True)
class DueFollowUp:
    followup: ReintegrationFollowUp
    case_reference: str
    overdue: bool


def due_followups_for_user(
    *, actor: User, today: dt.date | None = None, mine: bool = False, limit: int = 50
) -> list[DueFollowUp]:
    """Pending follow-ups due within two weeks or overdue (case numbers and dates, no names)."""
    today = today or timezone.localdate()
    qs = ReintegrationFollowUp.objects.filter(
        organisation_id=_org(actor),
        outcome="",
        due_date__lte=today + dt.timedelta(days=DUE_AHEAD_DAYS),
    )
    if mine:
        qs = qs.filter(Q(plan__case__owner=actor) | Q(plan__created_by=actor))
    rows = qs.select_related("plan__case").order_by("due_date", "id")[:limit]
    return [DueFollowUp(f, f.plan.case.reference, f.due_date < today) for f in rows]


def settings_for_user(*, actor: User) -> Schedule:
    """The organisation's follow-up schedule with its settings row (org admins only)."""
    return schedule_for(require_org_admin(actor).organisation_id)


def catalogue_questions(lang: str) -> list[dict[str, Any]]:
    """The RSS questions grouped by dimension, in ``lang`` (``id`` or ``en``)."""
    cat = load_catalogue()
    out = []
    for dim in DIMENSIONS:
        meta = cat.dimensions[dim]
        out.append(
            {
                "dimension": dim,
                "label": meta[f"label_{lang}"],
                "indicators": [
                    {
                        "key": ind.id,
                        "name": ind.name,
                        "label": getattr(ind, f"label_{lang}"),
                        "question": getattr(ind, f"question_{lang}"),
                        "options": [
                            (o.code, getattr(o, f"label_{lang}")) for o in ind.options.values()
                        ],
                    }
                    for ind in cat.by_dimension(dim)
                ],
            }
        )
    return out


def catalogue_status() -> dict[str, str]:
    """Which catalogue the scores use, and its verification note (shown in every RSS page)."""
    cat = load_catalogue()
    return {
        "id": cat.id,
        "version": cat.version,
        "title_id": cat.title_id,
        "title_en": cat.title_en,
    }


def plan_outcome_state(plan: ReintegrationPlan) -> str:
    """``lost`` when the latest recorded follow-up did not reach the survivor, else ``followed``,
    ``deceased`` or ``not_started``."""
    done = [f for f in plan.followups.all() if f.outcome]
    if not done:
        return "not_started"
    last = max(done, key=lambda f: (f.done_on or f.due_date, f.pk))
    if last.outcome == choices.Outcome.DECEASED:
        return "deceased"
    return "lost" if last.outcome in choices.LOST_OUTCOMES else "followed"


def plans_for_snapshot(
    org_ids: list[int] | None, only: Collection[int] | None = None
) -> QuerySet[ReintegrationPlan]:
    """Every plan of the organisations (all if None; of the plans ``only``, when given) with
    what the analytics snapshot needs:
    the person (sex, origin, age), actions, follow-ups with their scores, scores, departures.
    No actor: the snapshot export runs for the organisation's warehouse, in the worker."""
    plans = ReintegrationPlan.objects.select_related("person", "organisation").prefetch_related(
        Prefetch("followups", queryset=ReintegrationFollowUp.objects.select_related("score")),
        "actions",
        "scores",
        "departures",
    )
    return selected_units(plans, org_ids, only).order_by("pk")


def plan_stamps(org_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Per plan of the organisations: what tells that its snapshot rows changed — the plan, its
    person, its actions, follow-ups, scores and departures (the incremental warehouse build)."""
    plans = ReintegrationPlan.objects.filter(organisation_id__in=org_ids)
    base = {
        pk: row
        for pk, *row in plans.order_by().values_list(
            "pk", stamp("updated_at"), "person_id", stamp("person__updated_at")
        )
    }
    return with_parts(
        base,
        *(
            part_stamps(model.objects.filter(plan__organisation_id__in=org_ids), "plan_id")
            for model in (PlanAction, ReintegrationFollowUp, RssScore, Departure)
        ),
    )


#: the answers to the RSS work question that mean the survivor has an income
INCOME_ANSWERS = frozenset({"regular", "irregular"})


def first_income_on(plan: ReintegrationPlan) -> dt.date | None:
    """The first date after return with a sign of an income of the survivor's own: an RSS
    score answering that they work, or a job placement / business grant done (prefetched
    ``followups__score`` and ``actions``)."""
    if plan.return_date is None:
        return None
    dates = []
    for f in plan.followups.all():
        score = getattr(f, "score", None)
        if score is not None and f.done_on and score.answers.get("economic.work") in INCOME_ANSWERS:
            dates.append(f.done_on)
    for a in plan.actions.all():
        if (
            a.kind in choices.INCOME_KINDS
            and a.status == choices.ActionStatus.DONE
            and a.actual_date
        ):
            dates.append(a.actual_date)
    dates = [d for d in dates if d >= plan.return_date]
    return min(dates) if dates else None


@dataclass(frozen=True)
class SupportPlan:
    """The survivor's support plan in the plan's case (the referrals app's), which the
    reintegration plan builds on: its lines and the page that edits them."""

    link_id: int | None
    actions: list[SupportAction]


def support_plan_of(plan: ReintegrationPlan) -> SupportPlan:
    """The support plan of the plan's survivor in the plan's case (access checked by the
    plan's read); empty when the survivor has none."""
    link = CaseSurvivor.objects.filter(case_id=plan.case_id, person_id=plan.person_id).first()
    if link is None:
        return SupportPlan(link_id=None, actions=[])
    actions = list(link.support_actions.order_by("planned_end", "id"))
    return SupportPlan(link_id=link.pk, actions=actions)
