"""The follow-through dashboard: what is open, what is late, how providers answer, caseloads."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from lentera.web.accounts.models import Membership, User
from lentera.web.cases.choices import CaseStatus
from lentera.web.cases.models import Case
from lentera.web.core.access import require_case_role
from lentera.web.referrals import choices
from lentera.web.referrals.models import Referral, SupportAction
from lentera.web.referrals.selectors.referral import inbox_for_user
from lentera.web.referrals.selectors.support_plan import legal_deadlines_due

Status = choices.ReferralStatus
ActionStatus = choices.ActionStatus


@dataclass
class ProviderKpi:
    """How one provider answers the organisation's referrals."""

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
    accepted_like = {Status.ACCEPTED, Status.IN_SERVICE, Status.COMPLETED}
    for (pid, name), items in sorted(grouped.items(), key=lambda kv: kv[0][1]):
        accepted = [i for i in items if i[0] in accepted_like]
        declined = sum(1 for i in items if i[0] == Status.DECLINED)
        pending = sum(1 for i in items if i[0] == Status.SENT)
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


def dashboard_for_user(*, actor: User, today: dt.date | None = None) -> dict[str, Any]:
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
        organisation_id=org, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
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
        Case.objects.filter(
            organisation_id=org, status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP]
        )
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
        "inbox_open": inbox_for_user(actor=actor, status=Status.SENT).count(),
        "members": members,
        "today": today,
    }
