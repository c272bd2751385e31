"""Attaching files to a case and deleting them (files encrypted by :mod:`..attachment_files`)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.cases import attachment_files as files
from lentera.web.cases.models import Attachment, Case
from lentera.web.core import crypto
from lentera.web.core.access import require_case_edit, require_own_organisation

__all__ = ["attachment_add", "attachment_delete", "reencrypt_all"]


@transaction.atomic
def attachment_add(
    *, actor: User, case: Case, filename: str, data: bytes, description: str = ""
) -> Attachment:
    """Check, scan, encrypt and store a file of the case."""
    require_case_edit(actor, case)
    if not data:
        raise LenteraError("file_empty", _("The file is empty."), field="file")
    if len(data) > files.MAX_BYTES:
        raise LenteraError(
            "file_too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": files.MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    ctype = files.sniff(data, filename)
    files.scan(data)
    storage_name, key_id = files.store(data)
    attachment = Attachment(
        case=case,
        filename=Path(filename).name[:200] or "file",
        description=description,
        content_type=ctype,
        size=len(data),
        sha256=files.sha256(data),
        storage_name=storage_name,
        key_id=key_id,
        uploaded_by=actor,
    )
    detail = {"case": case.pk, "size": len(data), "type": ctype}
    return save_created(actor=actor, obj=attachment, detail=detail)


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    """Delete a file of the case for good (the file goes once the transaction commits)."""
    require_own_organisation(actor, attachment.case.organisation_id, message=_("Record not found."))
    path = files.path_of(attachment.storage_name)
    audit_log(
        actor=actor, action=AuditAction.DELETE, obj=attachment, detail={"case": attachment.case_id}
    )
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def reencrypt_all(old: crypto.KeyRing, new: crypto.KeyRing) -> int:
    """Re-encrypt every attachment file with the new current key (key rotation)."""
    count = 0
    for attachment in Attachment.objects.all():
        if not files.path_of(attachment.storage_name).exists():
            continue
        old_key = new.keys.get(attachment.key_id) or old.keys[attachment.key_id]
        files.reencrypt(attachment.storage_name, old_key, new.keys[new.current])
        Attachment.objects.filter(pk=attachment.pk).update(key_id=new.current)
        count += 1
    return count
