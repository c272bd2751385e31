"""Reads of the referral app, scoped to the actor's organisation.

A referral is visible to its sending organisation (in full) and to the
receiving organisation on this instance (its payload only). Opening a referral
that carries survivor data is audited.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lentera.law import QualificationResult
from lentera.law.process import Step, Timeline, timeline
from lentera.web.accounts.models import Membership
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_case_role
from lentera.web.referrals import choices
from lentera.web.referrals.models import (
    LegalStep,
    Notification,
    Referral,
    ServiceProvider,
    SupportAction,
)
from lentera.web.referrals.services import _not_found, side_of


def providers_for_user(
    *, actor: Any, q: str = "", region: str = "", service: str = "", active_only: bool = True
) -> QuerySet[ServiceProvider]:
    """The organisation's directory, searched by name, region (province or regency) and service."""
    membership = require_case_role(actor)
    qs = ServiceProvider.objects.filter(organisation_id=membership.organisation_id)
    if active_only:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if service:
        qs = qs.filter(service_index__contains=f"|{service}|")
    if region:
        cover = Q(nationwide=True) | Q(region_index__contains=f"|P{region[:2]}|")
        if len(region) == 4:
            cover |= Q(region_index__contains=f"|R{region}|")
        else:
            cover |= Q(region_index__contains=f"|R{region[:2]}")
        qs = qs.filter(cover)
    return qs.select_related("linked_organisation")


def provider_get_for_user(*, actor: Any, provider_id: int) -> ServiceProvider:
    membership = require_case_role(actor)
    provider = ServiceProvider.objects.filter(
        pk=provider_id, organisation_id=membership.organisation_id
    ).first()
    if provider is None:
        raise _not_found()
    return provider


def referral_get_for_user(
    *, actor: Any, referral_id: int, audit: bool = True
) -> tuple[Referral, str]:
    """The referral and the actor's side of it (sender or receiver); audited read."""
    referral = (
        Referral.objects.select_related(
            "organisation", "provider", "receiving_organisation", "case", "created_by"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        require_case_role(actor)
        raise _not_found()
    side = side_of(actor, referral)
    if audit:
        audit_log(actor=actor, action=AuditAction.READ, obj=referral, detail={"side": side})
    return referral, side


def referrals_of_case(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case)
        .select_related("provider", "case_survivor__person")
        .order_by("-sent_at")
    )


def inbox_for_user(*, actor: Any, status: str = "") -> QuerySet[Referral]:
    """Referrals addressed to the actor's organisation by others on this instance."""
    membership = require_case_role(actor)
    qs = Referral.objects.filter(receiving_organisation_id=membership.organisation_id)
    if status == "open":
        qs = qs.filter(status__in=choices.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation", "provider").order_by("-sent_at")


def sent_for_user(*, actor: Any, status: str = "", mine: bool = False) -> QuerySet[Referral]:
    membership = require_case_role(actor)
    qs = Referral.objects.filter(organisation_id=membership.organisation_id)
    if mine:
        qs = qs.filter(Q(created_by=actor) | Q(case__owner=actor))
    if status == "open":
        qs = qs.filter(status__in=choices.OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.filter(status__in=choices.OPEN_STATUSES, due_date__lt=timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("provider", "case", "receiving_organisation").order_by("-sent_at")


def support_actions_of(link: CaseSurvivor) -> list[SupportAction]:
    return list(
        link.support_actions.select_related("responsible", "referral").prefetch_related(
            "follow_ups"
        )
    )


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
    from lentera.law.process import charged_laws
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
) -> list[tuple[Case, Any]]:
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


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@dataclass
class ProviderKpi:
    provider_id: int
    name: str
    sent: int
    accepted: int
    declined: int
    pending: int
    acceptance_rate: float | None
    median_days_to_accept: float | None


def _provider_kpis(organisation_id: int) -> list[ProviderKpi]:
    rows = Referral.objects.filter(organisation_id=organisation_id).values_list(
        "provider_id", "provider__name", "status", "sent_at", "answered_at"
    )
    grouped: dict[tuple[int, str], list[tuple[str, Any, Any]]] = defaultdict(list)
    for pid, name, status, sent, answered in rows:
        grouped[(pid, name)].append((status, sent, answered))
    out = []
    accepted_like = {"accepted", "in_service", "completed"}
    for (pid, name), items in sorted(grouped.items(), key=lambda kv: kv[0][1]):
        accepted = [i for i in items if i[0] in accepted_like]
        declined = sum(1 for i in items if i[0] == "declined")
        pending = sum(1 for i in items if i[0] == "sent")
        days = [(a - s).total_seconds() / 86400 for _st, s, a in accepted if a is not None]
        answered = len(accepted) + declined
        out.append(
            ProviderKpi(
                provider_id=pid,
                name=name,
                sent=len(items),
                accepted=len(accepted),
                declined=declined,
                pending=pending,
                acceptance_rate=len(accepted) / answered if answered else None,
                median_days_to_accept=round(statistics.median(days), 1) if days else None,
            )
        )
    return out


def dashboard_for_user(*, actor: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The follow-through dashboard: what is open, what is late, how providers answer, caseloads."""
    membership = require_case_role(actor)
    org = membership.organisation_id
    today = today or timezone.localdate()
    everyone = membership.is_supervising
    sent = Referral.objects.filter(organisation_id=org).select_related("provider", "case")
    mine = sent.filter(Q(created_by=actor) | Q(case__owner=actor))
    scope = sent if everyone else mine
    overdue_referrals = list(
        scope.filter(status__in=choices.OPEN_STATUSES, due_date__lt=today).order_by("due_date")
    )
    actions = SupportAction.objects.filter(
        organisation_id=org, status__in=["planned", "in_progress"]
    ).select_related("case_survivor__case", "responsible")
    if not everyone:
        actions = actions.filter(Q(responsible=actor) | Q(case_survivor__case__owner=actor))
    due_follow_ups = list(
        actions.filter(Q(next_follow_up__lte=today) | Q(planned_end__lt=today)).order_by(
            "next_follow_up", "planned_end"
        )
    )
    cases = Case.objects.filter(organisation_id=org)
    if not everyone:
        cases = cases.filter(owner=actor)
    legal = legal_deadlines_due(cases, today=today, limit=500)
    caseload = list(
        Case.objects.filter(organisation_id=org, status__in=["active", "follow_up"])
        .values("owner__username")
        .annotate(n=Count("id"))
        .order_by("-n", "owner__username")
    )
    open_refs = dict(
        sent.filter(status__in=choices.OPEN_STATUSES)
        .values_list("created_by__username")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in caseload:
        row["open_referrals"] = open_refs.pop(row["owner__username"], 0)
    caseload += [{"owner__username": u, "n": 0, "open_referrals": n} for u, n in open_refs.items()]
    members = Membership.objects.filter(organisation_id=org).count()
    return {
        "everyone": everyone,
        "my_open": list(mine.filter(status__in=choices.OPEN_STATUSES).order_by("due_date")),
        "overdue_referrals": overdue_referrals,
        "due_follow_ups": due_follow_ups,
        "legal_deadlines": legal,
        "providers": _provider_kpis(org),
        "caseload": caseload if everyone else [],
        "inbox_open": inbox_for_user(actor=actor, status="sent").count(),
        "members": members,
        "today": today,
    }
