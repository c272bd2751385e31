"""Issue 20 in the browser: open a reintegration plan → record the 3-month follow-up as
reached → fill the RSS survey on a phone → the trajectory shows on the plan page → after a
rebuild of the figures the analytics dashboard counts the new plan.

Screenshots at 360 px and 1280 px of the plan, the follow-up form and the survey.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import DESKTOP, PHONE, run_worker_once


def _a_survivor_without_plan(page: Any) -> str:
    """The URL of the plan form of a demo survivor who has no plan yet."""
    page.goto("/cases/")
    cases = page.locator("main table a[href^='/cases/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    for href in cases[:25]:
        page.goto(href)
        links = page.locator("main a[href^='/reintegration/persons/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        for link in links:
            page.goto(link)
            if "/reintegration/persons/" in page.url and page.locator("#id_case").count():
                return link
    raise AssertionError("no demo survivor without a reintegration plan")


def _plans_on_dashboard(app: Any, tmp_path_factory: pytest.TempPathFactory) -> int:
    """Rebuild the figures from the dashboard's button, run the worker, read the count of
    survivors with a reintegration plan in the dashboard's outcomes section."""
    page = app.page_as("ylk_supervisor", viewport=DESKTOP)
    page.goto("/insights/")
    button = page.locator("form[action$='/insights/refresh/'] button")
    if button.count():
        with page.expect_navigation():
            button.click()
    run_worker_once(tmp_path_factory)
    page.goto("/insights/")
    card = page.locator("#reintegration-outcomes .card", has_text="rencana reintegrasi").first
    return int(card.locator("strong").inner_text().strip())


def test_plan_follow_up_score_trajectory(
    app: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    before = _plans_on_dashboard(app, tmp_path_factory)
    page = app.page_as("ylk_caseworker", viewport=PHONE)
    form_url = _a_survivor_without_plan(page)
    page.goto(form_url)
    page.fill("#id_return_date", "2025-06-15")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/reintegration/plans/\d+/$"))
    plan_url = page.url
    assert page.locator("main .fu-list li").count() >= 4  # return, 3, 6, 12 months
    app.shot(page, "reintegration-plan-360")

    # the 3-month follow-up: reached, on a phone
    page.locator("main .fu-list li", has_text="3 bulan").locator("a.button").click()
    page.wait_for_url(re.compile(r"/reintegration/followups/\d+/$"))
    page.check("input[name='outcome'][value='reached']")
    page.fill("#id_done_on", "2025-09-16")
    page.check("input[name='mode'][value='visit']")
    app.shot(page, "reintegration-followup-360")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/survey/$"))
    assert page.get_by_text("belum diverifikasi", exact=False).count() >= 1
    app.shot(page, "reintegration-survey-360")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the survey scrolls sideways on a phone ({width}px)"
    for fieldset in page.locator("main fieldset.rss-q").all():
        fieldset.locator("input[type=radio]").nth(1).check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(plan_url)
    assert page.locator("main figure.traj svg polyline").count() >= 1
    page.locator("main figure.traj").scroll_into_view_if_needed()
    app.shot(page, "reintegration-trajectory-360")

    wide = app.page_as("ylk_caseworker", viewport=DESKTOP)
    wide.goto(plan_url)
    app.shot(wide, "reintegration-plan-1280")
    wide.locator("main figure.traj").scroll_into_view_if_needed()
    app.shot(wide, "reintegration-trajectory-1280")
    followup = wide.locator("main .fu-list li", has_text="6 bulan").locator("a.button")
    followup.click()
    app.shot(wide, "reintegration-followup-1280")

    # the supervisor's dashboard counts the new plan once the figures are rebuilt
    assert _plans_on_dashboard(app, tmp_path_factory) == before + 1
    assert not app.server_errors, app.server_errors
