"""The domain vocabulary: every code Lentera stores or reports, declared once, with its labels.

A *vocabulary* is a closed list of codes (``exploitation_type``: ``forced_labour``,
``sexual_exploitation`` …); each code (a :class:`Term`) carries its Bahasa Indonesia and English
label, optionally a shorter label for charts and report tables (``short_id``/``short_en``), the
Django member name when it is not the upper-cased code, and its HTCDS value where one exists.
The data lives in ``data/*.yaml``, one file per area:

- ``cases.yaml`` and ``referrals.yaml`` — the case store's and the referral directory's choices;
  ``programmes.yaml`` — the contact log, prevention outreach and reintegration;
  ``platform.yaml`` — organisations and roles, the audit log, jobs, imports and releases.
  A vocabulary that names a ``class`` is a Django choices class: the web app that stores it
  builds the class from here at import time (``lentera.web.core.vocabulary.text_choices``),
  with a member per code, and its labels are read from here per request.
- ``analytics.yaml`` — code lists of the analytics snapshot that are no Django choice (age bands,
  screening lists and outcomes).

Everything else derives from this registry: the analytics code lists and labels
(:mod:`lentera.analytics.labels`), the import vocabulary (``lentera.web.imports.spec``) and the
report labels. Bilingual *texts* of the rendered documents (headings, method notes) are not
codes; they live next to the engine that renders them and are read through :func:`texts`, which
checks that every entry has both languages.

This package is an engine: it never imports Django (import-linter enforces it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "LANGS",
    "SOURCES",
    "Term",
    "Vocabulary",
    "VocabularyError",
    "label",
    "pick",
    "term",
    "texts",
    "vocabularies",
    "vocabulary",
]

#: the languages of every label, default first
LANGS = ("id", "en")
#: the data files of the registry (``data/<name>.yaml``), in load order
SOURCES = ("cases", "referrals", "analytics", "programmes", "platform")

_TERM_KEYS = frozenset({"id", "en", "short_id", "short_en", "member", "htcds", "comment"})
_VOCABULARY_KEYS = frozenset({"class", "doc", "aliases", "terms"})


class VocabularyError(ValueError):
    """A data file of the registry is malformed (a missing language, an unknown key …)."""


@dataclass(frozen=True)
class Term:
    """One code of a vocabulary and its labels."""

    code: str
    label_id: str
    label_en: str
    #: shorter labels for charts and report tables ("" = same as the label)
    short_id: str = ""
    short_en: str = ""
    #: the Django ``TextChoices`` member name
    member: str = ""
    #: the HTCDS v2.0 value this code maps to ("" where HTCDS has none)
    htcds: str = ""
    #: a remark for readers of the data file
    comment: str = ""

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``"id"`` or ``"en"``)."""
        return self.label_en if lang == "en" else self.label_id

    def short(self, lang: str) -> str:
        """The chart/report label in ``lang``: the short one where declared, else the label."""
        return (self.short_en if lang == "en" else self.short_id) or self.label(lang)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of codes, in their display order."""

    name: str
    terms: tuple[Term, ...]
    #: the data file it comes from (one of :data:`SOURCES`)
    source: str
    #: the name of the Django ``TextChoices`` class built from it ("" = none)
    class_name: str = ""
    doc: str = ""
    #: other names the engines use for it (the analytics dimension ``means_of_control`` …)
    aliases: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise KeyError(f"{self.name}: no code {code!r}")

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)

    def label(self, code: str, lang: str, *, short: bool = False) -> str:
        t = self.term(code)
        return t.short(lang) if short else t.label(lang)


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VocabularyError(f"{where}: expected a non-empty text, got {value!r}")
    return value


def _term(where: str, code: Any, raw: Any) -> Term:
    if not isinstance(code, str):  # YAML 1.1 reads a bare no/yes/on as a boolean
        raise VocabularyError(f"{where}: code {code!r} must be a string (quote it)")
    if not isinstance(raw, Mapping):
        raise VocabularyError(f"{where}.{code}: expected a mapping")
    unknown = set(raw) - _TERM_KEYS
    if unknown:
        raise VocabularyError(f"{where}.{code}: unknown keys {sorted(unknown)}")
    return Term(
        code=code,
        label_id=_text(f"{where}.{code}.id", raw.get("id")),
        label_en=_text(f"{where}.{code}.en", raw.get("en")),
        short_id=str(raw.get("short_id", "")),
        short_en=str(raw.get("short_en", "")),
        member=str(raw.get("member") or code.upper()),
        htcds=str(raw.get("htcds", "")),
        comment=str(raw.get("comment", "")),
    )


def _vocabulary(source: str, name: str, raw: Any) -> Vocabulary:
    where = f"{source}.yaml:{name}"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("terms"), Mapping):
        raise VocabularyError(f"{where}: expected a mapping with terms")
    unknown = set(raw) - _VOCABULARY_KEYS
    if unknown:
        raise VocabularyError(f"{where}: unknown keys {sorted(unknown)}")
    terms = tuple(_term(where, code, t) for code, t in raw["terms"].items())
    if raw.get("class"):
        members = [t.member for t in terms]
        if len(set(members)) != len(members):
            raise VocabularyError(f"{where}: a member name is used twice")
        bad = [m for m in members if not (m.isidentifier() and m.isupper())]
        if bad:
            raise VocabularyError(f"{where}: members {bad} are not UPPER_CASE names")
    return Vocabulary(
        name=name,
        terms=terms,
        source=source,
        class_name=str(raw.get("class", "")),
        doc=str(raw.get("doc", "")),
        aliases=tuple(raw.get("aliases", ())),
    )


def _data(name: str) -> Any:
    text = resources.files("lentera.vocabulary").joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def vocabularies() -> Mapping[str, Vocabulary]:
    """Every vocabulary of the registry, by name (aliases are resolved by :func:`vocabulary`)."""
    out: dict[str, Vocabulary] = {}
    for source in SOURCES:
        for name, raw in _data(source).items():
            if name in out:
                raise VocabularyError(f"{source}.yaml: vocabulary {name} is declared twice")
            out[name] = _vocabulary(source, name, raw)
    return out


@cache
def _aliases() -> Mapping[str, str]:
    out: dict[str, str] = {}
    for v in vocabularies().values():
        for alias in v.aliases:
            if alias in vocabularies() or alias in out:
                raise VocabularyError(f"alias {alias} of {v.name} is already a name")
            out[alias] = v.name
    return out


def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called ``name`` or by the alias ``name``; ``KeyError`` when none is."""
    return vocabularies()[_aliases().get(name, name)]


def term(name: str, code: str) -> Term:
    return vocabulary(name).term(code)


def label(name: str, code: str, lang: str, *, short: bool = False) -> str:
    """The label of ``code`` in vocabulary ``name`` (``short``: the chart/report label)."""
    return vocabulary(name).label(code, lang, short=short)


def pick(obj: Any, field: str = "label", *, lang: str, fallback: str | None = None) -> str:
    """The ``lang`` variant of a bilingual ``field`` of ``obj``, for engines (no Django).

    ``obj`` is a mapping or an object, looked up as ``{field}_{lang}`` (``name_id``), then as
    ``obj[field][lang]``, then as ``obj[lang]`` when ``field`` is empty (``{"id": …, "en": …}``).
    A missing variant falls back to the ``fallback`` field in the same language, then to the
    other language, then to ``""``. ``lentera.web.core.i18n.pick`` is the same with the request's
    language as the default.
    """
    fields = (field, fallback) if fallback else (field,)
    for code in (lang, *(c for c in LANGS if c != lang)):
        for name in fields:
            value = _variant(obj, name, code)
            if value:
                return str(value)
    return ""


def _variant(obj: Any, field: str, code: str) -> Any:
    def get(name: str) -> Any:
        return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)

    if not field:
        return get(code)
    flat = get(f"{field}_{code}")
    if flat:
        return flat
    nested = get(field)
    return nested.get(code) if isinstance(nested, Mapping) else None


def texts(package: str, resource: str) -> dict[str, Any]:
    """Bilingual texts (``key: {id: …, en: …}``) from a data file of ``package``.

    A node whose keys are exactly the languages is an entry; any other mapping is a table of
    nodes (so a file may group its texts: ``labels:``, ``change:`` …). The value of each language
    is a text or a list of texts (paragraphs). Raises :class:`VocabularyError` when an entry lacks
    a language or the two languages differ in shape, so a half-translated document cannot ship.
    """
    raw = yaml.safe_load(resources.files(package).joinpath(resource).read_text("utf-8"))
    return _texts(f"{package}/{resource}", raw)


def _texts(where: str, node: Any) -> dict[str, Any]:
    if not isinstance(node, Mapping) or not node:
        raise VocabularyError(f"{where}: expected a mapping of texts")
    if set(node) == set(LANGS):
        _entry(where, node)
        return dict(node)
    if set(node) & set(LANGS):
        raise VocabularyError(f"{where}: expected exactly the languages {LANGS}")
    return {str(key): _texts(f"{where}:{key}", value) for key, value in node.items()}


def _entry(where: str, entry: Mapping[str, Any]) -> None:
    shapes = {type(entry[lang]) for lang in LANGS}
    if len(shapes) != 1 or shapes - {str, list}:
        raise VocabularyError(f"{where}: each language must be a text or a list of texts")
    if isinstance(entry[LANGS[0]], list):
        if len({len(entry[lang]) for lang in LANGS}) != 1:
            raise VocabularyError(f"{where}: the languages have different numbers of texts")
        for lang in LANGS:
            for i, text in enumerate(entry[lang]):
                _text(f"{where}.{lang}[{i}]", text)
    else:
        for lang in LANGS:
            _text(f"{where}.{lang}", entry[lang])
