"""Display labels (Bahasa Indonesia / English) of the codes in analytics outputs.

Engines return codes; the web edge translates with gettext. The evidence report and the
reports engine (:mod:`lentera.reports`) render documents themselves, so they read their
labels from ``data/labels.yaml`` through :func:`label`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from lentera import reference
from lentera.analytics.warehouse import data_text

__all__ = ["label", "labels"]


@cache
def labels() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(data_text("labels.yaml"))
    return loaded


def label(kind: str, code: Any, lang: str) -> str:
    """Display label of a code of dimension ``kind`` (falls back to the code)."""
    code = str(code)
    own = labels().get(kind)
    if isinstance(own, dict) and isinstance(own.get(code), dict):
        return str(own[code][lang])
    if code in ("yes", "no", "unknown"):
        return str(labels()[code][lang])
    if kind in ("origin_province", "origin_regency"):
        return reference.region_name(code) or code
    if kind == "legal_step":
        from lentera.law.process import load_process_rules

        steps = load_process_rules().steps
        return load_process_rules().label(code, lang) if code in steps else code
    if kind in ("destination_country", "nationality", "citizenship"):
        country = reference.countries().get(code)
        return (country.name_id if lang == "id" else country.name_en) if country else code
    return code
