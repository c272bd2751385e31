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
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lentera.web.accounts.models import Membership, RecoveryCode, RecoveryCodeDevice, Role
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


def has_authenticator(user: Any) -> bool:
    """True if the user has a confirmed authenticator app (TOTP device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def recovery_codes_issue(*, user: Any) -> list[str]:
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


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def security_recipients(user: Any) -> list[Any]:
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


def notify_security_event(*, user: Any, event: str, actor: Any | None = None) -> int:
    """Tell the user and their organisation's admins that the user's second factor changed.

    ``event`` is one of ``enrolled``, ``replaced``, ``recovery_used``, ``recovery_renewed``,
    ``reset``. The notification carries the username only (staff, not survivors).
    """
    from django.core.mail import send_mail
    from django.utils import translation

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
def second_factor_reset(*, actor: Any, user: Any) -> None:
    """Remove a member's authenticator and recovery codes (an org admin's act; audited, notified)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        detail={"2fa": "reset"},
    )
    notify_security_event(user=user, event="reset", actor=actor)
