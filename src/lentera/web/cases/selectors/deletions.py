"""The deletions of a case its viewer may still undo (see ``services.deletion_undo``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lentera.web.accounts.models import User
from lentera.web.cases.models import Case, DeletedRow


def deletions_undoable(*, actor: User, case: Case) -> list[DeletedRow]:
    """The actor's own deletions in ``case`` whose undo window is still open, newest first."""
    rows: Any = DeletedRow.objects.filter(
        case=case, deleted_by=actor, expires_at__gte=timezone.now()
    ).order_by("-deleted_at")
    return list(rows.defer("rows"))
