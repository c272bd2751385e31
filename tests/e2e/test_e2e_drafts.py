"""The session expires while the caseworker fills the new-survivor form on a phone: nothing
typed is lost. Submit → login page → the same user signs in → the form is offered back, filled
→ save. Every page fits 360 px; screenshots of the login notice, the offer and the refilled form.
"""

from __future__ import annotations

import re
from typing import Any

from conftest import PASSWORD, PHONE


def _fits(page: Any, where: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{where}: the page is {width} px wide on a 360 px phone"


NAME = "Yohana Draf Sintetis"


def test_expired_session_keeps_the_survivor_form(app: Any) -> None:
    context = app.new_context(viewport=PHONE)
    page = context.new_page()
    app.log_in(page, "ntt_caseworker")
    page.goto("/cases/")
    case_url = re.search(
        r'href="(/cases/\d+/)"', page.locator("main").inner_html()
    ).group(1)  # fmt: skip
    page.goto(case_url + "survivors/new/")
    _fits(page, "survivor form")
    page.fill("#id_p-full_name", NAME)
    page.select_option("#id_p-sex", "female")
    page.fill("#id_p-birth_date", "2009-05-10")
    page.select_option("#id_s-is_migrant_worker", "true")
    page.check("input[name=s-exploitation_types][value=forced_labour]")

    # the session expires (its cookie is gone), then the caseworker taps Simpan
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").last.click()
    assert "/accounts/login/" in page.url
    assert "Isian Anda disimpan sementara" in page.locator("main").inner_text()
    _fits(page, "login after expiry")
    app.shot(page, "draft-1-login-after-expiry-360")

    page.fill("#id_username", "ntt_caseworker")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(case_url + "survivors/new/"), page.url
    offer = page.locator("section.draft-offer")
    assert "Lanjutkan isian yang belum tersimpan?" in offer.inner_text()
    assert page.input_value("#id_p-full_name") == ""  # not filled until asked
    _fits(page, "draft offer")
    app.shot(page, "draft-2-offer-360")

    with page.expect_navigation():
        offer.locator("a.button").click()
    assert page.input_value("#id_p-full_name") == NAME
    assert page.input_value("#id_p-birth_date") == "2009-05-10"
    assert page.input_value("#id_s-is_migrant_worker") == "true"
    assert page.is_checked("input[name=s-exploitation_types][value=forced_labour]")
    _fits(page, "refilled form")
    app.shot(page, "draft-3-refilled-360")

    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").last.click()
    if page.locator("#possible-duplicates").count():  # the demo may hold a look-alike
        page.check("input[name=confirm_new]")
        with page.expect_navigation():
            page.locator("main form.stack button[type=submit]").last.click()
    assert page.url.endswith(case_url), page.url
    assert NAME in page.locator("main").inner_text()
    assert not page.locator("section.draft-offer").count()
    context.close()


def test_delete_a_perpetrator_then_undo_on_a_phone(app: Any) -> None:
    page = app.page_as("ntt_caseworker", viewport=PHONE)
    page.goto("/cases/")
    links = re.findall(r'href="(/cases/\d+/)"', page.locator("main").inner_html())
    for case_url in links:
        page.goto(case_url)
        if page.locator("form[action*='/perpetrators/'][action$='/delete/']").count():
            break
    else:
        raise AssertionError("no case of the demo has a perpetrator")
    delete = page.locator("form[action*='/perpetrators/'][action$='/delete/']").first
    action = delete.get_attribute("action")
    before = page.locator("#perpetrators").inner_text()
    with page.expect_navigation():
        delete.locator("button").click()
    with page.expect_navigation():  # the confirmation page
        page.locator("main form.actions button[type=submit]").click()
    assert page.url.endswith(case_url)
    box = page.locator("form.undo-box")
    assert "Anda dapat membatalkannya sampai pukul" in box.inner_text()
    assert page.locator(f"form[action='{action}']").count() == 0
    _fits(page, "case page with undo")
    app.shot(page, "undo-1-after-delete-360")
    with page.expect_navigation():
        box.locator("button").click()
    assert "Dibatalkan" in page.locator("main").inner_text()
    assert page.locator(f"form[action='{action}']").count() == 1
    assert page.locator("#perpetrators").inner_text() == before
    _fits(page, "case page after undo")
    app.shot(page, "undo-2-after-undo-360")
