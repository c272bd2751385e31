"""Reads of the service directory: the organisation's providers, searched."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lentera.web.accounts.models import User
from lentera.web.core.access import require_case_role
from lentera.web.core.selectors import first_or_not_found
from lentera.web.referrals.models import ServiceProvider


def providers_for_user(
    *, actor: User, q: str = "", region: str = "", service: str = "", active_only: bool = True
) -> QuerySet[ServiceProvider]:
    """The organisation's directory, searched by name, region (province or regency) and service."""
    membership = require_case_role(actor)
    qs = ServiceProvider.objects.filter(organisation_id=membership.organisation_id)
    if active_only:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if service:
        qs = qs.filter(service_index__contains=f"|{service}|")
    if region:
        cover = Q(nationwide=True) | Q(region_index__contains=f"|P{region[:2]}|")
        if len(region) == 4:
            cover |= Q(region_index__contains=f"|R{region}|")
        else:
            cover |= Q(region_index__contains=f"|R{region[:2]}")
        qs = qs.filter(cover)
    return qs.select_related("linked_organisation")


def provider_get_for_user(*, actor: User, provider_id: int) -> ServiceProvider:
    """One provider of the actor's directory, else ``not_found``."""
    membership = require_case_role(actor)
    return first_or_not_found(
        ServiceProvider.objects.filter(pk=provider_id, organisation_id=membership.organisation_id)
    )
