"""Who may touch a referral-app record: the rules services call (views only translate errors).

The role rules themselves live in :mod:`lentera.web.core.access`; this module adds the one
rule every referral-app write shares: the record belongs to the actor's organisation.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lentera.web.accounts.models import Membership, User
from lentera.web.core.access import require_case_role
from lentera.web.core.services import not_found


def require_own_organisation(
    actor: User, organisation_id: int, *, message: str | None = None
) -> Membership:
    """The actor's case-role membership, if ``organisation_id`` is their organisation.

    Another organisation's record answers ``not_found`` (never ``forbidden``), so a probe cannot
    tell "exists elsewhere" from "does not exist".
    """
    membership = require_case_role(actor)
    if membership.organisation_id != organisation_id:
        raise not_found(message or _("Not found."))
    return membership
