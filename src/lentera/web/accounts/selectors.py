"""Reads of members and API tokens: an organisation admin's own organisation, a user's own tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import ApiToken, Membership, Organisation, Team, User
from lentera.web.core.access import require_org_admin


def members_for_admin(*, actor: User) -> QuerySet[Membership]:
    """The members of the admin's organisation with their user, by username (admins only)."""
    admin = require_org_admin(actor)
    return (
        Membership.objects.filter(organisation_id=admin.organisation_id)
        .select_related("user")
        .prefetch_related("teams")
        .order_by("user__username")
    )


def member_get_for_admin(*, actor: User, user_id: int) -> Membership:
    """One member of the admin's organisation, else ``not_found`` (also for another's)."""
    admin = require_org_admin(actor)
    target = (
        Membership.objects.filter(organisation_id=admin.organisation_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    if target is None:
        raise LenteraError("not_found", _("User not found."), kind="not_found")
    return target


def api_tokens_for_user(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def api_token_get_for_user(*, actor: User, token_id: int) -> ApiToken:
    """One of the actor's own API tokens, else ``not_found``."""
    token = ApiToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise LenteraError("not_found", _("Token not found."), kind="not_found")
    return token


def teams_for_admin(*, actor: User) -> QuerySet[Team]:
    """The teams of the admin's organisation with their members, by name (admins only)."""
    admin = require_org_admin(actor)
    return (
        Team.objects.filter(organisation_id=admin.organisation_id)
        .prefetch_related("members__user")
        .order_by("name")
    )


def team_get_for_admin(*, actor: User, team_id: int) -> Team:
    """One team of the admin's organisation, else ``not_found`` (also for another's)."""
    admin = require_org_admin(actor)
    team = (
        Team.objects.filter(organisation_id=admin.organisation_id, pk=team_id)
        .prefetch_related("members")
        .first()
    )
    if team is None:
        raise LenteraError("not_found", _("Team not found."), kind="not_found")
    return team


def organisations_receiving_referrals() -> QuerySet[Organisation]:
    """The organisations of the instance whose referral inbox is open to the others (the
    choices for a directory entry's "uses this Lentera instance as")."""
    return Organisation.objects.filter(accepts_referrals=True).order_by("name")


def receives_referrals_from(*, organisation_id: int, sender_id: int) -> bool:
    """May ``sender_id`` link a provider to ``organisation_id`` and refer to it? Always to
    itself; to another organisation only while its inbox is open."""
    if organisation_id == sender_id:
        return True
    return Organisation.objects.filter(pk=organisation_id, accepts_referrals=True).exists()
