"""Reads of attachments: one for a page action, and the audited, decrypted download."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import attachment_files as files
from lentera.web.cases.models import Attachment
from lentera.web.cases.selectors.persons import record_of_case
from lentera.web.core import crypto

__all__ = ["attachment_get_for_user", "attachment_read"]


def attachment_get_for_user(*, actor: User, attachment_id: int | str) -> Attachment:
    """One attachment of a case of the organisation (with its case)."""
    return record_of_case(actor, Attachment, attachment_id)


def attachment_read(*, actor: User, attachment_id: int | str) -> tuple[Attachment, bytes]:
    """An attachment and its decrypted content, checked against its checksum; audited as an
    export (the file leaves Lentera)."""
    attachment = record_of_case(actor, Attachment, attachment_id)
    data = files.load(attachment.storage_name, crypto.keyring().keys[attachment.key_id])
    if files.sha256(data) != attachment.sha256:
        raise LenteraError(
            "file_corrupt", _("The stored file does not match its checksum."), kind="conflict"
        )
    audit_log(
        actor=actor, action=AuditAction.EXPORT, obj=attachment, detail={"case": attachment.case_id}
    )
    return attachment, data
