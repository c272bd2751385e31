"""Two-factor authentication services: enrolment rules, recovery codes, notices of device changes.

The rules (issue 17, finding 1 of the penetration test):

- a user may enrol an authenticator freely only while they have no confirmed one;
- replacing a confirmed authenticator needs a session already verified with a second factor
  *and* the account password;
- a lost phone is covered by single-use recovery codes (only salted hashes are stored);
- an organisation admin may reset a member's second factor (audited);
- every change notifies the user and the organisation's admins (in-app, and by e-mail when
  e-mail is configured).
"""

from __future__ import annotations

import hashlib
import math
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership, RecoveryCode, RecoveryCodeDevice, Role, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log

#: how many recovery codes a user gets at a time
RECOVERY_CODE_COUNT = 10
#: letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L)
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 12  # about 59 bits each


def recovery_code_hash(code: str, salt: str) -> str:
    """A slow, salted hash of a normalised recovery code (scrypt)."""
    return hashlib.scrypt(
        code.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1, dklen=32
    ).hex()


def _format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def has_authenticator(user: User) -> bool:
    """True if the user has a confirmed authenticator app (TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (shown once)."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        code = "".join(secrets.choice(_ALPHABET) for _j in range(_CODE_LENGTH))
        salt = secrets.token_hex(16)
        RecoveryCode.objects.create(
            device=device, salt=salt, code_hash=recovery_code_hash(code, salt)
        )
        codes.append(_format(code))
    return codes


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def security_recipients(user: User) -> list[User]:
    """The user and the active admins of their organisation."""
    recipients = {user.pk: user}
    membership = getattr(user, "membership_or_none", None)
    if membership is not None:
        for m in Membership.objects.select_related("user").filter(
            organisation_id=membership.organisation_id,
            role=Role.ORG_ADMIN,
            user__is_active=True,
        ):
            recipients[m.user_id] = m.user
    return list(recipients.values())


def _email_configured() -> bool:
    return bool(getattr(settings, "LENTERA_EMAIL_ENABLED", False))


def notify_security_event(*, user: User, event: str, actor: User | None = None) -> int:
    """Tell the user and their organisation's admins that the user's second factor changed.

    ``event`` is one of ``enrolled``, ``replaced``, ``recovery_used``, ``recovery_renewed``,
    ``reset``. The notification carries the username only (staff, not survivors).
    """
    # the in-app inbox (Notification) lives in referrals, a higher layer: imported when used
    from lentera.web.referrals.labels import notification_text
    from lentera.web.referrals.models import Notification

    now = timezone.now()
    made = 0
    for recipient in security_recipients(user):
        n = Notification.objects.create(
            user=recipient,
            kind="security_2fa",
            params={
                "event": event,
                "username": user.username,
                "by": getattr(actor, "username", "") or user.username,
            },
            url="/accounts/2fa/" if recipient.pk == user.pk else f"/accounts/users/{user.pk}/",
            key=f"2fa:{user.pk}:{event}:{now.isoformat()}:{secrets.token_hex(4)}",
        )
        made += 1
        if _email_configured() and recipient.email and recipient.is_active:
            with translation.override(recipient.preferred_language or "id"):
                text = notification_text(n)
                send_mail(
                    subject=f"[Lentera] {text[:120]}",
                    message=text,
                    from_email=None,
                    recipient_list=[recipient.email],
                    fail_silently=True,
                )
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return made


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> None:
    """Remove a member's authenticator and recovery codes (an org admin's act; audited, notified)."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        detail={"2fa": "reset"},
    )
    notify_security_event(user=user, event="reset", actor=actor)


# --------------------------------------------------------------------------- the user's own acts


def _own_act(actor: User, action: str, what: str) -> None:
    """Audit an act on (or an attempt at) the actor's own second factor: ``what`` under ``2fa``."""
    audit_log(
        actor=actor,
        action=action,
        object_type="accounts.user",
        object_id=actor.pk,
        detail={"2fa": what},
    )


def security_event(*, actor: User, event: str) -> None:
    """Record that the actor changed their own second factor (audited) and tell them and
    their organisation's admins (:func:`notify_security_event`)."""
    _own_act(actor, AuditAction.UPDATE, event)
    notify_security_event(user=actor, event=event)


def _failed(actor: User, reason: str) -> None:
    _own_act(actor, AuditAction.LOGIN_FAILED, reason)


def password_confirm(*, actor: User, password: str) -> None:
    """Check the actor's password before a sensitive change; a wrong one is audited and
    raises ``wrong_password``."""
    if not actor.check_password(password or ""):
        _failed(actor, "wrong_password")
        raise LenteraError("wrong_password", _("Your password is not right."), field="password")


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (the QR code being shown), made on first use."""
    return TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


@transaction.atomic
def _totp_confirm(*, actor: User, device: TOTPDevice, replacing: bool) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    codes = recovery_codes_issue(user=actor)
    security_event(actor=actor, event="replaced" if replacing else "enrolled")
    return codes


def _refuse_while_throttled(devices: list[TOTPDevice]) -> None:
    """After a wrong code the authenticator refuses every code, even a right one, for a few
    seconds (doubling with each failure): say so, rather than "that code is not right"."""
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            continue
        until = (data or {}).get("locked_until")
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
        raise LenteraError(
            "wrong_code",
            ngettext(
                "After a wrong code, codes are refused for a moment. Wait %(n)s second, "
                "then enter the newest code from the app.",
                "After a wrong code, codes are refused for a moment. Wait %(n)s seconds, "
                "then enter the newest code from the app.",
                seconds,
            )
            % {"n": seconds},
            field="token",
        )


def totp_enrol(*, actor: User, device: TOTPDevice, token: str, replacing: bool) -> list[str]:
    """Confirm the enrolment ``device`` with a code from the app: the other authenticators
    go, new recovery codes are issued and returned (shown once), the change is audited and
    notified. A wrong code raises ``wrong_code`` (the device's throttle counts it: the check
    runs outside the transaction so a failure is not rolled back)."""
    _refuse_while_throttled([device])
    if not device.verify_token((token or "").replace(" ", "")):
        raise LenteraError(
            "wrong_code",
            _("That code is not right. Check the time on your phone and try the newest code."),
            field="token",
        )
    return _totp_confirm(actor=actor, device=device, replacing=replacing)


def totp_verify(*, actor: User, token: str) -> Device:
    """The confirmed authenticator that accepts ``token`` (audited as a login step), else an
    audited failure and ``wrong_code``."""
    token = (token or "").replace(" ", "")
    devices = list(TOTPDevice.objects.filter(user=actor, confirmed=True))
    _refuse_while_throttled(devices)
    for device in devices:
        if device.verify_token(token):
            _own_act(actor, AuditAction.LOGIN, "verified")
            return device
    _failed(actor, "wrong_code")
    raise LenteraError("wrong_code", _("That code is not right."), field="token")


def recovery_code_use(*, actor: User, code: str) -> Device:
    """Spend one recovery code (the phone is lost): the recovery device, audited and
    notified; a wrong or used code is audited and raises ``wrong_recovery_code``."""
    device = RecoveryCodeDevice.objects.filter(user=actor, confirmed=True).first()
    if device is not None and device.verify_token(code or ""):
        security_event(actor=actor, event="recovery_used")
        return device
    _failed(actor, "wrong_recovery_code")
    raise LenteraError(
        "wrong_recovery_code",
        _("That recovery code is not right or was used already."),
        field="code",
    )


def recovery_codes_renew(*, actor: User, password: str, verified_session: bool) -> list[str]:
    """New recovery codes from a session verified with a second factor, after the password
    (audited, notified); the old codes stop working."""
    if not verified_session:
        raise LenteraError(
            "needs_2fa",
            _("You do not have access to this page."),
            kind="forbidden",
        )
    password_confirm(actor=actor, password=password)
    codes = recovery_codes_issue(user=actor)
    security_event(actor=actor, event="recovery_renewed")
    return codes
