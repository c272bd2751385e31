"""Page-weight budget for a cheap phone on 3G: the case list and a case page, loaded into an
empty cache, transfer at most 60 KB in total (every response's headers and compressed body),
text responses arrive compressed, and no request leaves the local server."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

BUDGET = 60 * 1024  # bytes on the wire, all responses of the first load


def _first_load(app: Any, url: str) -> tuple[int, list[tuple[str, int, str]]]:
    """Load ``url`` as the caseworker with an empty cache; (total bytes, per-response rows)."""
    context = app.new_context(state=app.session_of("ylk_caseworker"))
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, url
    rows = []
    for request in finished:
        sizes = request.sizes()
        answer = request.response()
        encoding = answer.headers.get("content-encoding", "") if answer else ""
        wire = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        rows.append((request.url, wire, encoding))
    context.close()
    return sum(r[1] for r in rows), rows


@pytest.mark.parametrize("which", ["case-list", "case-detail"])
def test_first_load_within_budget(app: Any, which: str) -> None:
    """≤ 60 KB on the wire, gzip on HTML/CSS/JS, every request to 127.0.0.1 or localhost."""
    url = "/cases/"
    if which == "case-detail":
        page = app.page_as("ylk_caseworker")
        page.goto("/cases/")
        hrefs = page.locator("#case-results a[href^='/cases/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        page.context.close()
        url = hrefs[0]
        assert re.fullmatch(r"/cases/\d+/", url)
    total, rows = _first_load(app, url)
    report = "\n".join(f"  {wire:>7} B  {enc or '-':<5} {u}" for u, wire, enc in rows)
    print(f"\n{which}: {total} B on the wire ({len(rows)} responses)\n{report}")
    assert len(rows) >= 3, report  # the page, its stylesheet and htmx at least
    assert all(urlparse(u).hostname in {"127.0.0.1", "localhost"} for u, _, _ in rows), report
    for u, wire, enc in rows:
        if wire > 1500 and re.search(r"(\.css|\.js|/)$", urlparse(u).path):
            assert enc in {"gzip", "br"}, f"{u} is not compressed ({wire} B)"
    assert total <= BUDGET, f"{which}: {total} B > {BUDGET} B\n{report}"
