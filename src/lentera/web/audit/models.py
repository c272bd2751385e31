"""The append-only, hash-chained audit log. Rows never hold personal data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.core.models import organisation_fk, user_fk
from lentera.web.core.vocabulary import text_choices

AuditAction = text_choices("audit_action")


class AuditEvent(models.Model):
    """One audited act: who did what to which record, when; chained by HMAC-SHA256."""

    at = models.DateTimeField(db_index=True)
    actor = user_fk(null=True, blank=True, on_delete=models.SET_NULL)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = organisation_fk(null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    #: structured, non-personal detail: field names changed, counts, codes
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    #: the key ring entry whose derived key chained this row ("" = before the chain was keyed)
    key_id = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["organisation", "at"]),
            # the audit viewer, newest first, paged by key (issue 22)
            models.Index(fields=["organisation", "-id"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """A single row locked while appending, so the chain stays linear under concurrency."""

    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash
