"""Mapping of HTCDS-aligned case-store codes to case-facts codes (data in ``data/``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "MAPPING_VERSION",
    "acts_from",
    "load_mapping",
    "means_from_methods_of_control",
    "purposes_from_exploitation",
]


@cache
def load_mapping() -> dict[str, Any]:
    text = (
        resources.files("lentera.facts").joinpath("data/case_store_mapping.yaml").read_text("utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


MAPPING_VERSION: str = load_mapping()["version"]


def _collect(table: str, codes: Iterable[str]) -> tuple[str, ...]:
    mapping = load_mapping()[table]
    out: dict[str, None] = {}
    for code in codes:
        for target in mapping.get(code, []):
            out[target] = None
    return tuple(out)


def means_from_methods_of_control(methods: Iterable[str]) -> tuple[str, ...]:
    return _collect("methods_of_control_to_means", methods)


def purposes_from_exploitation(
    types: Iterable[str], sex_types: Iterable[str] = ()
) -> tuple[str, ...]:
    types = list(types)
    sex_types = list(sex_types)
    out = dict.fromkeys(
        _collect(
            "exploitation_to_purposes",
            [t for t in types if t != "sexual_exploitation" or not sex_types],
        )
    )
    out.update(dict.fromkeys(_collect("sex_exploitation_to_purposes", sex_types)))
    return tuple(out)


def acts_from(
    *, perpetrator_roles: Iterable[str] = (), event_stages: Iterable[str] = ()
) -> tuple[str, ...]:
    out = dict.fromkeys(_collect("perpetrator_roles_to_acts", perpetrator_roles))
    out.update(dict.fromkeys(_collect("event_stage_to_acts", event_stages)))
    return tuple(out)
