"""Writes of the referral app: directory, referrals and their status machine,
support plans, follow-ups, legal-process steps. Validated, transactional, audited.

Consent rule: a referral is sent only if the survivor's referral consent is on
record (granted, not withdrawn), and passes only the data categories that
consent names. Without it, a supervisor or organisation admin may override with
a written reason; both the refusal and the override are audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import reference
from lentera.errors import LenteraError
from lentera.law.process import load_process_rules
from lentera.web.accounts.models import CASE_ROLES, Membership, Organisation
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import age_at_offence
from lentera.web.cases.models import Case, CaseSurvivor, Consent
from lentera.web.cases.selectors import current_consents
from lentera.web.core.access import require_case_role
from lentera.web.referrals import choices
from lentera.web.referrals.models import (
    FollowUp,
    LegalStep,
    Notification,
    Referral,
    ReferralCounter,
    ReferralEvent,
    ServiceProvider,
    SupportAction,
)

MIN_REASON = 10
MAX_TEXT = 4000


def _invalid(code: str, message: str, field: str | None = None) -> LenteraError:
    return LenteraError(code, message, field=field)


def _not_found(message: str | None = None) -> LenteraError:
    return LenteraError("not_found", message or _("Not found."), kind="not_found")


def _own(actor: Any, organisation_id: int) -> Membership:
    membership = require_case_role(actor)
    if membership.organisation_id != organisation_id:
        raise _not_found()
    return membership


def _text(value: str, field: str, *, required: bool = False, minimum: int = 0) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _invalid("required", _("%(field)s is required.") % {"field": field}, field)
    if value and len(value) < minimum:
        raise _invalid(
            "too_short",
            _("%(field)s must be at least %(n)s characters.") % {"field": field, "n": minimum},
            field,
        )
    if len(value) > MAX_TEXT:
        raise _invalid(
            "too_long",
            _("%(field)s must be at most %(n)s characters.") % {"field": field, "n": MAX_TEXT},
            field,
        )
    return value


def _codes(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    values = list(dict.fromkeys(v for v in values if v))
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise _invalid(
            "code_unknown",
            _("Unknown value(s) in %(field)s: %(values)s.")
            % {"field": field, "values": ", ".join(unknown)},
            field,
        )
    return values


def _check_version(obj: Any, expected: Any) -> None:
    """Refuse a stale edit (optimistic locking), then bump the version."""
    if expected is not None and int(expected) != obj.version:
        raise LenteraError(
            "stale",
            _("Someone else changed this record meanwhile. Reload and try again."),
            kind="conflict",
        )
    obj.version += 1


# --------------------------------------------------------------------------- directory

PROVIDER_FIELDS = (
    "name",
    "institution_type",
    "services",
    "nationwide",
    "province_codes",
    "regency_codes",
    "address",
    "phone",
    "email",
    "website",
    "contact_person",
    "languages",
    "opening_hours",
    "notes",
    "is_active",
    "linked_organisation",
)


def provider_errors(provider: ServiceProvider) -> dict[str, list[str]]:
    """Every problem of a provider record, per field (used by the form, the API and the import)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        provider.full_clean(exclude=["organisation", "linked_organisation"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for m in messages:
                add(field, m)
    checks = (
        ("services", provider.services, choices.ServiceType.values),
        ("languages", provider.languages, choices.Language.values),
        ("province_codes", provider.province_codes, reference.provinces().keys()),
        ("regency_codes", provider.regency_codes, reference.regencies().keys()),
    )
    for field, values, allowed in checks:
        if not isinstance(values, list):
            add(field, _("Expected a list."))
            continue
        unknown = sorted({str(v) for v in values} - set(allowed))
        if unknown:
            add(field, _("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)})
    if isinstance(provider.services, list) and not provider.services:
        add("services", _("Name at least one service."))
    if not provider.nationwide and not provider.province_codes and not provider.regency_codes:
        add("province_codes", _("Name the provinces or regencies covered, or tick nationwide."))
    return errors


def _provider_indexes(provider: ServiceProvider) -> None:
    """``|service|`` and ``|P<province>|R<regency>|`` indexes for SQL filtering."""
    provider.service_index = "|" + "|".join(sorted(provider.services)) + "|"
    regions = [f"P{c}" for c in sorted(provider.province_codes)]
    regions += [f"R{c}" for c in sorted(provider.regency_codes)]
    provider.region_index = "|" + "|".join(regions) + "|" if regions else ""


def _check_provider(provider: ServiceProvider) -> None:
    errors = provider_errors(provider)
    if errors:
        field, messages = next(iter(errors.items()))
        raise LenteraError(
            "invalid_field",
            f"{field}: {'; '.join(messages)}",
            field=field,
            params={"errors": errors},
        )
    clash = ServiceProvider.objects.filter(
        organisation_id=provider.organisation_id, name=provider.name
    ).exclude(pk=provider.pk)
    if clash.exists():
        raise LenteraError(
            "duplicate_name",
            _("Your directory already has a provider named %(name)s.") % {"name": provider.name},
            field="name",
            params={"errors": {"name": [_("This name is already in your directory.")]}},
        )


@transaction.atomic
def provider_save(
    *, actor: Any, data: dict[str, Any], provider: ServiceProvider | None = None
) -> ServiceProvider:
    """Create or update a directory entry of the actor's organisation."""
    membership = require_case_role(actor)
    if provider is None:
        provider = ServiceProvider(organisation_id=membership.organisation_id)
        action = AuditAction.CREATE
    else:
        _own(actor, provider.organisation_id)
        _check_version(provider, data.get("version"))
        action = AuditAction.UPDATE
    for key in PROVIDER_FIELDS:
        if key in data:
            setattr(provider, key, data[key])
    provider.name = (provider.name or "").strip()
    _check_provider(provider)
    _provider_indexes(provider)
    provider.save()
    audit_log(actor=actor, action=action, obj=provider, detail={"directory": True})
    return provider


# --------------------------------------------------------------------------- referral consent


def referral_consent(link: CaseSurvivor) -> Consent | None:
    """The survivor's referral consent in force, if granted."""
    consent = current_consents(link.person).get("referral")
    return consent if consent is not None and consent.granted else None


def _age(link: CaseSurvivor) -> int | None:
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
    if "name" in shared:
        payload["full_name"] = person.full_name
        payload["other_names"] = person.other_names
    if "sex_age" in shared:
        payload["sex"] = person.sex
        payload["age"] = _age(link)
        payload["is_child"] = payload["age"] is not None and payload["age"] < 18
    if "contact" in shared:
        payload["phone"] = person.phone
    if "nik" in shared:
        payload["nik"] = person.nik
    if "address" in shared:
        payload["origin_address"] = person.origin_address
        payload["origin_regency_code"] = person.origin_regency_code
        payload["origin_province_code"] = person.origin_province_code
    if "exploitation" in shared:
        payload["exploitation_types"] = list(link.exploitation_types or [])
        payload["recruitment_method"] = link.recruitment_method
        payload["is_migrant_worker"] = link.is_migrant_worker
        payload["destination_countries"] = sorted(
            {e.country for e in link.case.events.all() if e.country and e.country != "ID"}
        )
    return payload


def _next_number(organisation: Organisation, year: int) -> str:
    counter, _created = ReferralCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.code}-R{year}-{counter.last:04d}"


def _case_users(organisation_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.select_related("user").filter(
            organisation_id=organisation_id, role__in=list(CASE_ROLES), user__is_active=True
        )
    ]


def notify(users: Iterable[Any], *, kind: str, params: dict[str, Any], url: str, key: str) -> int:
    """One notification per user and key; returns how many were new. Never personal data in params."""
    made = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        _n, created = Notification.objects.get_or_create(
            user=user, key=key[:120], defaults={"kind": kind, "params": params, "url": url}
        )
        made += int(created)
    return made


def _refuse(actor: Any, link: CaseSurvivor, code: str, reason: str, message: str) -> None:
    """Audit a refused referral (outside any transaction, so the row stays) and raise."""
    audit_log(
        actor=actor, action=AuditAction.DENIED, obj=link,
        detail={"referral": "refused", "reason": reason},
    )  # fmt: skip
    raise LenteraError(code, message, kind="forbidden", field="override_reason")


def referral_send(
    *,
    actor: Any,
    link: CaseSurvivor,
    provider: ServiceProvider,
    services: list[str],
    reason: str,
    urgency: str = "normal",
    due_date: dt.date | None = None,
    shared_fields: list[str] | None = None,
    override_reason: str = "",
) -> Referral:
    """Refer a survivor to a provider, if consent allows (or a supervisor overrides)."""
    membership = _own(actor, link.case.organisation_id)
    if provider.organisation_id != membership.organisation_id:
        raise _not_found(_("Provider not found."))
    if not provider.is_active:
        raise _invalid("provider_inactive", _("This provider is marked inactive."), "provider")
    services = _codes(services, choices.ServiceType.values, "services")
    if not services:
        raise _invalid("required", _("Choose at least one service."), "services")
    not_offered = [s for s in services if s not in provider.services]
    if not_offered:
        raise _invalid(
            "service_not_offered",
            _("%(provider)s does not offer: %(services)s.")
            % {
                "provider": provider.name,
                "services": ", ".join(str(choices.ServiceType(s).label) for s in not_offered),
            },
            "services",
        )
    if urgency not in choices.URGENCY_DAYS:
        raise _invalid("code_unknown", _("Unknown urgency."), "urgency")
    reason = _text(reason, _("Reason for referral"), required=True)
    today = timezone.localdate()
    due_date = due_date or today + dt.timedelta(days=choices.URGENCY_DAYS[urgency])
    if due_date < today:
        raise _invalid("date_past", _("The due date is in the past."), "due_date")
    requested = _codes(shared_fields or [], choices.SharedField.values, "shared_fields")
    consent = referral_consent(link)
    override_reason = (override_reason or "").strip()
    if consent is not None and not override_reason:
        allowed = set(consent.shared_fields or [])
        shared = requested if shared_fields is not None else sorted(allowed)
        beyond = sorted(set(shared) - allowed)
        if beyond:
            raise _invalid(
                "beyond_consent",
                _("The survivor's consent does not cover: %(fields)s.")
                % {"fields": ", ".join(str(choices.SharedField(f).label) for f in beyond)},
                "shared_fields",
            )
    else:
        if not override_reason:
            _refuse(
                actor, link, "consent_required", "no_referral_consent",
                _(
                    "No referral consent is on record for this survivor. Record the survivor's "
                    "consent first, or ask a supervisor to override with a written reason."
                ),
            )  # fmt: skip
        if not membership.is_supervising:
            _refuse(
                actor, link, "override_forbidden", "override_not_supervisor",
                _("Only a supervisor or organisation admin may refer without consent."),
            )  # fmt: skip
        override_reason = _text(
            override_reason, _("Reason for referring without consent"), minimum=MIN_REASON
        )
        consent, shared = None, requested
    with transaction.atomic():
        referral = _referral_create(
            actor=actor, membership=membership, link=link, provider=provider, services=services,
            reason=reason, urgency=urgency, due_date=due_date, consent=consent, shared=shared,
            override_reason=override_reason,
        )  # fmt: skip
    return referral


def _referral_create(
    *,
    actor: Any,
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
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        to_status="sent",
        actor=actor,
        actor_organisation_id=membership.organisation_id,
        at=now,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=referral,
        detail={
            "case_survivor": link.pk,
            "provider": provider.pk,
            "consent": consent.pk if consent else None,
            "consent_override": consent is None,
            "shared_fields": referral.shared_fields,
        },
    )
    if referral.receiving_organisation_id:
        notify(
            _case_users(referral.receiving_organisation_id),
            kind="referral_received",
            params={"number": referral.number, "from": referral.organisation.name},
            url=f"/referrals/{referral.pk}/",
            key=f"referral-received:{referral.pk}",
        )
    return referral


def side_of(actor: Any, referral: Referral) -> str:
    """``sender`` or ``receiver``; anyone else gets a not-found error."""
    membership = require_case_role(actor)
    if membership.organisation_id == referral.organisation_id:
        return "sender"
    if referral.receiving_organisation_id == membership.organisation_id:
        return "receiver"
    raise _not_found(_("Referral not found."))


def allowed_transitions(referral: Referral, side: str) -> list[str]:
    """The statuses this side may move the referral to now."""
    result = []
    for to in sorted(choices.TRANSITIONS[referral.status]):
        if to == "cancelled":
            ok = side == "sender"
        elif referral.is_internal:
            ok = side == "receiver"
        else:
            ok = side == "sender"
        if ok:
            result.append(to)
    return result


@transaction.atomic
def referral_transition(
    *,
    actor: Any,
    referral: Referral,
    to_status: str,
    reason: str = "",
    note: str = "",
    version: int | None = None,
) -> Referral:
    """Move a referral along the status machine; illegal moves are refused and change nothing."""
    side = side_of(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and int(version) != referral.version:
        raise LenteraError(
            "stale",
            _("This referral changed meanwhile (now: %(status)s). Reload and try again.")
            % {"status": referral.get_status_display()},
            kind="conflict",
        )
    if to_status not in choices.TRANSITIONS:
        raise _invalid("code_unknown", _("Unknown status."), "status")
    if to_status not in choices.TRANSITIONS[referral.status]:
        raise LenteraError(
            "illegal_transition",
            _("A referral that is %(from)s cannot become %(to)s.")
            % {
                "from": referral.get_status_display().lower(),
                "to": str(choices.ReferralStatus(to_status).label).lower(),
            },
            kind="conflict",
            field="status",
        )
    if to_status not in allowed_transitions(referral, side):
        message = (
            _("Only the sending organisation can cancel a referral.")
            if to_status == "cancelled"
            else _("The receiving organisation answers this referral in its own Lentera inbox.")
            if referral.is_internal
            else _("Only the sending organisation records this provider's answer.")
        )
        raise LenteraError("not_your_step", message, kind="forbidden", field="status")
    if to_status in {"declined", "cancelled"}:
        reason = _text(reason, _("Reason"), required=True)
    note = _text(note, _("Note"))
    now = timezone.now()
    from_status = referral.status
    referral.status = to_status
    if to_status in {"accepted", "declined"}:
        referral.answered_at = now
    if to_status in {"declined", "cancelled"}:
        referral.answer_reason = reason
    if to_status in {"declined", "completed", "cancelled"}:
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
        recorded_for_provider=side == "sender" and to_status in choices.RECEIVER_STATUSES,
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
    params = {"number": referral.number, "status": to_status}
    if side == "receiver":
        notify(
            [referral.created_by, referral.case.owner],
            kind="referral_answered",
            params=params,
            url=f"/referrals/{referral.pk}/",
            key=f"referral-status:{referral.pk}:{to_status}",
        )
    elif referral.receiving_organisation_id and to_status == "cancelled":
        notify(
            _case_users(referral.receiving_organisation_id),
            kind="referral_cancelled",
            params=params,
            url=f"/referrals/{referral.pk}/",
            key=f"referral-status:{referral.pk}:{to_status}",
        )
    return referral


PERSONAL_PAYLOAD_KEYS = (
    "full_name", "other_names", "sex", "age", "is_child", "phone", "nik", "origin_address",
    "origin_regency_code", "origin_province_code", "exploitation_types", "recruitment_method",
    "is_migrant_worker", "destination_countries",
)  # fmt: skip


def withdraw_referral_data(sender: Any, consent: Consent, actor: Any, **kwargs: Any) -> None:
    """A withdrawn referral consent stops the sharing: the receiver keeps the referral (and
    any service under way) but no longer sees the survivor's data; both sides are told."""
    if consent.purpose != "referral":
        return
    for referral in Referral.objects.filter(consent=consent).select_related("case"):
        data = {k: v for k, v in referral.payload_data.items() if k not in PERSONAL_PAYLOAD_KEYS}
        data["shared_fields"] = []
        data["consent_withdrawn"] = True
        referral.payload = json.dumps(data, ensure_ascii=False)
        referral.shared_fields = []
        referral.save(update_fields=["payload", "shared_fields", "updated_at"])
        audit_log(
            actor=actor, action=AuditAction.UPDATE, obj=referral,
            detail={"consent_withdrawn": True},
        )  # fmt: skip
        recipients = [referral.created_by, referral.case.owner]
        if referral.receiving_organisation_id:
            recipients += _case_users(referral.receiving_organisation_id)
        notify(
            recipients,
            kind="referral_consent_withdrawn",
            params={"number": referral.number},
            url=f"/referrals/{referral.pk}/",
            key=f"referral-withdrawn:{referral.pk}",
        )


# --------------------------------------------------------------------------- support plan

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
    actor: Any,
    link: CaseSurvivor,
    data: dict[str, Any],
    action: SupportAction | None = None,
) -> SupportAction:
    """Create or update one line of the survivor's support plan."""
    membership = _own(actor, link.case.organisation_id)
    if action is None:
        action = SupportAction(
            organisation_id=membership.organisation_id, case_survivor=link, created_by=actor
        )
        kind = AuditAction.CREATE
    else:
        if action.case_survivor_id != link.pk:
            raise _not_found()
        _check_version(action, data.get("version"))
        kind = AuditAction.UPDATE
    for key in ACTION_FIELDS:
        if key in data:
            setattr(action, key, data[key])
    action.objective = _text(action.objective, _("Objective"), required=True)
    action.action = _text(action.action, _("Action plan"))
    if action.referral_id and action.referral.case_survivor_id != link.pk:
        raise _invalid("referral_other", _("That referral is for another survivor."), "referral")
    if action.responsible_id:
        m = getattr(action.responsible, "membership_or_none", None)
        if m is None or m.organisation_id != membership.organisation_id:
            raise _invalid("user_other", _("Choose a worker of your organisation."), "responsible")
    if action.status == "done" and action.actual_end is None:
        action.actual_end = timezone.localdate()
    if action.actual_end and action.actual_end > timezone.localdate():
        raise _invalid("date_future", _("The actual end date is in the future."), "actual_end")
    if action.status in {"done", "cancelled"}:
        action.next_follow_up = None
    try:
        action.full_clean(exclude=["organisation", "case_survivor", "created_by", "referral"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise LenteraError(
            "invalid_field", f"{field}: {'; '.join(messages)}", field=field,
            params={"errors": exc.message_dict},
        ) from exc  # fmt: skip
    action.save()
    audit_log(actor=actor, action=kind, obj=action, detail={"case_survivor": link.pk})
    return action


@transaction.atomic
def follow_up_add(
    *,
    actor: Any,
    case: Case,
    note: str,
    done_on: dt.date | None = None,
    next_follow_up: dt.date | None = None,
    action: SupportAction | None = None,
    referral: Referral | None = None,
) -> FollowUp:
    """Record a follow-up on a support action or a referral, and when to look again."""
    membership = _own(actor, case.organisation_id)
    if (action is None) == (referral is None):
        raise _invalid("target", _("A follow-up belongs to one action or one referral."))
    target_case = action.case_survivor.case_id if action else referral.case_id  # type: ignore[union-attr]
    if target_case != case.pk:
        raise _not_found()
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise _invalid("date_future", _("This date is in the future."), "done_on")
    if next_follow_up is not None and next_follow_up <= done_on:
        raise _invalid(
            "date_order", _("The next follow-up must be after this one."), "next_follow_up"
        )
    follow = FollowUp.objects.create(
        organisation_id=membership.organisation_id,
        case=case,
        action=action,
        referral=referral,
        done_on=done_on,
        note=_text(note, _("What was found"), required=True),
        next_follow_up=next_follow_up,
        author=actor,
    )
    if action is not None:
        SupportAction.objects.filter(pk=action.pk).update(
            next_follow_up=next_follow_up, version=F("version") + 1
        )
    audit_log(actor=actor, action=AuditAction.CREATE, obj=follow, detail={"case": case.pk})
    return follow


# --------------------------------------------------------------------------- legal process


@transaction.atomic
def legal_step_add(
    *,
    actor: Any,
    case: Case,
    step: str,
    date: dt.date,
    link: CaseSurvivor | None = None,
    amount: int | None = None,
    reference_no: str = "",
    note: str = "",
) -> LegalStep:
    """Record a step of the criminal process; restitution steps belong to one survivor."""
    membership = _own(actor, case.organisation_id)
    rules = load_process_rules()
    if step not in rules.steps:
        raise _invalid("code_unknown", _("Unknown step."), "step")
    spec = rules.steps[step]
    if spec["scope"] == "survivor" and link is None:
        raise _invalid(
            "survivor_required", _("Choose the survivor this step is about."), "survivor"
        )
    if spec["scope"] == "case":
        link = None
    if link is not None and link.case_id != case.pk:
        raise _not_found()
    if date is None:
        raise _invalid("required", _("The date is required."), "date")
    if date > timezone.localdate():
        raise _invalid("date_future", _("This date is in the future."), "date")
    if date.year < 1990:
        raise _invalid("date_old", _("This date is implausibly early."), "date")
    if amount is not None and not spec.get("amount"):
        amount = None
    if amount is not None and amount < 0:
        raise _invalid("negative", _("The amount must not be negative."), "amount")
    if spec.get("amount") in {"restitution_paid"} and not amount:
        raise _invalid("required", _("Enter the amount paid."), "amount")
    row = LegalStep.objects.create(
        organisation_id=membership.organisation_id,
        case=case,
        case_survivor=link,
        step=step,
        date=date,
        amount=amount,
        reference=_text(reference_no, _("Document number")),
        note=_text(note, _("Note")),
        recorded_by=actor,
    )
    _sync_restitution(link, step)
    audit_log(actor=actor, action=AuditAction.CREATE, obj=row, detail={"step": step})
    return row


@transaction.atomic
def legal_step_delete(*, actor: Any, row: LegalStep) -> None:
    _own(actor, row.organisation_id)
    link = row.case_survivor
    audit_log(actor=actor, action=AuditAction.DELETE, obj=row, detail={"step": row.step})
    step = row.step
    row.delete()
    _sync_restitution(link, step)


RESTITUTION_DATES = {
    "final_judgment_notified": "final_judgment_notified_on",
    "court_warning": "court_warning_on",
    "restitution_paid": "paid_on",
    "verdict": "paid_on",
}


def _sync_restitution(link: CaseSurvivor | None, step: str) -> None:
    """Keep the restitution worksheet's dates in step with the recorded process.

    Only the date the changed step decides is rewritten, so dates typed into the
    worksheet before the timeline was used stay until a step replaces them.
    """
    if link is None or step not in RESTITUTION_DATES:
        return
    from lentera.web.assessments.models import RestitutionClaim

    field = RESTITUTION_DATES[step]
    if field != "paid_on":
        value = min(link.legal_steps.filter(step=step).values_list("date", flat=True), default=None)
    else:
        verdict = link.legal_steps.filter(step="verdict").order_by("date").first()
        ordered = verdict.amount if verdict else None
        value, total = None, 0
        for p in link.legal_steps.filter(step="restitution_paid").order_by("date"):
            total += p.amount or 0
            if value is None and (not ordered or total >= ordered):
                value = p.date
    RestitutionClaim.objects.filter(case_survivor=link).update(**{field: value})
