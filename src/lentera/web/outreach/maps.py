"""The "where to go next" maps: server-side SVG choropleths of the analytics engine
(:mod:`lentera.analytics.maps`), at regency level when the organisation's data has regencies
(survivors' origins or activities recorded by regency), at province level otherwise. Poverty
stays a province map (BPS publishes the shipped poverty figures by province)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lentera.web.core.i18n import current_lang
from lentera.web.outreach.selectors import WhereNext

#: shades of green for outreach activities (white = none)
GREENS = ("#ffffff", "#c7e9c0", "#74c476", "#31a354", "#006d2c")


def outreach_svg(data: WhereNext) -> str:
    """Activities per regency or province (counts of activities, not of people: no
    suppression needed)."""
    # heavy backend (DuckDB, pandas): loaded only when the map is drawn
    from lentera.analytics.maps import choropleth, regency_paths

    values: dict[str, Any]
    fallback: dict[str, Any] | None = None
    if data.level == "regency":
        fallback = {code: data.activities_province_only.get(code, 0) for code in data.poverty}
        values = {code: data.activities_by_regency.get(code, 0) for code in regency_paths()}
        title = _("Outreach activities by regency/city")
        desc = _(
            "Map of the regencies and cities shaded by the number of outreach activities "
            "recorded with a regency; white = none; a lighter shade over a whole province = "
            "activities recorded by province only."
        )
    else:
        values = {code: data.activities_by_province.get(code, 0) for code in data.poverty}
        title = _("Outreach activities by province")
        desc = _(
            "Map of the 38 provinces shaded by the number of outreach activities; white = none."
        )
    if data.year:
        title = f"{title} {data.year}"
    return choropleth(
        values,
        title=title,
        desc=desc,
        legend_title=_("Activities"),
        unit="number",
        lang=current_lang(),
        bounds=[0, 1, 2, 5, 10],
        palette=GREENS,
        uid="map-outreach",
        level=data.level,
        province_values=fallback,
    )


def regencies_without_shape(data: WhereNext) -> list[str]:
    """Names of the regencies in the page's figures that the regency map cannot draw (seven
    small cities have no shape in the shipped geometry): their figures stay in the table."""
    from lentera.analytics.maps import regency_paths

    if data.level != "regency":
        return []
    shown = regency_paths()
    return [a.name for a in data.regencies if a.code not in shown]


def survivors_svg(data: WhereNext) -> str:
    from lentera.analytics.maps import survivor_map

    if data.warehouse is None:
        return ""
    return survivor_map(str(data.warehouse), lang=current_lang(), level=data.level)


def poverty_svg() -> str:
    from lentera.analytics.maps import poverty_map

    return poverty_map(lang=current_lang())
