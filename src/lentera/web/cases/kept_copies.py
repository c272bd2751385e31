"""A kept copy of what a deletion removed, so the user can undo it for a few minutes.

Defined here rather than in ``models.py`` (at its size limit) and imported there, so Django
registers it with the case store. The copy is encrypted like the rows it holds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lentera.web.core.fields import EncryptedTextField


class DeletedRow(models.Model):
    """Rows removed by one deletion (the row and what went with it), restorable until
    ``expires_at`` by the user who deleted them (see ``services.deletion_undo``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    #: the survivor a removed case link was about (erased with that survivor)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    #: "app_label.model" of the row the user deleted, and its id
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    #: the rows, in the order they are put back (Django's JSON serialisation)
    rows = EncryptedTextField()
    deleted_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "cases"

    def __str__(self) -> str:
        return f"{self.object_type} #{self.object_id}"
