"""The intake vocabulary: the case store's code lists with their labels in id and en.

The intake engine (:mod:`lentera.intake`) is Django-free; it receives this plain dict, read from
the domain vocabulary (:mod:`lentera.vocabulary`) from which the case store's choices are
generated, so its codes and labels never drift from the case store.
"""

from __future__ import annotations

from functools import cache

from lentera.vocabulary import LANGS, vocabulary

__all__ = ["VOCABULARIES", "build_vocabulary"]

#: the vocabularies an import file may use (names of lentera.vocabulary = intake names)
VOCABULARIES: tuple[str, ...] = (
    "case_status",
    "sex",
    "gender",
    "education",
    "marital_status",
    "trafficking_status",
    "exploitation_type",
    "sex_exploitation_type",
    "sector",
    "recruitment_method",
    "recruitment_app",
    "method_of_control",
    "perpetrator_kind",
    "perpetrator_role",
    "relationship",
    "event_stage",
)


@cache
def build_vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    """Vocabulary name → code → {"id": label, "en": label}."""
    return {
        name: {t.code: {lang: t.label(lang) for lang in LANGS} for t in vocabulary(name).terms}
        for name in VOCABULARIES
    }
