"""Every main page, on the demo data: axe-core finds no serious or critical accessibility
violation, nothing overflows sideways on a 360 px phone, and a screenshot is saved at phone
(360×800) and desktop (1280×800) width into the screenshot directory."""

from __future__ import annotations

import re
from typing import Any

import pytest

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
# page name → (user who opens it, URL template filled from the demo ids)
PAGES: dict[str, tuple[str | None, str]] = {
    "login": (None, "/accounts/login/"),
    "list": ("ylk_caseworker", "/cases/"),
    "detail": ("ylk_caseworker", "/cases/{case}/"),
    "new-case": ("ylk_caseworker", "/cases/new/"),
    "survivor": ("ylk_caseworker", "/cases/{case}/survivors/new/"),
    "consent": ("ylk_caseworker", "/cases/{case}/consents/new/"),
    "screening": ("ylk_caseworker", "/assessments/survivors/{link}/screening/"),
    "legal": ("ylk_legal", "/assessments/survivors/{link}/legal/"),
    "referral-form": ("ylk_caseworker", "/referrals/survivors/{link}/new/"),
    "referral": ("ylk_caseworker", "/referrals/{referral}/"),
    "inbox": ("ntt_caseworker", "/referrals/inbox/?status=all"),
    "inbox-referral": ("ntt_caseworker", "/referrals/{referral}/"),
    "directory": ("ylk_caseworker", "/referrals/directory/"),
    "dashboard": ("ylk_supervisor", "/referrals/"),
    "notifications": ("ylk_caseworker", "/referrals/notifications/"),
    "audit": ("ylk_supervisor", "/audit/"),
    "users": ("ylk_admin", "/accounts/users/"),
    "not-found": ("ntt_caseworker", "/cases/{case}/"),
    "insights": ("ylk_analyst", "/insights/"),
    "releases": ("ylk_analyst", "/releases/"),
    "duplicates": ("ylk_caseworker", "/cases/duplicates/"),
    "imports": ("ylk_caseworker", "/imports/"),
    "support-plan": ("ylk_caseworker", "/referrals/survivors/{link}/plan/"),
    "legal-process": ("ylk_caseworker", "/referrals/cases/{case}/legal-process/"),
}


@pytest.fixture(scope="module")
def demo_ids(app: Any) -> dict[str, int]:
    """A demo case of YLK with a survivor referred to PPANTT (found through the UI)."""
    page = app.page_as("ylk_caseworker")
    page.goto("/referrals/sent/?status=all")
    ids: dict[str, int] = {}
    for row in page.locator("table.list tbody tr").all():
        if "Nusa Tenggara Timur" in row.inner_text():
            href = row.locator("a").first.get_attribute("href") or ""
            ids["referral"] = int(re.findall(r"\d+", href)[0])
            break
    page.goto(f"/referrals/{ids['referral']}/")
    crumb = page.locator(".crumb a").first.get_attribute("href") or ""
    ids["case"] = int(re.findall(r"\d+", crumb)[0])
    page.goto(crumb)
    screen = page.locator("#survivors a[href*='/screening/']").first.get_attribute("href") or ""
    ids["link"] = int(re.findall(r"\d+", screen)[0])
    page.context.close()
    return ids


@pytest.fixture(scope="module")
def pages(app: Any) -> Any:
    """One open page per user, reused by every page check of this module."""
    opened: dict[str | None, Any] = {}

    def page_for(user: str | None) -> Any:
        if user not in opened:
            opened[user] = app.page_as(user)
        return opened[user]

    yield page_for
    for page in opened.values():
        page.context.close()


def _sideways_overflow(page: Any) -> list[str]:
    """Elements sticking out to the right of a phone screen (the page scrolls sideways)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                          (e.className ? '.' + String(e.className).replace(/ /g, '.') : ''));
        }"""
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_main_page(app: Any, pages: Any, demo_ids: dict[str, int], name: str) -> None:
    """axe at both widths: no serious/critical violation; phone: no sideways scrolling;
    screenshots saved."""
    user, template = PAGES[name]
    page = pages(user)
    page.set_viewport_size(DESKTOP)
    response = page.goto(template.format(**demo_ids))
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), page.url
    violations = app.axe(page)
    assert not violations, "\n".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in violations)
    app.shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    assert not _sideways_overflow(page), _sideways_overflow(page)
    violations = app.axe(page)  # again: wide tables scroll on a phone and must stay usable
    assert not violations, "\n".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in violations)
    app.shot(page, f"{name}-phone")
