"""Who the actor is and what they may do. Every survivor read starts here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from lentera.errors import LenteraError

if TYPE_CHECKING:  # core is the lowest layer: accounts' models are annotations only here
    from lentera.web.accounts.models import Membership, User
    from lentera.web.cases.models import Case


def _forbidden(code: str, message: Any) -> LenteraError:
    """The ``forbidden`` error every rule here raises: a code and its (translated) message."""
    return LenteraError(code, str(message), kind="forbidden")


def membership_for(actor: User | None) -> Membership:
    """The actor's active membership, or a ``forbidden`` error."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise _forbidden("not_authenticated", _("You must log in."))
    membership = actor.membership_or_none
    if membership is None:
        raise _forbidden("no_membership", _("Your account does not belong to an organisation."))
    return membership


def require_case_role(actor: User) -> Membership:
    """Membership of a role allowed to read and write survivor records."""
    membership = membership_for(actor)
    if not membership.can_edit_cases:
        raise _forbidden("role_forbidden", _("Your role may not open survivor records."))
    return membership


def require_own_organisation(
    actor: User, organisation_id: int, *, message: str | None = None
) -> Membership:
    """The actor's case-role membership, if ``organisation_id`` (a record's) is their
    organisation.

    Another organisation's record answers ``not_found`` (never ``forbidden``), so a probe cannot
    tell "exists elsewhere" from "does not exist"; ``message`` names what was not found.
    """
    membership = require_case_role(actor)
    if membership.organisation_id != organisation_id:
        raise LenteraError("not_found", str(message or _("Not found.")), kind="not_found")
    return membership


def require_case_edit(actor: User, case: Case) -> Membership:
    """May ``actor`` change ``case``? Same organisation, a case role, and — when the
    organisation restricts caseworkers to their assigned cases — the case's owner or a
    member of one of the owner's teams."""
    membership = require_case_role(actor)
    if case.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", str(_("Case not found.")), kind="not_found")
    if (
        membership.role == "caseworker"  # Role.CASEWORKER
        and membership.organisation.caseworkers_assigned_only
        and case.owner_id != actor.pk
        and not shares_a_team(membership, case.owner_id)
    ):
        raise _forbidden(
            "not_assigned",
            _(
                "This case is assigned to someone outside your teams; ask a supervisor "
                "to assign it to you or to a member of one of your teams."
            ),
        )
    return membership


def shares_a_team(membership: Membership, user_id: int | None) -> bool:
    """Is the user ``user_id`` a member of one of ``membership``'s teams (its organisation's
    teams only: a team never holds another organisation's members)?"""
    if user_id is None:
        return False
    my_teams = membership.teams.filter(organisation_id=membership.organisation_id).values("pk")
    return (
        type(membership)
        .objects.filter(
            user_id=user_id, organisation_id=membership.organisation_id, teams__in=my_teams
        )
        .exists()
    )


def require_supervisor(actor: User) -> Membership:
    """Membership of a supervisor or organisation admin (``is_supervising``), else ``forbidden``.

    The rule for anonymisation, the audit log, user administration, release approval and
    overrides of a missing consent: services call it, views only translate its error.
    """
    membership = membership_for(actor)
    if not membership.is_supervising:
        raise _forbidden(
            "supervisor_required", _("Only a supervisor or an organisation admin may do this.")
        )
    return membership


def require_org_admin(actor: User) -> Membership:
    """Membership of an organisation admin, else ``forbidden``."""
    membership = membership_for(actor)
    if membership.role != "org_admin":  # Role.ORG_ADMIN (accounts is a layer above core)
        raise _forbidden("admin_required", _("Only an organisation admin may do this."))
    return membership
