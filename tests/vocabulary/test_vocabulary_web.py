"""The Django choices are the registry's: same classes, members, codes and id/en labels."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.db import models
from django.utils import translation

from lentera.vocabulary import LANGS, vocabularies
from lentera.web.cases import choices as case_choices
from lentera.web.core.i18n import LOCALE_DIR
from lentera.web.core.vocabulary import CHOICES
from lentera.web.referrals import choices as referral_choices

#: the modules that declare the web apps' choices classes
MODULES = [
    f"lentera.web.{module}"
    for module in (
        "cases.choices",
        "referrals.choices",
        "contacts.choices",
        "outreach.choices",
        "reintegration.choices",
        "accounts.models",
        "audit.models",
        "jobs.models",
        "imports.models",
        "releases.models",
    )
]
BUILT = [v for v in vocabularies().values() if v.class_name]


def _own_choices(module):
    return {
        cls
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and issubclass(cls, models.TextChoices)
        and cls.__module__ == module.__name__
        and name == cls.__name__  # not a short alias such as ``_S = ReferralStatus``
    }


def test_every_choices_class_of_the_web_apps_is_built_from_the_registry():
    own = set().union(*(_own_choices(importlib.import_module(m)) for m in MODULES))
    assert own == set(CHOICES.values())
    assert set(CHOICES) == {v.name for v in BUILT}


@pytest.mark.parametrize("vocab", BUILT, ids=lambda v: v.name)
def test_members_and_codes_are_the_registry(vocab):
    cls = CHOICES[vocab.name]
    assert cls.__name__ == vocab.class_name
    assert getattr(importlib.import_module(cls.__module__), vocab.class_name) is cls
    assert tuple(cls.values) == vocab.codes
    assert [m.name for m in cls] == [t.member for t in vocab.terms]


@pytest.mark.parametrize("vocab", BUILT, ids=lambda v: v.name)
@pytest.mark.parametrize("lang", LANGS)
def test_choice_labels_are_the_registry_labels_in_the_active_language(vocab, lang):
    cls = CHOICES[vocab.name]
    with translation.override(lang):
        assert [str(label) for _, label in cls.choices] == [t.label(lang) for t in vocab.terms]


def test_labels_are_english_with_translations_deactivated():
    """makemigrations runs so: the choices written into migrations must not depend on a language."""
    with translation.override("id"):
        translation.deactivate_all()
        assert str(case_choices.ExploitationType.FORCED_LABOUR.label) == "Forced labour"
        assert str(referral_choices.ServiceType.SHELTER.label) == "Shelter / safe house"


def _catalogue(lang):
    with (Path(LOCALE_DIR) / lang / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str)}


def test_gettext_and_the_registry_never_translate_the_same_text_differently():
    """Where a registry label is also a gettext msgid (``{% trans "Other" %}``), both agree."""
    catalogue = _catalogue("id")
    disagree = [
        (v.name, t.code, t.label_en, catalogue[t.label_en], t.label_id)
        for v in vocabularies().values()
        for t in v.terms
        if catalogue.get(t.label_en) and catalogue[t.label_en] != t.label_id
    ]
    assert not disagree
