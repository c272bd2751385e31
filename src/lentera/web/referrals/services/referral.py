"""Writes of referrals: sending one (if consent allows) and moving it along the status machine.

Consent rule: a referral is sent only if the survivor's referral consent is on record
(granted, not withdrawn), and passes only the data categories that consent names. Without
it, a supervisor or organisation admin may override with a written reason; both the refusal
and the override are audited.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership, Organisation, User
from lentera.web.accounts.selectors import receives_referrals_from
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.cases.models import CaseSurvivor, Consent
from lentera.web.core.access import (
    require_case_role,
    require_own_organisation,
    require_supervisor,
)
from lentera.web.core.services import check_version, codes, invalid, next_number, not_found, text
from lentera.web.referrals import choices
from lentera.web.referrals.models import Referral, ReferralCounter, ReferralEvent, ServiceProvider
from lentera.web.referrals.selectors import (
    allowed_transitions,
    case_workers,
    referral_consent,
    referral_payload,
    side_of,
)
from lentera.web.referrals.selectors.referral import RECEIVER, SENDER
from lentera.web.referrals.services.notifications import notify

Status = choices.ReferralStatus
Kind = choices.NotificationKind

#: the shortest written reason a supervisor may give for referring without consent
MIN_REASON = 10


def _next_number(organisation: Organisation, year: int) -> str:
    last = next_number(ReferralCounter, organisation, year)
    return f"{organisation.code}-R{year}-{last:04d}"


def _refuse(actor: User, link: CaseSurvivor, code: str, reason: str, message: str) -> None:
    """Audit a refused referral (outside any transaction, so the row stays) and raise."""
    detail = {"referral": "refused", "reason": reason}
    audit_log(actor=actor, action=AuditAction.DENIED, obj=link, detail=detail)
    raise LenteraError(code, message, kind="forbidden", field="override_reason")


def _check_services(provider: ServiceProvider, services: list[str]) -> list[str]:
    services = codes(services, choices.ServiceType.values, "services")
    if not services:
        raise invalid("required", _("Choose at least one service."), "services")
    not_offered = [s for s in services if s not in provider.services]
    if not_offered:
        raise invalid(
            "service_not_offered",
            _("%(provider)s does not offer: %(services)s.")
            % {
                "provider": provider.name,
                "services": ", ".join(str(choices.ServiceType(s).label) for s in not_offered),
            },
            "services",
        )
    return services


def referral_send(
    *,
    actor: User,
    link: CaseSurvivor,
    provider: ServiceProvider,
    services: list[str],
    reason: str,
    urgency: str = choices.Urgency.NORMAL,
    due_date: dt.date | None = None,
    shared_fields: list[str] | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer a survivor to a provider, if consent allows (or a supervisor overrides).

    Not atomic as a whole on purpose: a refusal writes its audit row and raises outside any
    transaction, so the row stays; the referral itself is created in one transaction.
    """
    membership = require_own_organisation(actor, link.case.organisation_id)
    if provider.organisation_id != membership.organisation_id:
        raise not_found(_("Provider not found."))
    if not provider.is_active:
        raise invalid("provider_inactive", _("This provider is marked inactive."), "provider")
    services = _check_services(provider, services)
    if urgency not in choices.URGENCY_DAYS:
        raise invalid("code_unknown", _("Unknown urgency."), "urgency")
    reason = text(reason, _("Reason for referral"), required=True)
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=choices.URGENCY_DAYS[urgency])
    if due_date < today:
        raise invalid("date_past", _("The due date is in the past."), "due_date")
    requested = codes(shared_fields or [], choices.SharedField.values, "shared_fields")
    consent = referral_consent(link)
    override_reason = (override_reason or "").strip()
    if consent is not None and not override_reason:
        allowed = set(consent.shared_fields or [])
        shared = requested if shared_fields is not None else sorted(allowed)
        beyond = sorted(set(shared) - allowed)
        if beyond:
            raise invalid(
                "beyond_consent",
                _("The survivor's consent does not cover: %(fields)s.")
                % {"fields": ", ".join(str(choices.SharedField(f).label) for f in beyond)},
                "shared_fields",
            )
    else:
        _check_override(actor, link, override_reason)
        override_reason = text(
            override_reason, _("Reason for referring without consent"), minimum=MIN_REASON
        )
        consent, shared = None, requested
    with transaction.atomic():
        return _referral_create(
            actor=actor,
            membership=membership,
            link=link,
            provider=provider,
            services=services,
            reason=reason,
            urgency=urgency,
            due_date=due_date,
            consent=consent,
            shared=shared,
            override_reason=override_reason,
        )


def _check_override(actor: User, link: CaseSurvivor, override_reason: str) -> None:
    """Referring without consent needs a written reason and a supervisor; refusals are audited."""
    if not override_reason:
        _refuse(
            actor,
            link,
            "consent_required",
            "no_referral_consent",
            _(
                "No referral consent is on record for this survivor. Record the survivor's "
                "consent first, or ask a supervisor to override with a written reason."
            ),
        )
    try:
        require_supervisor(actor)
    except LenteraError:
        _refuse(
            actor,
            link,
            "override_forbidden",
            "override_not_supervisor",
            _("Only a supervisor or organisation admin may refer without consent."),
        )


def _referral_create(
    *,
    actor: User,
    membership: Membership,
    link: CaseSurvivor,
    provider: ServiceProvider,
    services: list[str],
    reason: str,
    urgency: str,
    due_date: dt.date,
    consent: Consent | None,
    shared: list[str],
    override_reason: str,
) -> Referral:
    today = timezone.localdate()
    now = timezone.now()
    if provider.linked_organisation_id is not None and not receives_referrals_from(
        organisation_id=provider.linked_organisation_id, sender_id=membership.organisation_id
    ):
        raise invalid(
            "inbox_closed",
            _(
                "This provider's organisation no longer receives referrals from other "
                "organisations on Lentera; remove the link in the directory or contact them."
            ),
            "provider",
        )
    referral = Referral(
        organisation=link.case.organisation,
        number=_next_number(link.case.organisation, today.year),
        case=link.case,
        case_survivor=link,
        provider=provider,
        receiving_organisation=provider.linked_organisation
        if provider.linked_organisation_id != membership.organisation_id
        else None,
        services=services,
        reason=reason,
        urgency=urgency,
        due_date=due_date,
        consent=consent,
        override_reason=override_reason if consent is None else "",
        override_by=actor if consent is None else None,
        shared_fields=sorted(shared),
        sent_at=now,
        created_by=actor,
    )
    referral.payload = json.dumps(
        referral_payload(referral=referral, link=link, shared=list(shared)), ensure_ascii=False
    )
    save_created(
        actor=actor,
        obj=referral,
        detail={
            "case_survivor": link.pk,
            "provider": provider.pk,
            "consent": consent.pk if consent else None,
            "consent_override": consent is None,
            "shared_fields": referral.shared_fields,
        },
    )
    ReferralEvent.objects.create(
        referral=referral,
        to_status=Status.SENT,
        actor=actor,
        actor_organisation_id=membership.organisation_id,
        at=now,
    )
    if referral.receiving_organisation_id:
        notify(
            case_workers(referral.receiving_organisation_id),
            kind=Kind.REFERRAL_RECEIVED,
            params={"number": referral.number, "from": referral.organisation.name},
            url=f"/referrals/{referral.pk}/",
            key=f"referral-received:{referral.pk}",
        )
    return referral


def _not_your_step(referral: Referral, to_status: str) -> str:
    if to_status == Status.CANCELLED:
        return _("Only the sending organisation can cancel a referral.")
    if referral.is_internal:
        return _("The receiving organisation answers this referral in its own Lentera inbox.")
    return _("Only the sending organisation records this provider's answer.")


@transaction.atomic
def referral_transition(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    reason: str = "",
    note: str = "",
    version: int | None = None,
) -> Referral:
    """Move a referral along the status machine; illegal moves are refused and change nothing."""
    side = side_of(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(referral, version)
    if to_status not in choices.TRANSITIONS:
        raise invalid("code_unknown", _("Unknown status."), "status")
    if to_status not in choices.TRANSITIONS[referral.status]:
        raise LenteraError(
            "illegal_transition",
            _("A referral that is %(from)s cannot become %(to)s.")
            % {
                "from": referral.get_status_display().lower(),
                "to": str(Status(to_status).label).lower(),
            },
            kind="conflict",
            field="status",
        )
    if to_status not in allowed_transitions(referral, side):
        raise LenteraError(
            "not_your_step", _not_your_step(referral, to_status), kind="forbidden", field="status"
        )
    if to_status in {Status.DECLINED, Status.CANCELLED}:
        reason = text(reason, _("Reason"), required=True)
    note = text(note, _("Note"))
    now = timezone.now()
    from_status = referral.status
    referral.status = to_status
    if to_status in {Status.ACCEPTED, Status.DECLINED}:
        referral.answered_at = now
    if to_status in {Status.DECLINED, Status.CANCELLED}:
        referral.answer_reason = reason
    if to_status in {Status.DECLINED, Status.COMPLETED, Status.CANCELLED}:
        referral.closed_at = now
    referral.version = F("version") + 1
    referral.save()
    referral.refresh_from_db()
    membership = require_case_role(actor)
    ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_organisation_id=membership.organisation_id,
        recorded_for_provider=side == SENDER and to_status in choices.RECEIVER_STATUSES,
        note=note or reason,
        at=now,
    )
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        organisation=membership.organisation,
        detail={"from": from_status, "to": to_status, "side": side},
    )
    _notify_transition(referral, side, to_status)
    return referral


def _notify_transition(referral: Referral, side: str, to_status: str) -> None:
    """The receiver's answer goes to the sender; the sender's cancellation to the receiver."""
    params = {"number": referral.number, "status": to_status}
    url, key = f"/referrals/{referral.pk}/", f"referral-status:{referral.pk}:{to_status}"
    if side == RECEIVER:
        recipients = [referral.created_by, referral.case.owner]
        notify(recipients, kind=Kind.REFERRAL_ANSWERED, params=params, url=url, key=key)
    elif referral.receiving_organisation_id and to_status == Status.CANCELLED:
        recipients = case_workers(referral.receiving_organisation_id)
        notify(recipients, kind=Kind.REFERRAL_CANCELLED, params=params, url=url, key=key)
