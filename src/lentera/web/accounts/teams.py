"""Teams of an organisation, managed by its organisation admin.

A team groups members (memberships) of one organisation; a member may be in several.
When the organisation restricts caseworkers to their assigned cases
(``Organisation.caseworkers_assigned_only``), a caseworker may also change the cases
owned by a member of one of their teams (:func:`lentera.web.core.access.require_case_edit`).
Every change is audited with member ids and field names, never the team's name (free
text an admin typed).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from lentera.web.accounts.models import Membership, Team, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import require_org_admin
from lentera.web.core.services import invalid, not_found

#: a team's name is short: it is shown in lists and in the case page's refusal
TEAM_NAME_MAX = 100


def _name(actor_org_id: int, value: str | None, *, exclude_pk: int | None = None) -> str:
    name = (value or "").strip()
    if not name:
        raise invalid("required", _("Give the team a name."), "name")
    if len(name) > TEAM_NAME_MAX:
        raise invalid(
            "too_long",
            _("A team name has at most %(n)s characters.") % {"n": TEAM_NAME_MAX},
            "name",
        )
    clash = Team.objects.filter(organisation_id=actor_org_id, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise invalid("team_exists", _("A team with this name already exists."), "name")
    return name


def _members(org_id: int, user_ids: Iterable[int | str]) -> list[Membership]:
    """The memberships of ``user_ids`` in ``org_id``; an id of another organisation (or of
    nobody) is refused as unknown, never added."""
    try:
        ids = sorted({int(u) for u in user_ids})
    except (TypeError, ValueError) as exc:
        raise invalid("unknown_member", _("Unknown member."), "members") from exc
    found = list(Membership.objects.filter(organisation_id=org_id, user_id__in=ids))
    if len(found) != len(ids):
        raise invalid("unknown_member", _("Unknown member."), "members")
    return found


def _own_team(admin_org_id: int, team: Team) -> None:
    if team.organisation_id != admin_org_id:
        raise not_found(_("Team not found."))


@transaction.atomic
def team_create(*, actor: User, name: str, member_ids: Iterable[int | str] = ()) -> Team:
    """A new team of the admin's organisation, with its first members."""
    admin = require_org_admin(actor)
    team = Team.objects.create(
        organisation_id=admin.organisation_id, name=_name(admin.organisation_id, name)
    )
    members = _members(admin.organisation_id, member_ids)
    team.members.set(members)
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=team,
        organisation=admin.organisation,
        detail={"members": sorted(m.user_id for m in members)},
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    name: str | None = None,
    member_ids: Iterable[int | str] | None = None,
) -> Team:
    """Rename a team and/or set its members (the whole list)."""
    admin = require_org_admin(actor)
    _own_team(admin.organisation_id, team)
    changed: list[str] = []
    detail: dict[str, object] = {"fields": changed}
    if name is not None:
        new_name = _name(admin.organisation_id, name, exclude_pk=team.pk)
        if new_name != team.name:
            team.name = new_name
            team.save(update_fields=["name"])
            changed.append("name")
    if member_ids is not None:
        members = _members(admin.organisation_id, member_ids)
        before = set(team.members.values_list("user_id", flat=True))
        after = {m.user_id for m in members}
        if before != after:
            team.members.set(members)
            changed.append("members")
            detail["added"] = sorted(after - before)
            detail["removed"] = sorted(before - after)
    if changed:
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=team,
            organisation=admin.organisation,
            detail=detail,
        )
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team) -> None:
    """Delete a team (its members stay members of the organisation)."""
    admin = require_org_admin(actor)
    _own_team(admin.organisation_id, team)
    pk = team.pk
    members = sorted(team.members.values_list("user_id", flat=True))
    team.delete()
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="accounts.team",
        object_id=pk,
        organisation=admin.organisation,
        detail={"members": members},
    )
