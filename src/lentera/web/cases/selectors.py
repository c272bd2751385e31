"""Reads from the case store, always scoped to the actor's organisation.

Survivor records are fetched only through these functions. Opening a case or a
survivor writes a read audit row; searches write a search audit row (without
the search terms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from lentera import linkage
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import choices
from lentera.web.cases.models import (
    Case,
    CaseNote,
    CaseSurvivor,
    CaseTag,
    Consent,
    Perpetrator,
    Person,
    PersonNameToken,
    TraffickingEvent,
)
from lentera.web.cases.services import NAME_PURPOSE, nik_hash
from lentera.web.core import crypto
from lentera.web.core.access import require_case_role
from lentera.web.core.validators import NIK_RE, normalise_nik


@dataclass(frozen=True)
class CaseFilters:
    """What the case list can be narrowed by."""

    q: str = ""
    status: str = ""
    province: str = ""
    exploitation_type: str = ""


def _org_cases(actor: Any) -> QuerySet[Case]:
    membership = require_case_role(actor)
    return Case.objects.filter(organisation_id=membership.organisation_id)


REFERENCE_RE = re.compile(r"^[A-Za-z0-9-]*\d[A-Za-z0-9-]*$")


def _persons_matching(organisation_id: int, q: str) -> QuerySet[Person] | None:
    """Persons whose NIK equals the query, or whose name has every query token (blind indexes).

    Returned as a lazy queryset so callers can use it as a SQL subquery.
    """
    nik = normalise_nik(q)
    if NIK_RE.match(nik):
        return Person.objects.filter(organisation_id=organisation_id, nik_index=nik_hash(nik))
    tokens = list(dict.fromkeys(linkage.search_tokens(q)))
    if not tokens:
        return None
    hashes = sorted({crypto.blind_index(token, purpose=NAME_PURPOSE) for token in tokens})
    index = PersonNameToken.objects.filter(organisation_id=organisation_id)
    # Drive the intersection from the rarest token (Siti, Muhammad and Nur are everywhere).
    counts = dict(
        index.filter(token_hash__in=hashes)
        .values_list("token_hash")
        .annotate(n=Count("id"))
        .order_by()
    )
    if len(counts) < len(hashes):
        return Person.objects.none()
    ordered = sorted(hashes, key=lambda h: counts[h])
    matches = index.filter(token_hash=ordered[0])
    for h in ordered[1:]:
        matches = matches.filter(person_id__in=index.filter(token_hash=h).values("person_id"))
    return Person.objects.filter(
        organisation_id=organisation_id, pk__in=matches.values("person_id")
    )


def _looks_like_reference(q: str) -> bool:
    """A case number (YLK-2026-00042) or its tail (00042); not a 16-digit NIK."""
    return bool(REFERENCE_RE.match(q)) and ("-" in q or len(q) <= 6)


def _search(qs: QuerySet[Case], organisation_id: int, q: str) -> QuerySet[Case]:
    """Cases whose number matches, or with a survivor matched by NIK or name.

    Every branch is an indexed look-up used as a subquery: no OR across joins,
    no DISTINCT.
    """
    q = q.strip()
    if not q:
        return qs
    condition = Q(pk__in=[])
    if _looks_like_reference(q):
        refs = Case.objects.filter(organisation_id=organisation_id)
        exact = list(refs.filter(reference=q.upper()).values_list("pk", flat=True))
        condition |= Q(
            pk__in=exact
            or list(refs.filter(reference__iendswith=q).values_list("pk", flat=True)[:500])
        )
    persons = _persons_matching(organisation_id, q)
    if persons is not None:
        condition |= Q(
            pk__in=CaseSurvivor.objects.filter(person_id__in=persons.values("pk")).values("case_id")
        )
    return qs.filter(condition)


def case_list_for_user(*, actor: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The actor's organisation's cases, filtered and searched, newest first."""
    filters = filters or CaseFilters()
    membership = require_case_role(actor)
    qs = _org_cases(actor).select_related("owner").defer("summary", "closure_reason")
    if filters.status:
        qs = qs.filter(status=filters.status)
    for kind, code in (
        (CaseTag.Kind.PROVINCE, filters.province),
        (CaseTag.Kind.EXPLOITATION, filters.exploitation_type),
    ):
        if code:
            tagged = CaseTag.objects.filter(
                organisation_id=membership.organisation_id, kind=kind, code=code
            )
            qs = qs.filter(pk__in=tagged.values("case_id"))
    if filters.q:
        qs = _search(qs, membership.organisation_id, filters.q)
        audit_log(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="cases.case",
            detail={"kind": "case_list"},
        )
    return qs.order_by("-opened_on", "-id")


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


def case_get_for_user(*, actor: Any, case_id: int | str, audit: bool = True) -> Case:
    """One case of the actor's organisation with everything the detail page shows; audited."""
    try:
        case_pk = int(case_id)
    except (TypeError, ValueError):
        raise LenteraError("not_found", _("Case not found."), kind="not_found") from None
    qs = (
        _org_cases(actor)
        .select_related("owner", "organisation")
        .prefetch_related(
            Prefetch(
                "survivors", queryset=CaseSurvivor.objects.select_related("person").order_by("id")
            ),
            Prefetch("perpetrators", queryset=Perpetrator.objects.order_by("id")),
            Prefetch("events", queryset=TraffickingEvent.objects.order_by("date", "id")),
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
        raise LenteraError("not_found", _("Case not found."), kind="not_found")
    if audit:
        audit_log(
            actor=actor,
            action=AuditAction.READ,
            obj=case,
            detail={"survivors": [s.person_id for s in case.survivors.all()]},
        )
    return case


def case_get_by_reference(*, actor: Any, reference: str) -> Case:
    case = _org_cases(actor).filter(reference__iexact=reference.strip()).first()
    if case is None:
        raise LenteraError("not_found", _("Case not found."), kind="not_found")
    return case_get_for_user(actor=actor, case_id=case.pk)


def person_get_for_user(*, actor: Any, person_id: int | str, audit: bool = True) -> Person:
    membership = require_case_role(actor)
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found") from None
    person = Person.objects.filter(organisation_id=membership.organisation_id, pk=pk).first()
    if person is None:
        audit_log(actor=actor, action=AuditAction.DENIED, object_type="cases.person", object_id=pk)
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    if audit:
        audit_log(actor=actor, action=AuditAction.READ, obj=person)
    return person


def person_list_for_user(*, actor: Any, q: str = "") -> QuerySet[Person]:
    membership = require_case_role(actor)
    qs = Person.objects.filter(organisation_id=membership.organisation_id, merged_into__isnull=True)
    q = q.strip()
    if q:
        persons = _persons_matching(membership.organisation_id, q)
        qs = qs.filter(pk__in=persons.values("pk")) if persons is not None else qs.none()
        audit_log(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="cases.person",
            detail={"kind": "person_search"},
        )
    return qs.order_by("-id")


def case_survivor_get_for_user(*, actor: Any, link_id: int | str) -> CaseSurvivor:
    membership = require_case_role(actor)
    link = (
        CaseSurvivor.objects.select_related("case", "person")
        .filter(pk=link_id, case__organisation_id=membership.organisation_id)
        .first()
    )
    if link is None:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    audit_log(actor=actor, action=AuditAction.READ, obj=link.person, detail={"case": link.case_id})
    return link


def _child_of_case(model: Any, actor: Any, pk: int | str) -> Any:
    membership = require_case_role(actor)
    obj = (
        model.objects.select_related("case")
        .filter(pk=pk, case__organisation_id=membership.organisation_id)
        .first()
    )
    if obj is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    return obj


def perpetrator_get_for_user(*, actor: Any, perpetrator_id: int | str) -> Perpetrator:
    return _child_of_case(Perpetrator, actor, perpetrator_id)


def event_get_for_user(*, actor: Any, event_id: int | str) -> TraffickingEvent:
    return _child_of_case(TraffickingEvent, actor, event_id)


def current_consents(person: Person) -> dict[str, Consent]:
    """The consent in force per purpose (the latest not withdrawn)."""
    result: dict[str, Consent] = {}
    for consent in person.consents.filter(withdrawn_at__isnull=True).order_by(
        "-recorded_at", "-id"
    ):
        result.setdefault(consent.purpose, consent)
    return result


def case_stats_for_user(*, actor: Any) -> dict[str, int]:
    qs = _org_cases(actor)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "total": sum(counts.values()),
        "active": counts.get(choices.CaseStatus.ACTIVE, 0),
        "follow_up": counts.get(choices.CaseStatus.FOLLOW_UP, 0),
        "closed": counts.get(choices.CaseStatus.CLOSED, 0)
        + counts.get(choices.CaseStatus.CLOSED_REFERRED, 0),
        "mine": qs.filter(owner=actor)
        .exclude(status__in=[choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED])
        .count(),
    }


def case_recent_for_user(*, actor: Any, limit: int = 5) -> Iterable[Case]:
    return list(_org_cases(actor).filter(owner=actor).order_by("-updated_at")[:limit])
