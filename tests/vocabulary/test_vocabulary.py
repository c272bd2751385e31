"""The domain vocabulary registry and everything derived from it stay in step (no Django here)."""

from __future__ import annotations

from importlib import resources
from typing import get_args

import pytest
import yaml

from lentera import vocabulary
from lentera.analytics import labels as analytics_labels
from lentera.analytics.snapshot import AGE_BANDS, codes
from lentera.facts.vocab import INDICATOR_LISTS
from lentera.screening.models import Outcome
from lentera.vocabulary import LANGS, VocabularyError, texts, vocabularies
from lentera.web.imports.spec import VOCABULARIES as IMPORT_VOCABULARIES
from lentera.web.imports.spec import build_vocabulary

ALL_TERMS = [(v.name, t) for v in vocabularies().values() for t in v.terms]


@pytest.mark.parametrize(("name", "term"), ALL_TERMS, ids=lambda x: getattr(x, "code", x))
def test_every_code_has_an_indonesian_and_an_english_label(name, term):
    for lang in LANGS:
        assert term.label(lang).strip(), f"{name}.{term.code}: no {lang} label"
        assert term.short(lang).strip()
        assert term.label(lang) == term.label(lang).strip()


def test_codes_are_unique_and_well_formed():
    for v in vocabularies().values():
        assert len(set(v.codes)) == len(v.codes), v.name
        assert all(isinstance(c, str) and c and " " not in c for c in v.codes), v.name


@pytest.mark.parametrize(
    ("terms", "error"),
    [
        ({"a": {"id": "A"}}, "a.en"),  # a language missing
        ({"a": {"id": "A", "en": ""}}, "a.en"),  # an empty label
        ({"a": {"id": "A", "en": "A", "kehutanan": None}}, "unknown keys"),  # an unquoted comma
        ({False: {"id": "Tidak", "en": "No"}}, "must be a string"),  # a bare no
    ],
)
def test_the_loader_refuses_a_malformed_vocabulary(terms, error):
    with pytest.raises(VocabularyError, match=error):
        vocabulary._vocabulary("test", "x", {"terms": terms})


def test_the_loader_refuses_a_bad_member_name():
    raw = {"class": "X", "terms": {"a-b": {"id": "A", "en": "A"}}}
    with pytest.raises(VocabularyError, match="UPPER_CASE"):
        vocabulary._vocabulary("test", "x", raw)


def test_aliases_resolve_and_do_not_shadow_names():
    assert vocabulary.vocabulary("means_of_control").name == "method_of_control"
    assert vocabulary.vocabulary("provider_type").name == "institution_type"
    with pytest.raises(KeyError):
        vocabulary.vocabulary("no_such_vocabulary")


# --- analytics ---------------------------------------------------------------------------------


def _codes_yaml():
    return yaml.safe_load((resources.files("lentera.analytics") / "data/codes.yaml").read_text())


def test_analytics_code_lists_are_read_from_the_registry():
    raw = _codes_yaml()
    from_registry = {k: v["vocabulary"] for k, v in raw.items() if isinstance(v, dict)}
    assert len(from_registry) >= 12
    for name, vocab in from_registry.items():
        assert codes()[name] == vocabulary.vocabulary(vocab).codes, name


def test_analytics_only_lists_stay_within_their_vocabulary():
    status = set(vocabulary.vocabulary("referral_status").codes)
    assert set(codes()["referral_status"]) == status
    for subset in ("referral_open_status", "referral_accepted_status", "referral_decided_status"):
        assert set(codes()[subset]) <= status, subset


def test_registry_lists_owned_by_engines_match_the_engines():
    assert vocabulary.vocabulary("screening_list").codes == tuple(INDICATOR_LISTS)
    assert vocabulary.vocabulary("screening_outcome").codes == get_args(Outcome)
    assert vocabulary.vocabulary("age_band").codes == AGE_BANDS


@pytest.mark.parametrize("lang", LANGS)
def test_analytics_labels_are_the_registry_labels(lang):
    for v in vocabularies().values():
        for name in (v.name, *v.aliases):
            for t in v.terms:
                assert analytics_labels.label(name, t.code, lang) == t.short(lang), (name, t.code)


def test_analytics_labels_file_holds_no_registry_vocabulary():
    """A code list is labelled in one place: labels.yaml keeps only analytics-only codes."""
    names = set(vocabularies())
    names |= {a for v in vocabularies().values() for a in v.aliases}
    own = set(analytics_labels.labels())
    assert not own & names, f"labelled in labels.yaml and in the registry: {own & names}"
    for key, entry in analytics_labels.labels().items():
        entries = [entry] if set(entry) == set(LANGS) else list(entry.values())
        for e in entries:
            assert set(e) == set(LANGS) and all(e[lang] for lang in LANGS), key


# --- import spec and report texts --------------------------------------------------------------


def test_the_import_vocabulary_is_the_registry():
    built = build_vocabulary()
    assert set(built) == set(IMPORT_VOCABULARIES)
    for name, entries in built.items():
        v = vocabulary.vocabulary(name)
        assert list(entries) == list(v.codes)
        for code, pair in entries.items():
            assert pair == {lang: v.term(code).label(lang) for lang in LANGS}


@pytest.mark.parametrize(
    ("package", "resource", "sections"),
    [
        (
            "lentera.analytics",
            "data/report_text.yaml",
            {"labels", "methods", "notes", "method_line", "caveats", "families", "reintegration"},
        ),
        ("lentera.reports", "data/text.yaml", {"labels", "change", "methods", "provenance_rows"}),
    ],
)
def test_report_texts_are_bilingual(package, resource, sections):
    loaded = texts(package, resource)
    assert set(loaded) == sections
    assert len(loaded["methods"]["id"]) == len(loaded["methods"]["en"]) > 0


def test_texts_refuse_a_missing_language():
    with pytest.raises(VocabularyError, match="languages"):
        vocabulary._texts("t", {"title": {"id": "Judul"}, "other": {"id": "a", "en": "b"}})
    with pytest.raises(VocabularyError, match="numbers of texts"):
        vocabulary._texts("t", {"m": {"id": ["a", "b"], "en": ["a"]}})


def test_engine_pick():
    assert vocabulary.pick({"id": "Ya", "en": "Yes"}, "", lang="en") == "Yes"
    assert vocabulary.pick({"label_id": "Ya"}, lang="en") == "Ya"  # falls back to the other
    assert vocabulary.pick(vocabulary.term("sex", "male"), lang="id") == "Laki-laki"
    help_only_id = {"help_id": "Bantuan", "label_en": "Label"}
    assert vocabulary.pick(help_only_id, "help", lang="en", fallback="label") == "Label"
