"""Issues 20 and 21 in the browser: the supervisors' reintegration outcomes page shows the same
figures as the analytics dashboard (both read the warehouse) with its build time and caveat;
the "where to go next" map is drawn by regency when the demo's records name regencies; the
caseworker's home page lists contacts due. Screenshots at 360 and 1280 px; no serious axe
violation."""

from __future__ import annotations

from typing import Any

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def _cards(page: Any, scope: str) -> dict[str, str]:
    out = {}
    for card in page.locator(f"{scope} .cards .card").all():
        value = card.locator("strong").inner_text().strip()
        out[card.inner_text().replace(value, "", 1).strip()] = value
    return out


def test_outcomes_page_matches_the_dashboard(app: Any) -> None:
    page = app.page_as("ylk_supervisor", viewport=DESKTOP)
    page.goto("/reintegration/outcomes/")
    assert "Angka per" in page.locator("#outcomes-source").inner_text()
    mine = _cards(page, "#reintegration-outcomes")
    assert mine, page.locator("main").inner_text()[:2000]
    assert "acak" in page.locator("#reintegration-outcomes").inner_text()
    app.shot(page, "i20-outcomes-1280")
    assert not app.axe(page), app.axe(page)
    page.goto("/insights/")
    assert _cards(page, "#reintegration-outcomes") == mine
    phone = app.page_as("ylk_supervisor", viewport=PHONE)
    phone.goto("/reintegration/outcomes/")
    app.shot(phone, "i20-outcomes-360")
    phone.locator("#reintegration-outcomes table").first.scroll_into_view_if_needed()
    app.shot(phone, "i20-outcomes-table-360")
    assert not app.server_errors, app.server_errors


def test_where_next_map_is_drawn_by_regency(app: Any) -> None:
    page = app.page_as("ylk_caseworker", viewport=DESKTOP)
    page.goto("/outreach/map/")
    assert "kabupaten/kota" in page.locator("#map-level").inner_text()
    regencies = page.locator("#map-outreach path[data-bps]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-bps')).filter(c => c.length === 4)"
    )
    assert len(regencies) == 507
    page.locator("#map-outreach").scroll_into_view_if_needed()
    app.shot(page, "i21-where-next-regency-1280")
    assert not app.axe(page), app.axe(page)
    phone = app.page_as("ylk_caseworker", viewport=PHONE)
    phone.goto("/outreach/map/")
    phone.locator("#map-outreach").scroll_into_view_if_needed()
    app.shot(phone, "i21-where-next-regency-360")
    assert not app.server_errors, app.server_errors


def test_home_page_lists_contacts_due(app: Any) -> None:
    phone = app.page_as("ylk_caseworker", viewport=PHONE)
    phone.goto("/")
    panel = phone.locator("#home-contacts")
    assert panel.count() == 1
    panel.scroll_into_view_if_needed()
    app.shot(phone, "i21-home-contacts-360")
    assert not app.axe(phone), app.axe(phone)
    desk = app.page_as("ylk_caseworker", viewport=DESKTOP)
    desk.goto("/")
    app.shot(desk, "i21-home-contacts-1280")
    assert not app.server_errors, app.server_errors


def test_import_page_offers_the_kobotoolbox_fetch(app: Any) -> None:
    phone = app.page_as("ylk_caseworker", viewport=PHONE)
    phone.goto("/reintegration/import/")
    phone.locator("#kobo-fetch summary").click()
    assert phone.locator("#kobo-fetch input[name='token']").get_attribute("type") == "password"
    phone.locator("#kobo-fetch").scroll_into_view_if_needed()
    app.shot(phone, "i20-kobo-fetch-360")
    assert not app.axe(phone), app.axe(phone)
    # a demo plan of this organisation (plans of the other demo organisation answer 404)
    found = next(
        (n for n in range(1, 80) if phone.goto(f"/reintegration/plans/{n}/").status == 200), None
    )
    assert found is not None
    phone.locator("#support-plan").scroll_into_view_if_needed()
    app.shot(phone, "i20-plan-support-plan-360")
    assert not app.server_errors, app.server_errors
