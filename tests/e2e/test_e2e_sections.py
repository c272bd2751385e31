"""Issue 16 on a 360 px phone: the survivor's edit page is split in sections and one section is
saved on its own ("Simpan bagian ini"); the page comes back at that section, saying so, and the
other sections are untouched. Screenshots of the section before and after the save.
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
    page.fill("#id_p-full_name", "")  # typed in another section, not saved with this one
    app.shot(page, "sections-1-origin-before-360")
    with page.expect_navigation():
        origin.get_by_role("button", name="Simpan bagian ini").click()
    assert page.url.endswith(edit_url + "?saved=origin#section-origin"), page.url
    assert "Bagian ini sudah tersimpan." in origin.inner_text()  # in sight, in the section
    _fits(page, "after the section save")
    assert page.input_value("#id_p-phone") == "081377776666"
    assert page.input_value("#id_p-full_name") == name
    assert page.input_value("#id_s-current_location") == location
    app.shot(page, "sections-2-origin-saved-360")

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
