"""Reads of referrals: one referral and the actor's side of it, the sent list and the inbox,
the consent a referral rests on, and the payload frozen for the receiver."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.choices import ConsentPurpose, SharedField
from lentera.web.cases.facts import age_at_offence
from lentera.web.cases.models import Case, CaseSurvivor, Consent
from lentera.web.cases.selectors import current_consents
from lentera.web.core.access import require_case_role
from lentera.web.core.services import not_found
from lentera.web.referrals import choices
from lentera.web.referrals.models import FollowUp, Referral, ReferralEvent

Status = choices.ReferralStatus

#: the two sides of a referral: the organisation that sent it, the one on this instance it went to
SENDER, RECEIVER = "sender", "receiver"


def side_of(actor: User, referral: Referral) -> str:
    """``sender`` or ``receiver``; anyone else gets a not-found error."""
    membership = require_case_role(actor)
    if membership.organisation_id == referral.organisation_id:
        return SENDER
    if referral.receiving_organisation_id == membership.organisation_id:
        return RECEIVER
    raise not_found(_("Referral not found."))


def allowed_transitions(referral: Referral, side: str) -> list[str]:
    """The statuses this side may move the referral to now, in :data:`choices.BUTTON_ORDER`.

    The sender cancels; the answer (accept, decline, in service, completed) is the receiver's
    when the receiver works on this instance, else the sender records it for the provider.
    """
    result = []
    for to in sorted(choices.TRANSITIONS[referral.status], key=choices.BUTTON_ORDER.index):
        if to == Status.CANCELLED:
            ok = side == SENDER
        elif referral.is_internal:
            ok = side == RECEIVER
        else:
            ok = side == SENDER
        if ok:
            result.append(str(to))
    return result


def referral_get_for_user(
    *, actor: User, referral_id: int, audit: bool = True
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
        raise not_found()
    side = side_of(actor, referral)
    if audit:
        audit_log(actor=actor, action=AuditAction.READ, obj=referral, detail={"side": side})
    return referral, side


def referrals_of_case(case: Case) -> list[Referral]:
    """Every referral of a case, newest first (the caller has already checked access)."""
    return list(
        Referral.objects.filter(case=case)
        .select_related("provider", "case_survivor__person")
        .order_by("-sent_at")
    )


def referrals_of_link(link: CaseSurvivor) -> QuerySet[Referral]:
    """The referrals of one survivor-in-case (the caller has already checked access)."""
    return link.referrals.select_related("provider")


def referral_events(referral: Referral) -> list[ReferralEvent]:
    """The status history of a referral, oldest first."""
    return list(referral.events.select_related("actor", "actor_organisation"))


def referral_follow_ups(referral: Referral) -> list[FollowUp]:
    """The sender's follow-ups on a referral."""
    return list(referral.follow_ups.select_related("author"))


def inbox_for_user(*, actor: User, status: str = "") -> QuerySet[Referral]:
    """Referrals addressed to the actor's organisation by others on this instance."""
    membership = require_case_role(actor)
    qs = Referral.objects.filter(receiving_organisation_id=membership.organisation_id)
    if status == "open":
        qs = qs.filter(status__in=choices.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation", "provider").order_by("-sent_at")


def sent_for_user(*, actor: User, status: str = "", mine: bool = False) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent; ``status`` is a status, ``open`` or ``overdue``."""
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


def referral_consent(link: CaseSurvivor) -> Consent | None:
    """The survivor's referral consent in force, if granted."""
    consent = current_consents(link.person).get(ConsentPurpose.REFERRAL)
    return consent if consent is not None and consent.granted else None


def survivor_age(link: CaseSurvivor) -> int | None:
    """Age today from the birth date, else the estimated age, else the age at the offence."""
    person = link.person
    if person.birth_date:
        today = timezone.localdate()
        b = person.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    if person.estimated_age is not None:
        return person.estimated_age
    return age_at_offence(link.case, link)


def referral_payload(
    *, referral: Referral, link: CaseSurvivor, shared: list[str]
) -> dict[str, Any]:
    """What the receiving provider sees: the referral itself and only the shared categories."""
    person = link.person
    payload: dict[str, Any] = {
        "number": referral.number,
        "from_organisation": referral.organisation.name,
        "services": list(referral.services),
        "urgency": referral.urgency,
        "due_date": referral.due_date.isoformat(),
        "reason": referral.reason,
        "pseudonym": _("Survivor of referral %(n)s") % {"n": referral.number},
        "shared_fields": sorted(shared),
    }
    if SharedField.NAME in shared:
        payload["full_name"] = person.full_name
        payload["other_names"] = person.other_names
    if SharedField.SEX_AGE in shared:
        payload["sex"] = person.sex
        payload["age"] = survivor_age(link)
        payload["is_child"] = payload["age"] is not None and payload["age"] < 18
    if SharedField.CONTACT in shared:
        payload["phone"] = person.phone
    if SharedField.NIK in shared:
        payload["nik"] = person.nik
    if SharedField.ADDRESS in shared:
        payload["origin_address"] = person.origin_address
        payload["origin_regency_code"] = person.origin_regency_code
        payload["origin_province_code"] = person.origin_province_code
    if SharedField.EXPLOITATION in shared:
        payload["exploitation_types"] = list(link.exploitation_types or [])
        payload["recruitment_method"] = link.recruitment_method
        payload["is_migrant_worker"] = link.is_migrant_worker
        payload["destination_countries"] = sorted(
            {e.country for e in link.case.events.all() if e.country and e.country != "ID"}
        )
    return payload
