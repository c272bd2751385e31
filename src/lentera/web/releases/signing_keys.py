"""Package-signing keys: each organisation's private key lives in the data directory (0600,
like the key ring, never in the database); the hub's registry of member public keys is
:class:`~lentera.web.releases.models.HubMemberKey`, and enrolling one is an audited act."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.disclosure.signing import (
    SignatureError,
    decode_public_key,
    encode_public_key,
    fingerprint,
    generate_private_key,
    public_key_of,
)
from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.releases.models import HubMemberKey


def _key_path(code: str) -> Path:
    return Path(settings.DATA_DIR) / "signing" / f"{code}.ed25519"


def organisation_private_key(code: str) -> bytes:
    """The organisation's signing key, created (0600 in a 0700 directory) on first use."""
    path = _key_path(code)
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    raw = generate_private_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    audit_log(
        actor=None, action=AuditAction.CREATE, object_type="releases.signingkey", object_id=code,
        detail={"fingerprint": fingerprint(public_key_of(raw))},
    )  # fmt: skip
    return raw


def organisation_public_key(code: str) -> tuple[str, str]:
    """(base64 public key, fingerprint) to give to the hub for enrolment."""
    public = public_key_of(organisation_private_key(code))
    return encode_public_key(public), fingerprint(public)


@transaction.atomic
def enrol_member_key(*, actor: User, organisation_code: str, public_key: str) -> HubMemberKey:
    """Register (or replace) a member organisation's public key at the hub: an admin act, audited."""
    from lentera.web.core.access import membership_for

    if membership_for(actor).role != "org_admin":
        raise LenteraError(
            "role_forbidden", _("Only an organisation admin may enrol signing keys."),
            kind="forbidden",
        )  # fmt: skip
    code = (organisation_code or "").strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise LenteraError("bad_code", _("Give the organisation's code (2–8 letters or digits)."),
                           field="organisation_code")  # fmt: skip
    try:
        raw = decode_public_key(public_key)
    except SignatureError as exc:
        raise LenteraError(
            exc.code, _("This is not an Ed25519 public key."), field="public_key"
        ) from exc
    now = timezone.now()
    replaced = HubMemberKey.objects.filter(organisation_code=code, revoked_at__isnull=True).update(
        revoked_at=now
    )
    row = HubMemberKey.objects.create(
        organisation_code=code, public_key=encode_public_key(raw), fingerprint=fingerprint(raw),
        enrolled_by=actor,
    )  # fmt: skip
    audit_log(
        actor=actor, action=AuditAction.CREATE, obj=row,
        detail={"organisation": code, "fingerprint": row.fingerprint, "replaced": replaced},
    )  # fmt: skip
    return row


def enrolled_keys() -> dict[str, bytes]:
    return {
        k.organisation_code: decode_public_key(k.public_key)
        for k in HubMemberKey.objects.filter(revoked_at__isnull=True)
    }
