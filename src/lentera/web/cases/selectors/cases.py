"""Reads of cases: the searchable list, one case with everything its page shows, counts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import choices
from lentera.web.cases.models import (
    Case,
    CaseNote,
    CaseSurvivor,
    CaseTag,
    Consent,
)
from lentera.web.cases.selectors.persons import persons_matching
from lentera.web.core.access import require_case_role
from lentera.web.core.services import not_found

__all__ = [
    "CaseFilters",
    "case_for_edit",
    "case_get_for_user",
    "case_list_for_user",
    "case_recent_for_user",
    "case_stats_for_user",
    "with_survivor_counts",
]


@dataclass(frozen=True)
class CaseFilters:
    """What the case list can be narrowed by."""

    q: str = ""
    status: str = ""
    province: str = ""
    exploitation_type: str = ""


def _org_cases(actor: User) -> QuerySet[Case]:
    membership = require_case_role(actor)
    return Case.objects.filter(organisation_id=membership.organisation_id)


#: a name or NIK search with at most this many linked cases is carried as a list of ids
INLINE_MATCHES = 1000

REFERENCE_RE = re.compile(r"^[A-Za-z0-9-]*\d[A-Za-z0-9-]*$")


def _looks_like_reference(q: str) -> bool:
    """A case number (YLK-2026-00042) or its tail (00042); not a 16-digit NIK."""
    return bool(REFERENCE_RE.match(q)) and ("-" in q or len(q) <= 6)


def _search(qs: QuerySet[Case], organisation_id: int, q: str) -> tuple[QuerySet[Case], bool]:
    """Cases whose number matches, or with a survivor matched by NIK or name; and whether the
    matches are a short list of ids (else a sub-query: a broad name).

    Every branch is an indexed look-up (materialised as ids when few, else a subquery): no OR
    across joins, no DISTINCT.
    """
    q = q.strip()
    if not q:
        return qs, False
    few = True
    condition = Q(pk__in=[])
    if _looks_like_reference(q):
        refs = Case.objects.filter(organisation_id=organisation_id)
        exact = list(refs.filter(reference=q.upper()).values_list("pk", flat=True))
        condition |= Q(
            pk__in=exact
            or list(refs.filter(reference__iendswith=q).values_list("pk", flat=True)[:500])
        )
    persons = persons_matching(organisation_id, q)
    if persons is not None:
        linked = (
            CaseSurvivor.objects.filter(person_id__in=persons.values("pk"))
            .order_by()
            .values_list("case_id", flat=True)
        )
        # matched once: the page's capped count and its rows then read these ids, instead of
        # each running the blind-index intersection again (a broad name stays a subquery)
        found = list(linked[: INLINE_MATCHES + 1])
        few = len(found) <= INLINE_MATCHES
        condition |= Q(pk__in=found if few else linked)
    return qs.filter(condition), few


def _filter_tag(filters: CaseFilters) -> tuple[str, str] | None:
    """The one ``CaseTag`` (kind, code) the province and exploitation filters ask for."""
    kind = CaseTag.Kind
    if filters.province and filters.exploitation_type:
        pair = CaseTag.pair_code(filters.province, filters.exploitation_type)
        return str(kind.PROVINCE_TYPE), pair
    if filters.province:
        return str(kind.PROVINCE), filters.province
    if filters.exploitation_type:
        return str(kind.EXPLOITATION), filters.exploitation_type
    return None


def case_list_for_user(*, actor: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The actor's organisation's cases, filtered and searched, newest first."""
    filters = filters or CaseFilters()
    membership = require_case_role(actor)
    qs = _org_cases(actor).select_related("owner").defer("summary", "closure_reason")
    if filters.status:
        qs = qs.filter(status=filters.status)
    tag = _filter_tag(filters)
    if tag is not None:  # one tag, one index range: a province and a type together are a pair
        tagged = CaseTag.objects.filter(
            organisation_id=membership.organisation_id, kind=tag[0], code=tag[1]
        )
        qs = qs.filter(pk__in=tagged.values("case_id"))
    ordering: tuple[Any, ...] = ("-opened_on", "-id")
    if filters.q:
        qs, few = _search(qs, membership.organisation_id, filters.q)
        if few:
            # at most a thousand ids: read them by key and sort them (an expression, so the
            # planner does not walk the organisation's whole opened_on index looking for them)
            ordering = (Coalesce("opened_on", "opened_on").desc(), "-id")
        audit_log(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="cases.case",
            detail={"kind": "case_list"},
        )
    return qs.order_by(*ordering)


def with_survivor_counts(cases: Iterable[Case]) -> list[Case]:
    """Attach ``survivor_count`` to a page of cases with one query (not one per case)."""
    cases = list(cases)
    counts = dict(
        CaseSurvivor.objects.filter(case_id__in=[c.pk for c in cases])
        .values_list("case_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for case in cases:
        case.survivor_count = counts.get(case.pk, 0)
    return cases


def case_get_for_user(*, actor: User, case_id: int | str, audit: bool = True) -> Case:
    """One case of the actor's organisation with everything the detail page shows; audited."""
    try:
        case_pk = int(case_id)
    except (TypeError, ValueError):
        raise not_found(_("Case not found.")) from None
    qs = (
        _org_cases(actor)
        .select_related("owner", "organisation")
        .prefetch_related(
            # survivors, perpetrators and events in their models' own order (Meta.ordering)
            Prefetch("survivors", queryset=CaseSurvivor.objects.select_related("person")),
            "perpetrators",
            "events",
            Prefetch(
                "notes",
                queryset=CaseNote.objects.select_related("author").order_by("-created_at", "-id"),
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by").order_by("-recorded_at"),
            ),
            "attachments",
            "survivors__screenings",
        )
    )
    case = qs.filter(pk=case_pk).first()
    if case is None:
        audit_log(
            actor=actor, action=AuditAction.DENIED, object_type="cases.case", object_id=case_pk
        )
        raise not_found(_("Case not found."))
    if audit:
        audit_log(
            actor=actor,
            action=AuditAction.READ,
            obj=case,
            detail={"survivors": [s.person_id for s in case.survivors.all()]},
        )
    return case


def case_for_edit(case: Case) -> Case:
    """A fresh copy of a case already read for the actor, for a form to edit (the form changes
    its instance while validating; the page keeps showing the case as stored)."""
    return Case.objects.get(pk=case.pk)


def case_stats_for_user(*, actor: User) -> dict[str, int]:
    """Case counts by status for the dashboard, and the actor's own open cases."""
    qs = _org_cases(actor)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    closed = [choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED]
    return {
        "total": sum(counts.values()),
        "active": counts.get(choices.CaseStatus.ACTIVE, 0),
        "follow_up": counts.get(choices.CaseStatus.FOLLOW_UP, 0),
        "closed": sum(counts.get(s, 0) for s in closed),
        "mine": qs.filter(owner=actor).exclude(status__in=closed).count(),
    }


def case_recent_for_user(*, actor: User, limit: int = 5) -> list[Case]:
    """The actor's own cases, last changed first."""
    return list(_org_cases(actor).filter(owner=actor).order_by("-updated_at")[:limit])
