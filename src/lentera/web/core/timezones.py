"""Times in the organisation's own time zone: WIB, WITA or WIT (not Jakarta for everyone).

Indonesia has three zones; the province of the organisation decides which one its pages use
(a caseworker in Kupang reads WITA). Stored times stay in UTC.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

#: BPS province code prefix → IANA zone (WITA: Bali, Nusa Tenggara, south/east/north
#: Kalimantan, Sulawesi; WIT: Maluku and Papua; everything else WIB)
WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def zone_of_province(code: str | None) -> zoneinfo.ZoneInfo:
    if code in WITA:
        return zoneinfo.ZoneInfo("Asia/Makassar")
    if code in WIT:
        return zoneinfo.ZoneInfo("Asia/Jayapura")
    return zoneinfo.ZoneInfo("Asia/Jakarta")


class OrganisationTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        membership = user.membership_or_none if user is not None and user.is_authenticated else None
        if membership is not None:
            timezone.activate(zone_of_province(membership.organisation.province_code))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
