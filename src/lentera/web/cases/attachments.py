"""Encrypted attachments: size and type limits, optional virus-scan hook, audited downloads."""

from __future__ import annotations

import hashlib
import secrets
import shlex
import subprocess
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.models import Attachment, Case
from lentera.web.core import crypto
from lentera.web.core.access import require_case_edit, require_case_role

#: accepted types by file signature ("magic bytes"), not by the name the browser sends
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/zip": (b"PK\x03\x04",),  # docx, xlsx, odt
    "audio/ogg": (b"OggS",),
    "audio/mpeg": (b"ID3", b"\xff\xfb"),
}
MAX_BYTES = int(getattr(settings, "LENTERA_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def _sniff(data: bytes, filename: str) -> str:
    for ctype, sigs in SIGNATURES.items():
        if any(data.startswith(s) for s in sigs):
            return ctype
    if filename.lower().endswith(".txt"):
        try:
            data.decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError:
            pass
    raise LenteraError(
        "file_type",
        _(
            "This type of file is not accepted (PDF, JPEG, PNG, Word/Excel, audio or plain text only)."
        ),
        field="file",
    )


def _path(storage_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / storage_name[:2] / storage_name


def _scan(data: bytes) -> None:
    command = getattr(settings, "LENTERA_VIRUS_SCAN_COMMAND", "")
    if not command:
        return
    result = subprocess.run(
        shlex.split(command), input=data, capture_output=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise LenteraError("virus_found", _("The virus scanner refused this file."), field="file")


def _aad(storage_name: str) -> bytes:
    return f"attachment:{storage_name}".encode()


@transaction.atomic
def attachment_add(
    *, actor: Any, case: Case, filename: str, data: bytes, description: str = ""
) -> Attachment:
    require_case_edit(actor, case)
    if not data:
        raise LenteraError("file_empty", _("The file is empty."), field="file")
    if len(data) > MAX_BYTES:
        raise LenteraError(
            "file_too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    ctype = _sniff(data, filename)
    _scan(data)
    ring = crypto.keyring()
    storage_name = secrets.token_hex(16)
    nonce = secrets.token_bytes(12)
    path = _path(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        nonce + AESGCM(ring.keys[ring.current]).encrypt(nonce, data, _aad(storage_name))
    )
    attachment = Attachment.objects.create(
        case=case,
        filename=Path(filename).name[:200] or "file",
        description=description,
        content_type=ctype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=storage_name,
        key_id=ring.current,
        uploaded_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=attachment,
        detail={"case": case.pk, "size": len(data), "type": ctype},
    )
    return attachment


def attachment_read(*, actor: Any, attachment_id: int | str) -> tuple[Attachment, bytes]:
    membership = require_case_role(actor)
    attachment = Attachment.objects.filter(
        pk=attachment_id, case__organisation_id=membership.organisation_id
    ).first()
    if attachment is None:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    blob = _path(attachment.storage_name).read_bytes()
    data = AESGCM(crypto.keyring().keys[attachment.key_id]).decrypt(
        blob[:12], blob[12:], _aad(attachment.storage_name)
    )
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise LenteraError(
            "file_corrupt", _("The stored file does not match its checksum."), kind="conflict"
        )
    audit_log(
        actor=actor, action=AuditAction.EXPORT, obj=attachment, detail={"case": attachment.case_id}
    )
    return attachment, data


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    membership = require_case_role(actor)
    if attachment.case.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Record not found."), kind="not_found")
    path = _path(attachment.storage_name)
    pk, case_pk = attachment.pk, attachment.case_id
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="cases.attachment",
        object_id=pk,
        detail={"case": case_pk},
    )


def reencrypt_all(old: crypto.KeyRing, new: crypto.KeyRing) -> int:
    """Re-encrypt every attachment file with the new current key (key rotation)."""
    count = 0
    for attachment in Attachment.objects.all():
        path = _path(attachment.storage_name)
        if not path.exists():
            continue
        blob = path.read_bytes()
        data = AESGCM(new.keys.get(attachment.key_id) or old.keys[attachment.key_id]).decrypt(
            blob[:12], blob[12:], _aad(attachment.storage_name)
        )
        nonce = secrets.token_bytes(12)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(
            nonce
            + AESGCM(new.keys[new.current]).encrypt(nonce, data, _aad(attachment.storage_name))
        )
        tmp.replace(path)
        Attachment.objects.filter(pk=attachment.pk).update(key_id=new.current)
        count += 1
    return count
