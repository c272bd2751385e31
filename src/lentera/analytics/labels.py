"""Code lists and display labels (Bahasa Indonesia / English) of the codes in analytics outputs.

Engines return codes; documents the engines render themselves (the evidence report, the
reports engine :mod:`lentera.reports`, the insights charts) label them through :func:`label`.
The codes of the case store and their labels are declared once, in the domain vocabulary
(:mod:`lentera.vocabulary`): :func:`code_lists` reads the lists ``data/codes.yaml`` points to
there, and :func:`label` uses a vocabulary's short chart label where one is declared. Only the
analytics-only codes (yes/no, the metric groupings) are labelled in ``data/labels.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lentera import reference, vocabulary

__all__ = ["code_lists", "label", "labels"]


def _data(name: str) -> Any:
    # not warehouse.data_text: the snapshot module imports this one, the warehouse the snapshot
    return yaml.safe_load(
        resources.files("lentera.analytics").joinpath(f"data/{name}").read_text("utf-8")
    )


@cache
def labels() -> dict[str, Any]:
    """The analytics-only labels of ``data/labels.yaml``."""
    loaded: dict[str, Any] = _data("labels.yaml")
    return loaded


def code_lists() -> dict[str, tuple[str, ...]]:
    """The closed code lists of the snapshot, by list name (``data/codes.yaml``, resolved)."""
    raw = _data("codes.yaml")
    out: dict[str, tuple[str, ...]] = {}
    for name, value in raw.items():
        if isinstance(value, Mapping) and "vocabulary" in value:
            out[name] = vocabulary.vocabulary(value["vocabulary"]).codes
        elif isinstance(value, list):
            out[name] = tuple(str(x) for x in value)
    return out


def _vocabulary(kind: str) -> vocabulary.Vocabulary | None:
    try:
        return vocabulary.vocabulary(kind)
    except KeyError:
        return None


def label(kind: str, code: Any, lang: str) -> str:
    """Display label of a code of dimension ``kind`` (falls back to the code)."""
    code = str(code)
    own = labels().get(kind)
    if isinstance(own, dict) and isinstance(own.get(code), dict):
        return vocabulary.pick(own[code], "", lang=lang)
    vocab = _vocabulary(kind)
    if vocab is not None and code in vocab:
        return vocab.label(code, lang, short=True)
    if code in ("yes", "no", "unknown"):
        return vocabulary.pick(labels()[code], "", lang=lang)
    if kind in ("origin_province", "origin_regency"):
        return reference.region_name(code) or code
    if kind == "legal_step":
        # heavy: loads the law engine's data, needed only for this dimension
        from lentera.law.process import load_process_rules

        steps = load_process_rules().steps
        return str(load_process_rules().label(code, lang)) if code in steps else code
    if kind in ("destination_country", "nationality", "citizenship"):
        country = reference.countries().get(code)
        return vocabulary.pick(country, "name", lang=lang) if country else code
    return str(code)
