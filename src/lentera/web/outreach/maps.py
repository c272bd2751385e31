"""The "where to go next" maps: server-side SVG choropleths of the analytics engine
(:mod:`lentera.analytics.maps`), at province level (the shipped geometry has provinces only;
the page lists regencies in a table where survivors' origins are recorded by regency)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lentera.web.core.i18n import current_lang
from lentera.web.outreach.selectors import WhereNext

#: shades of green for outreach activities (white = none)
GREENS = ("#ffffff", "#c7e9c0", "#74c476", "#31a354", "#006d2c")


def outreach_svg(data: WhereNext) -> str:
    """Activities per province (counts of activities, not of people: no suppression needed)."""
    # heavy backend (DuckDB, pandas): loaded only when the map is drawn
    from lentera.analytics.maps import choropleth

    values: dict[str, Any] = {
        code: data.activities_by_province.get(code, 0) for code in data.poverty
    }
    title = _("Outreach activities by province")
    if data.year:
        title = f"{title} {data.year}"
    return choropleth(
        values,
        title=title,
        desc=_(
            "Map of the 38 provinces shaded by the number of outreach activities; white = none."
        ),
        legend_title=_("Activities"),
        unit="number",
        lang=current_lang(),
        bounds=[0, 1, 2, 5, 10],
        palette=GREENS,
        uid="map-outreach",
    )


def survivors_svg(data: WhereNext) -> str:
    from lentera.analytics.maps import survivor_map

    if data.warehouse is None:
        return ""
    return survivor_map(str(data.warehouse), lang=current_lang())


def poverty_svg() -> str:
    from lentera.analytics.maps import poverty_map

    return poverty_map(lang=current_lang())
