"""Reads of members and API tokens: an organisation admin's own organisation, a user's own tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lentera.web.accounts.models import ApiToken, Membership, Organisation, Team, User
from lentera.web.core.access import require_org_admin
from lentera.web.core.selectors import first_or_not_found, of_organisation, one_of_organisation


def members_for_admin(*, actor: User) -> QuerySet[Membership]:
    """The members of the admin's organisation with their user, by username (admins only)."""
    admin = require_org_admin(actor)
    members = of_organisation(Membership, admin.organisation_id)
    return members.select_related("user").prefetch_related("teams").order_by("user__username")


def member_get_for_admin(*, actor: User, user_id: int) -> Membership:
    """One member of the admin's organisation, else ``not_found`` (also for another's)."""
    admin = require_org_admin(actor)
    members = of_organisation(Membership, admin.organisation_id).filter(user_id=user_id)
    return first_or_not_found(members.select_related("user"), _("User not found."))


def api_tokens_for_user(*, actor: User) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def api_token_get_for_user(*, actor: User, token_id: int) -> ApiToken:
    """One of the actor's own API tokens, else ``not_found``."""
    return first_or_not_found(
        ApiToken.objects.filter(pk=token_id, user=actor), _("Token not found.")
    )


def teams_for_admin(*, actor: User) -> QuerySet[Team]:
    """The teams of the admin's organisation with their members, by name (admins only)."""
    admin = require_org_admin(actor)
    teams = of_organisation(Team, admin.organisation_id)
    return teams.prefetch_related("members__user").order_by("name")


def team_get_for_admin(*, actor: User, team_id: int) -> Team:
    """One team of the admin's organisation, else ``not_found`` (also for another's)."""
    admin = require_org_admin(actor)
    teams = Team.objects.prefetch_related("members")
    return one_of_organisation(teams, team_id, admin.organisation_id, _("Team not found."))


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
