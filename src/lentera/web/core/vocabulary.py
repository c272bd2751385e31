"""The domain vocabulary on the Django side: the choices classes, built from the registry.

Every closed list a model stores is declared once, in ``lentera/vocabulary/data/*.yaml``, with
its codes and its Indonesian and English labels. A web app's ``choices.py`` (or ``models.py``)
binds the Django class of each list it uses with one call, ``Sex = text_choices("sex")``: the
class is built at import time, one member per code (the upper-cased code, or the term's
``member``), named as the vocabulary's ``class`` and with its ``doc``.

Labels are lazy (:func:`term_label`), like ``gettext_lazy``: read from the registry each time
they are shown, in the active language (:func:`~lentera.web.core.i18n.current_lang`). With
translations deactivated (``makemigrations`` runs so) they give the English label, as
``gettext_lazy`` gives its English msgid, so the choices written into migrations stay the same
whatever the language.
"""

from __future__ import annotations

import sys

from django.db import models
from django.utils import translation
from django.utils.functional import lazy

from lentera import vocabulary
from lentera.web.core.i18n import current_lang, pick

__all__ = ["CHOICES", "term_label", "text_choices"]

#: every Django choices class built so far, by vocabulary name (tests check the registry's
#: classes are all bound, each once)
CHOICES: dict[str, type[models.TextChoices]] = {}


def _term_label(name: str, code: str) -> str:
    lang = "en" if translation.get_language() is None else current_lang()
    return pick(vocabulary.term(name, code), lang=lang)


#: ``term_label("exploitation_type", "forced_labour")``: the lazy label of a code
term_label = lazy(_term_label, str)


def text_choices(name: str) -> type[models.TextChoices]:
    """The ``TextChoices`` class of vocabulary ``name``, belonging to the calling module."""
    v = vocabulary.vocabulary(name)
    if not v.class_name:
        raise ValueError(f"vocabulary {name} declares no class")
    # as Enum's own functional API does: the class belongs to the module that builds it
    module = sys._getframe(1).f_globals["__name__"]
    members = [(t.member, (t.code, term_label(v.name, t.code))) for t in v.terms]
    cls = models.TextChoices(v.class_name, members, module=module, qualname=v.class_name)
    cls.__doc__ = v.doc or None
    CHOICES[v.name] = cls
    return cls
