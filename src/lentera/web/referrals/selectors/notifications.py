"""Reads of notifications and of who receives them (never personal data: numbers and dates)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lentera.web.accounts.models import CASE_ROLES, SUPERVISING_ROLES, Membership, User
from lentera.web.core.selectors import first_or_not_found
from lentera.web.referrals.models import Notification


def _members(organisation_id: int, roles: Iterable[str]) -> list[User]:
    return [
        m.user
        for m in Membership.objects.select_related("user").filter(
            organisation_id=organisation_id, role__in=list(roles), user__is_active=True
        )
    ]


def case_workers(organisation_id: int) -> list[User]:
    """Active users of an organisation in a case role: who hears of a referral to it."""
    return _members(organisation_id, CASE_ROLES)


def supervisors(organisation_id: int) -> list[User]:
    """Active supervisors and organisation admins of an organisation (overdue reminders)."""
    return _members(organisation_id, SUPERVISING_ROLES)


def workers_of_organisation(organisation_id: int) -> QuerySet[User]:
    """Active members of an organisation: who may be responsible for a support action."""
    return User.objects.filter(membership__organisation_id=organisation_id, is_active=True)


def notifications_for_user(*, actor: User) -> QuerySet[Notification]:
    """The actor's own notifications, newest first (the model's ordering)."""
    return Notification.objects.filter(user=actor)


def notification_get_for_user(*, actor: User, notification_id: int) -> Notification:
    """One of the actor's own notifications, else ``not_found``."""
    return first_or_not_found(
        Notification.objects.filter(pk=notification_id, user=actor), _("Not found.")
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the badge in the menu)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
