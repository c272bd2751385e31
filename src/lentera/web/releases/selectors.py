"""Reads of data releases and the ε ledger: the actor's organisation's only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership
from lentera.web.core.access import membership_for
from lentera.web.releases.models import Release

if TYPE_CHECKING:
    from lentera.web.accounts.models import User


def release_get_for_user(*, actor: User, release_id: int) -> Release:
    """One release of the actor's organisation, else ``not_found`` (also for another's)."""
    membership = membership_for(actor)
    release = Release.objects.filter(
        pk=release_id, organisation_id=membership.organisation_id
    ).first()
    if release is None:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    return release


def release_list_for_user(*, actor: User, limit: int = 50) -> list[Release]:
    """The organisation's latest ``limit`` releases with who requested and decided them."""
    membership = membership_for(actor)
    return list(
        Release.objects.filter(organisation_id=membership.organisation_id).select_related(
            "requested_by", "decided_by"
        )[:limit]
    )


def approvers_for(*, organisation_id: int, roles: frozenset[str] | set[str]) -> list[User]:
    """The active members of the organisation holding one of ``roles``."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=roles, user__is_active=True
        ).select_related("user")
    ]
