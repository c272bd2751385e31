"""The intake journey without a mouse: log in, open a case and add a survivor using only
Tab, Shift+Tab, Enter, Space and typing; every control reached shows a visible focus ring."""

from __future__ import annotations

import re
from typing import Any

_FOCUSED = """([selector, text]) => {
    const e = document.activeElement;
    if (!e || e === document.body || !e.matches(selector)) return null;
    if (text !== null && e.innerText.trim() !== text) return null;
    const style = getComputedStyle(e);
    return {outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px'};
}"""


def _tab_to(page: Any, selector: str, text: str | None = None, *, limit: int = 250) -> None:
    """Press Tab until ``selector`` (with ``text``) has the focus; its focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(_FOCUSED, [selector, text])
        if found is not None:
            assert found["outline"], f"{selector} {text or ''}: focus is not visible"
            return
    raise AssertionError(f"Tab never reached {selector} {text or ''} on {page.url}")


def _enter(page: Any) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_intake_with_the_keyboard_only(app: Any) -> None:
    """Log in, create a case, add a survivor with a means of control: keys only, no clicks."""
    page = app.new_context(lang="id").new_page()
    page.goto("/accounts/login/")  # the starting address, as typed into the browser
    _tab_to(page, "#id_username")
    page.keyboard.type("ylk_caseworker")
    _tab_to(page, "#id_password")
    page.keyboard.type("lentera-demo")
    _enter(page)
    assert "/accounts/" not in page.url

    _tab_to(page, "a[href='/cases/']", "Kasus")
    _enter(page)
    _tab_to(page, "a[href='/cases/new/']", "Kasus baru")
    _enter(page)
    _tab_to(page, "#id_opened_on")
    page.keyboard.type("03022026")  # mm/dd/yyyy segments of the en-US date field
    assert page.input_value("#id_opened_on") == "2026-03-02"
    _tab_to(page, "#id_summary")
    page.keyboard.type("Kasus sintetis, dicatat dengan papan ketik saja.")
    _tab_to(page, "button[type=submit]", "Simpan")
    _enter(page)
    match = re.search(r"/cases/(\d+)/$", page.url)
    assert match, page.url

    _tab_to(page, "a[href$='/survivors/new/']", "Tambah penyintas")
    _enter(page)
    _tab_to(page, "#id_p-full_name")
    page.keyboard.type("Sintetis Papan Ketik")
    _tab_to(page, "#id_p-sex")
    page.keyboard.type("Perempuan")  # type-ahead picks the option
    assert page.input_value("#id_p-sex") == "female"
    _tab_to(page, "input[name='s-means_of_control'][value='debt_bondage']")
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")  # and back: Shift+Tab moves focus backwards
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.value") == "debt_bondage"
    assert page.is_checked("input[name='s-means_of_control'][value='debt_bondage']")
    _tab_to(page, "button[type=submit]", "Simpan")
    _enter(page)
    assert page.url.endswith(f"/cases/{match.group(1)}/"), page.url
    card = page.locator("#survivors article", has_text="Sintetis Papan Ketik")
    assert "Jeratan utang" in card.inner_text()
    page.context.close()
