"""Reads of the contact log, scoped to the actor's organisation (case roles only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.contacts import choices
from lentera.web.contacts.models import Contact
from lentera.web.core.access import membership_for, require_case_role
from lentera.web.core.home_panels import HomePanel
from lentera.web.core.selectors import of_organisation, one_of_organisation
from lentera.web.core.snapshot_sources import selected_units, stamp


def contacts_list_for_user(
    *,
    actor: User,
    status: str = "",
    channel: str = "",
    reporter: str = "",
    province: str = "",
    concern_category: str = "",
    missing: bool = False,
    due: bool = False,
    number: str = "",
) -> QuerySet[Contact]:
    """The organisation's contacts, newest first, filtered."""
    membership = require_case_role(actor)
    qs = of_organisation(
        Contact,
        membership.organisation_id,
        status=status if status in choices.Status.values else "",
        channel=channel,
        reporter=reporter,
        province=province,
        concern_category=concern_category,
        missing_person=missing,
        number__icontains=number.strip(),
    ).select_related("case", "handled_by")
    if due:
        qs = qs.filter(status=choices.Status.OPEN, follow_up_due__lte=timezone.localdate())
    return qs


def contact_get_for_user(*, actor: User, contact_id: int) -> Contact:
    membership = require_case_role(actor)
    return one_of_organisation(
        Contact.objects.select_related("case", "handled_by", "organisation"),
        contact_id,
        membership.organisation_id,
        _("Contact not found."),
    )


def contact_counts_for_user(*, actor: User) -> dict[str, int]:
    """Open, due and missing-person counts for the home page panel (no identity)."""
    membership = require_case_role(actor)
    today = timezone.localdate()
    return Contact.objects.filter(
        organisation_id=membership.organisation_id, status=choices.Status.OPEN
    ).aggregate(
        open=Count("id"),
        due=Count("id", filter=Q(follow_up_due__lte=today)),
        missing=Count("id", filter=Q(missing_person=True)),
    )


#: contacts listed in the home page panel
HOME_PANEL_ROWS = 5


def home_panel(actor: User) -> HomePanel | None:
    """The home page panel for case roles: open contacts with a follow-up due today or
    earlier and open missing-person flags whose check is due (reminder cycle elapsed), the
    first few of them by date (numbers and dates only, never a name or the concern)."""
    if not membership_for(actor).can_edit_cases:
        return None
    counts = contact_counts_for_user(actor=actor)
    today = timezone.localdate()
    due = [
        c
        for c in contacts_list_for_user(actor=actor, status=choices.Status.OPEN)
        .filter(Q(follow_up_due__lte=today) | Q(missing_person=True))
        .order_by(F("follow_up_due").asc(nulls_last=True), "received_on", "pk")
        if (c.follow_up_due and c.follow_up_due <= today) or missing_check_due(c, today) is not None
    ]
    counts["missing_due"] = sum(
        1 for c in due if c.missing_person and missing_check_due(c, today) is not None
    )
    return HomePanel(
        "contacts/_home_panel.html",
        {"counts": counts, "due": due[:HOME_PANEL_ROWS], "more": len(due) > HOME_PANEL_ROWS},
    )


def missing_check_due(contact: Contact, today: dt.date) -> dt.date | None:
    """The latest day of the reminder cycle on or before ``today`` (None before the first)."""
    cycle = max(1, contact.reminder_days)
    elapsed = (today - contact.received_on).days
    if elapsed < cycle:
        return None
    return contact.received_on + dt.timedelta(days=cycle * (elapsed // cycle))


def open_contacts_due(*, today: dt.date) -> QuerySet[Contact]:
    """Every open contact across the instance with a follow-up due or a missing-person flag
    (the reminder run; no actor: it works for the whole instance)."""
    return (
        Contact.objects.filter(status=choices.Status.OPEN)
        .filter(Q(follow_up_due__lte=today) | Q(missing_person=True))
        .select_related("handled_by")
    )


def contacts_for_snapshot(org_ids: list[int] | None, only: Collection[int] | None = None) -> Any:
    """Codes only (channel, who, region, category, outcome, month) for the analytics snapshot
    (of the contacts ``only``, when given)."""
    qs = selected_units(Contact.objects.all(), org_ids, only)
    return qs.values_list(
        "pk", "organisation__code", "received_on", "channel", "reporter", "province",
        "regency", "concern_category", "risk", "urgency", "missing_person",
        "destination_country", "status", "outcome", "case_id",
    )  # fmt: skip


def contact_stamps(org_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Per contact of the organisations: what tells that its snapshot row changed (the
    incremental warehouse build)."""
    qs = Contact.objects.filter(organisation_id__in=org_ids)
    rows = qs.order_by().values_list("pk", stamp("updated_at"), "case_id")
    return {pk: (t, case_id) for pk, t, case_id in rows}
