"""The bilingual message table of the import checks (``data/messages.yaml``).

The engine cannot use Django's gettext, so problems carry a code and params and
are put into words here, in Bahasa Indonesia or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["LANGUAGES", "message", "messages"]

LANGUAGES = ("id", "en")


@cache
def messages() -> Mapping[str, Mapping[str, str]]:
    """All messages by code, each with an ``id`` and an ``en`` text."""
    text = resources.files("lentera.intake").joinpath("data/messages.yaml").read_text("utf-8")
    table: dict[str, dict[str, str]] = yaml.safe_load(text)["messages"]
    for code, texts in table.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        if missing:
            raise ValueError(f"messages.yaml: {code} lacks {', '.join(missing)}")
    return table


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, lang: str = "id", params: Mapping[str, Any] | None = None) -> str:
    """The text of a problem code in ``lang`` (``id`` by default), with params filled in."""
    texts = messages().get(code)
    if texts is None:
        return code
    template = texts.get(lang[:2]) or texts["id"]
    return template.format_map(_Params(params or {}))
