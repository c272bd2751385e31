"""Reads the analytics pages need besides the warehouse: provider names behind the opaque keys,
the size of the organisation's case store."""

from __future__ import annotations

import os

from lentera.web.cases.models import CaseSurvivor
from lentera.web.insights.snapshot import opaque_key
from lentera.web.referrals.models import ServiceProvider

#: an evidence report for more survivors than this is written by the worker, not the request
REPORT_INLINE_MAX = int(os.environ.get("LENTERA_REPORT_INLINE_MAX", "5000"))


def provider_names(*, organisation_id: int) -> dict[str, str]:
    """The organisation's service providers by their opaque snapshot key."""
    return {
        opaque_key("provider", p.pk): p.name
        for p in ServiceProvider.objects.filter(organisation_id=organisation_id)
    }


def report_is_large(organisation_id: int) -> bool:
    """True if the organisation has more than :data:`REPORT_INLINE_MAX` survivors on cases."""
    return (
        CaseSurvivor.objects.filter(case__organisation_id=organisation_id)[
            : REPORT_INLINE_MAX + 1
        ].count()
        > REPORT_INLINE_MAX
    )
