"""Issue 16 on a 360 px phone: the survivor's edit page is split in sections and one section is
saved on its own ("Simpan bagian ini"); the page comes back at that section, saying so; what was
typed in another section is neither saved nor lost (kept, marked "Belum disimpan", saved next),
and leaving the page with such typing asks first. Screenshots of the section before and after the save.
"""

from __future__ import annotations

import re
from typing import Any

from conftest import PHONE


def _fits(page: Any, where: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{where}: the page is {width} px wide on a 360 px phone"


def test_saving_one_section_on_a_phone(app: Any) -> None:
    page = app.page_as("ntt_caseworker", viewport=PHONE)
    page.goto("/cases/")
    edit_url = None
    for case_url in re.findall(r'href="(/cases/\d+/)"', page.locator("main").inner_html()):
        page.goto(case_url)
        found = re.search(r'href="(/cases/survivors/\d+/edit/)"', page.content())
        if found:
            edit_url = found.group(1)
            break
    assert edit_url, "no survivor to edit in the demo data"
    page.goto(edit_url)
    _fits(page, "survivor edit page")
    assert page.locator("fieldset.section").count() == 8
    problems = app.axe(page)
    assert not problems, problems
    name = page.input_value("#id_p-full_name")
    location = page.input_value("#id_s-current_location")

    origin = page.locator("#section-origin")
    origin.scroll_into_view_if_needed()
    page.fill("#id_p-phone", "081377776666")
    typed = "Rumah aman Kupang (diketik di ponsel, belum disimpan)"
    page.fill("#id_s-current_location", typed)  # another section, not saved with this one
    # leaving with typing not saved asks first (progressive enhancement)
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.type), d.dismiss()))
    page.evaluate("() => { window.location.href = '/cases/'; }")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"] and page.url.endswith(edit_url), (asked, page.url)
    app.shot(page, "sections-1-origin-before-360")
    with page.expect_navigation():
        origin.get_by_role("button", name="Simpan bagian ini").click()
    assert "Bagian ini sudah tersimpan." in origin.inner_text()  # in sight, in the section
    _fits(page, "after the section save")
    assert page.input_value("#id_p-phone") == "081377776666"
    assert page.input_value("#id_p-full_name") == name
    # the other section's typing is still there, marked not saved yet, and listed at the top
    assert page.input_value("#id_s-current_location") == typed != location
    now = page.locator("#section-now")
    assert "Belum disimpan" in now.inner_text()
    assert "Keamanan saat ini dan wawancara" in page.locator("#unsaved-sections").inner_text()
    app.shot(page, "sections-2-origin-saved-360")
    now.scroll_into_view_if_needed()
    app.shot(page, "sections-2b-unsaved-kept-360")
    with page.expect_navigation():
        now.get_by_role("button", name="Simpan bagian ini").click()
    assert page.url.endswith(edit_url + "?saved=now#section-now"), page.url  # nothing left
    assert page.input_value("#id_s-current_location") == typed
    assert page.locator("#unsaved-sections").count() == 0

    # the case's edit page: two sections, the intake one saved on its own
    page.goto(case_url + "edit/")
    _fits(page, "case edit page")
    problems = app.axe(page)
    assert not problems, problems
    intake = page.locator("#section-intake")
    page.fill("#id_summary", "Ringkasan diperbarui dari ponsel (data sintetis).")
    with page.expect_navigation():
        intake.get_by_role("button", name="Simpan bagian ini").click()
    assert "Bagian ini sudah tersimpan." in intake.inner_text()
    intake.scroll_into_view_if_needed()
    app.shot(page, "sections-3-case-intake-saved-360")
