"""The Django choices are the registry's: same classes, members, codes and id/en labels."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.db import models
from django.utils import translation

from lentera.vocabulary import LANGS, vocabularies
from lentera.web.cases import choices as case_choices
from lentera.web.core.i18n import LOCALE_DIR
from lentera.web.referrals import choices as referral_choices

MODULES = {"cases": case_choices, "referrals": referral_choices}
GENERATED = [v for v in vocabularies().values() if v.class_name]


def _own_choices(module):
    return {
        name
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and issubclass(cls, models.TextChoices)
        and cls.__module__ == module.__name__
        and name == cls.__name__  # not a short alias such as ``_S = ReferralStatus``
    }


def test_every_choices_class_of_the_web_apps_is_in_the_registry():
    for source, module in MODULES.items():
        declared = {v.class_name for v in GENERATED if v.source == source}
        assert _own_choices(module) == declared, source


@pytest.mark.parametrize("vocab", GENERATED, ids=lambda v: v.name)
def test_members_and_codes_are_the_registry(vocab):
    cls = getattr(MODULES[vocab.source], vocab.class_name)
    assert tuple(cls.values) == vocab.codes
    assert [m.name for m in cls] == [t.member for t in vocab.terms]


@pytest.mark.parametrize("vocab", GENERATED, ids=lambda v: v.name)
@pytest.mark.parametrize("lang", LANGS)
def test_choice_labels_are_the_registry_labels_in_the_active_language(vocab, lang):
    cls = getattr(MODULES[vocab.source], vocab.class_name)
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
