"""The intake fields and the per-format column maps, loaded from ``data/`` and checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "FIELD_TYPES",
    "FORMATS",
    "FieldDef",
    "FormatDef",
    "Vocabulary",
    "fields",
    "fields_version",
    "formats",
    "groups",
]

#: vocabulary name → code → {"id": label, "en": label}; passed in by the caller
Vocabulary = Mapping[str, Mapping[str, Mapping[str, str]]]

FIELD_TYPES = frozenset(
    {
        "text",
        "long_text",
        "date",
        "integer",
        "yes_no",
        "select_one",
        "select_multiple",
        "nik",
        "phone",
        "country",
        "province",
        "regency",
        "region",
    }
)
FORMATS = ("kobo", "htcds", "lentera")
_ENTITIES = ("person", "survivor", "case", "perpetrator", "event", "consent", "meta", "note")


@dataclass(frozen=True)
class FieldDef:
    """One intake question / template column."""

    name: str
    group: str
    target: str
    type: str
    label_id: str
    label_en: str
    hint_id: str = ""
    hint_en: str = ""
    vocab: str = ""
    required: bool = False
    max_length: int = 2000
    min: int | None = None
    max: int | None = None
    relevant: str = ""
    form: bool = True

    @property
    def entity(self) -> str:
        return self.target.split(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.target.rsplit(".", 1)[1]


@dataclass(frozen=True)
class FormatDef:
    """How one import format's headers map to intake fields."""

    name: str
    label_id: str
    label_en: str
    columns: Mapping[str, str]
    required: tuple[str, ...]
    unknown_columns: str
    uuid_columns: tuple[str, ...] = ()
    submitted_columns: tuple[str, ...] = ()
    ignore_columns: frozenset[str] = frozenset()
    compose: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    value_patterns: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _load(name: str) -> Any:
    text = resources.files("lentera.intake").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def _fields_file() -> dict[str, Any]:
    data: dict[str, Any] = _load("fields.yaml")
    return data


def fields_version() -> str:
    data = _fields_file()
    return f"{data['id']}/{data['version']}"


@cache
def groups() -> tuple[tuple[str, str, str], ...]:
    """(name, label id, label en) of the form's groups, in order."""
    return tuple((g["name"], g["label"]["id"], g["label"]["en"]) for g in _fields_file()["groups"])


@cache
def fields() -> tuple[FieldDef, ...]:
    """Every intake field, in form order; raises ValueError on a malformed data file."""
    group_names = {g[0] for g in groups()}
    out: list[FieldDef] = []
    for i, raw in enumerate(_fields_file()["fields"]):
        where = f"fields.yaml: fields[{i}] ({raw.get('name')})"
        f = FieldDef(
            name=raw["name"],
            group=raw["group"],
            target=raw["target"],
            type=raw["type"],
            label_id=raw["label"]["id"],
            label_en=raw["label"]["en"],
            hint_id=(raw.get("hint") or {}).get("id", ""),
            hint_en=(raw.get("hint") or {}).get("en", ""),
            vocab=raw.get("vocab", ""),
            required=bool(raw.get("required", False)),
            max_length=int(raw.get("max_length", 2000)),
            min=raw.get("min"),
            max=raw.get("max"),
            relevant=raw.get("relevant", ""),
            form=bool(raw.get("form", True)),
        )
        if f.type not in FIELD_TYPES:
            raise ValueError(f"{where}: unknown type {f.type!r}")
        if f.group not in group_names:
            raise ValueError(f"{where}: unknown group {f.group!r}")
        if f.entity not in _ENTITIES:
            raise ValueError(f"{where}: unknown target {f.target!r}")
        if f.type in {"select_one", "select_multiple"} and not f.vocab:
            raise ValueError(f"{where}: a select needs a vocab")
        out.append(f)
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise ValueError("fields.yaml: duplicate field names")
    return tuple(out)


@cache
def formats() -> Mapping[str, FormatDef]:
    """The import formats by name."""
    data = _load("formats.yaml")["formats"]
    known = {f.name for f in fields()}
    out: dict[str, FormatDef] = {}
    for name in FORMATS:
        raw = data[name]
        columns_spec = raw["columns"]
        if columns_spec == "all_fields":
            columns = {f.name: f.name for f in fields()}
        elif columns_spec == "form_fields":
            columns = {f.name: f.name for f in fields() if f.form}
        else:
            columns = {str(k).lower(): v for k, v in columns_spec.items()}
        compose = {k: tuple(v) for k, v in (raw.get("compose") or {}).items()}
        for target in [*columns.values(), *compose, *raw.get("required", [])]:
            if target not in known:
                raise ValueError(f"formats.yaml: {name}: unknown field {target!r}")
        out[name] = FormatDef(
            name=name,
            label_id=raw["label"]["id"],
            label_en=raw["label"]["en"],
            columns=columns,
            required=tuple(raw.get("required", [])),
            unknown_columns=raw.get("unknown_columns", "error"),
            uuid_columns=tuple(raw.get("uuid_columns", [])),
            submitted_columns=tuple(raw.get("submitted_columns", [])),
            ignore_columns=frozenset(raw.get("ignore_columns", [])),
            compose=compose,
            value_patterns=dict(raw.get("value_patterns") or {}),
            aliases={
                k: {str(a): str(c) for a, c in v.items()}
                for k, v in (raw.get("aliases") or {}).items()
            },
        )
    return out
