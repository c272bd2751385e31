"""Reads of the service directory: the organisation's providers, searched."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lentera.web.accounts.models import User
from lentera.web.core.access import require_case_role
from lentera.web.core.selectors import of_organisation, one_of_organisation
from lentera.web.referrals.models import ServiceProvider


def providers_for_user(
    *, actor: User, q: str = "", region: str = "", service: str = "", active_only: bool = True
) -> QuerySet[ServiceProvider]:
    """The organisation's directory, searched by name, region (province or regency) and service."""
    membership = require_case_role(actor)
    qs = of_organisation(
        ServiceProvider,
        membership.organisation_id,
        is_active=active_only,
        name__icontains=q.strip(),
        service_index__contains=service and f"|{service}|",
    )
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
    return one_of_organisation(ServiceProvider, provider_id, membership.organisation_id)
