"""The domain vocabulary on the Django side: choice labels read from the registry per request.

The generated ``TextChoices`` of ``lentera.web.cases.choices`` and ``lentera.web.referrals.choices``
take their labels from :func:`term_label`, a lazy string like ``gettext_lazy``: it is resolved
each time it is shown, in the active language (:func:`~lentera.web.core.i18n.current_lang`).
With translations deactivated (``makemigrations`` runs so) it gives the English label, as
``gettext_lazy`` gives its English msgid, so the choices written into migrations stay the same
whatever the language.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import lazy

from lentera import vocabulary
from lentera.web.core.i18n import current_lang, pick

__all__ = ["term_label"]


def _term_label(name: str, code: str) -> str:
    lang = "en" if translation.get_language() is None else current_lang()
    return pick(vocabulary.term(name, code), lang=lang)


#: ``term_label("exploitation_type", "forced_labour")``: the lazy label of a code
term_label = lazy(_term_label, str)
