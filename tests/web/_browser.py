"""Read a rendered page or form the way a browser would submit it (no JavaScript)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.http import QueryDict


class BrowserSubmission(HTMLParser):
    """What a browser would submit for the rendered controls (no JavaScript)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data = QueryDict(mutable=True)
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.appendlist(name, a.get("value", "on"))
            elif kind not in {"file", "submit", "button", "reset", "password"}:
                self.data.appendlist(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            self._options = []
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            o = self._option
            value = o["value"] if o["value"] is not None else o["text"].strip()
            self._options.append((value, o["selected"]))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, sel in self._options if sel]
            if not self._select_multiple:
                chosen = chosen[-1:] or [v for v, _s in self._options[:1]]
            for value in chosen:
                self.data.appendlist(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # The HTML spec drops one leading newline of a textarea's content.
            self.data.appendlist(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def submitted(form: Any) -> QueryDict:
    parser = BrowserSubmission()
    parser.feed(str(form))
    return parser.data


def page_data(html: str) -> dict[str, list[str]]:
    """The submission of a whole page, as a dict a test client can post."""
    parser = BrowserSubmission()
    parser.feed(html)
    return {k: parser.data.getlist(k) for k in parser.data}
