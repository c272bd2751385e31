"""Reads of import runs: the actor's organisation's only, for case roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lentera.web.core.access import require_case_role
from lentera.web.imports.models import ImportRun

if TYPE_CHECKING:
    from lentera.web.accounts.models import User


def import_runs_recent_for_user(*, actor: User, limit: int = 10) -> list[ImportRun]:
    """The organisation's latest ``limit`` import runs (the model's ordering, newest first)."""
    membership = require_case_role(actor)
    return list(ImportRun.objects.filter(organisation_id=membership.organisation_id)[:limit])
