"""Reads of survivors and of the records of a case, scoped to the actor's organisation."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, Model, QuerySet
from django.utils.translation import gettext as _

from lentera import linkage
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.blind_index import NAME_PURPOSE, nik_hash
from lentera.web.cases.models import (
    Case,
    CaseSurvivor,
    Consent,
    Perpetrator,
    Person,
    PersonMerge,
    PersonNameToken,
    TraffickingEvent,
)
from lentera.web.core import crypto
from lentera.web.core.access import require_case_role
from lentera.web.core.selectors import one_of_organisation
from lentera.web.core.services import not_found
from lentera.web.core.validators import NIK_RE, normalise_nik

M = TypeVar("M", bound=Model)

__all__ = [
    "case_persons",
    "case_survivor_get_for_user",
    "consent_get_for_user",
    "current_consents",
    "event_get_for_user",
    "perpetrator_get_for_user",
    "person_consents",
    "person_get_for_user",
    "person_links",
    "person_list_for_user",
    "person_merges",
    "persons_matching",
    "record_of_case",
]


def persons_matching(organisation_id: int, q: str) -> QuerySet[Person] | None:
    """Persons whose NIK equals the query, or whose name has every query token (blind indexes).

    Returned as a lazy queryset so callers can use it as a SQL subquery; None when the query
    has no searchable token.
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


def person_get_for_user(*, actor: User, person_id: int | str, audit: bool = True) -> Person:
    """One survivor of the actor's organisation; audited (a miss as ``denied``)."""
    membership = require_case_role(actor)
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise not_found(_("Survivor not found.")) from None
    person = Person.objects.filter(organisation_id=membership.organisation_id, pk=pk).first()
    if person is None:
        audit_log(actor=actor, action=AuditAction.DENIED, object_type="cases.person", object_id=pk)
        raise not_found(_("Survivor not found."))
    if audit:
        audit_log(actor=actor, action=AuditAction.READ, obj=person)
    return person


def person_list_for_user(*, actor: User, q: str = "") -> QuerySet[Person]:
    """The organisation's survivors (not merged away), searched by NIK or name, newest first."""
    membership = require_case_role(actor)
    qs = Person.objects.filter(organisation_id=membership.organisation_id, merged_into__isnull=True)
    q = q.strip()
    if q:
        persons = persons_matching(membership.organisation_id, q)
        qs = qs.filter(pk__in=persons.values("pk")) if persons is not None else qs.none()
        audit_log(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="cases.person",
            detail={"kind": "person_search"},
        )
    return qs.order_by("-id")


def person_links(person: Person) -> list[CaseSurvivor]:
    """The person's part in each case (with the case), for the survivor page."""
    return list(person.case_links.select_related("case"))


def person_consents(person: Person) -> list[Consent]:
    """Every consent record of the person, newest first."""
    return list(person.consents.select_related("recorded_by").order_by("-recorded_at", "-id"))


def person_merges(person: Person) -> list[PersonMerge]:
    """The merges into this person that can still be undone."""
    return list(
        PersonMerge.objects.filter(kept=person, undone_at__isnull=True).select_related("merged")
    )


def case_persons(case: Case) -> QuerySet[Person]:
    """The survivors of a case (the choices of the consent form)."""
    return case.organisation.persons.filter(case_links__case=case)


def case_survivor_get_for_user(*, actor: User, link_id: int | str) -> CaseSurvivor:
    """One survivor-in-case record of the organisation, with case and person; audited."""
    membership = require_case_role(actor)
    link = (
        CaseSurvivor.objects.select_related("case", "person")
        .filter(pk=link_id, case__organisation_id=membership.organisation_id)
        .first()
    )
    if link is None:
        raise not_found(_("Survivor not found."))
    audit_log(actor=actor, action=AuditAction.READ, obj=link.person, detail={"case": link.case_id})
    return link


def record_of_case(actor: User, model: type[M], pk: int | str, *, through: str = "case") -> M:
    """One row of a case of the organisation (``through="person"``: of a survivor), with that
    case or survivor; ``not_found`` for a missing row and for another organisation's alike."""
    membership = require_case_role(actor)
    rows = model._default_manager.select_related(through)
    return one_of_organisation(
        rows, pk, membership.organisation_id, _("Record not found."), through=through
    )


def survivor_for_edit(link: CaseSurvivor) -> tuple[Person, CaseSurvivor]:
    """Fresh copies of a survivor-in-case record already read for the actor and of its person,
    for the edit forms (a form changes its instance while validating)."""
    fresh = CaseSurvivor.objects.select_related("person").get(pk=link.pk)
    return fresh.person, fresh


def perpetrator_get_for_user(*, actor: User, perpetrator_id: int | str) -> Perpetrator:
    """One perpetrator of a case of the organisation."""
    return record_of_case(actor, Perpetrator, perpetrator_id)


def event_get_for_user(*, actor: User, event_id: int | str) -> TraffickingEvent:
    """One event of a case of the organisation."""
    return record_of_case(actor, TraffickingEvent, event_id)


def consent_get_for_user(*, actor: User, consent_id: int | str) -> Consent:
    """One consent record of a survivor of the organisation."""
    return record_of_case(actor, Consent, consent_id, through="person")


def current_consents(person: Person) -> dict[str, Consent]:
    """The consent in force per purpose (the latest not withdrawn)."""
    result: dict[str, Consent] = {}
    for consent in person.consents.filter(withdrawn_at__isnull=True).order_by(
        "-recorded_at", "-id"
    ):
        result.setdefault(consent.purpose, consent)
    return result
