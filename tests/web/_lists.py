"""Rows of the long lists made quickly (``bulk_create``) for the paging tests: contacts,
outreach activities and audit events of one organisation, many on the same day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lentera.web.audit.models import AuditEvent
from lentera.web.contacts.models import Contact
from lentera.web.outreach.models import OutreachActivity


def contacts(actor: Any, n: int, *, per_day: int = 4, prefix: str = "H") -> list[Contact]:
    org = actor.membership.organisation
    day0 = dt.date(2025, 1, 1)
    return Contact.objects.bulk_create(
        Contact(
            organisation=org, number=f"{prefix}-{i:04d}", received_on=day0 + dt.timedelta(days=i // per_day),
            channel="phone", reporter="family", concern="Sintetis", handled_by=actor, created_by=actor,
        )
        for i in range(n)
    )  # fmt: skip


def activities(actor: Any, n: int, *, per_day: int = 4) -> list[OutreachActivity]:
    org = actor.membership.organisation
    day0 = dt.date(2025, 1, 1)
    return OutreachActivity.objects.bulk_create(
        OutreachActivity(
            organisation=org, kind="socialisation", province="53", village=f"Desa{i:04d}",
            date=day0 + dt.timedelta(days=i // per_day), female_18_35=1, created_by=actor,
        )
        for i in range(n)
    )  # fmt: skip


def audit_events(actor: Any, n: int) -> None:
    org = actor.membership.organisation
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    base = AuditEvent.objects.count()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=at, actor=actor, actor_username=actor.username, organisation=org, action="view",
            object_type="cases.case", object_id=f"{900000 + i}", prev_hash="0" * 64,
            hash=f"{base + i + 1:064x}",
        )
        for i in range(n)
    )  # fmt: skip


def walk(client: Any, url: str, pattern: str) -> tuple[list[list[str]], list[list[str]]]:
    """Follow the Next links from ``url`` to the end, then the Previous links back to the
    start: the ``pattern`` matches (the rows) of each page, forward and backward."""
    forward, backward = [], []
    page = client.get(url).content.decode()
    forward.append(re.findall(pattern, page))
    sep = "&" if "?" in url else "?"
    while m := re.search(r'href="\?([^"]*?)after=([\w-]+)" rel="next"', page):
        page = client.get(f"{url}{sep}after={m.group(2)}").content.decode()
        forward.append(re.findall(pattern, page))
    backward.append(forward[-1])
    while m := re.search(r'href="\?([^"]*?)before=([\w-]+)" rel="prev"', page):
        page = client.get(f"{url}{sep}before={m.group(2)}").content.decode()
        backward.append(re.findall(pattern, page))
    return forward, backward


def referrals(actor: Any, case: Any, n: int, *, per_day: int = 4) -> None:
    """``n`` referrals sent from ``case``'s first survivor to one provider (no consent
    check: these are rows for the list, not the referral flow)."""
    from lentera.web.referrals.models import Referral, ServiceProvider

    org = actor.membership.organisation
    provider = ServiceProvider.objects.filter(organisation=org).first() or (
        ServiceProvider.objects.create(organisation=org, name="Rumah Aman", institution_type="ngo")
    )
    link = case.survivors.first()
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    first = Referral.objects.filter(organisation=org).count()
    Referral.objects.bulk_create(
        Referral(
            organisation=org, number=f"RJ-{first + i:04d}", case=case, case_survivor=link,
            provider=provider, services=["shelter"], reason="Sintetis",
            due_date=dt.date(2025, 2, 1), override_by=actor, override_reason="Uji",
            created_by=actor, sent_at=start + dt.timedelta(days=i // per_day),
        )
        for i in range(n)
    )  # fmt: skip
