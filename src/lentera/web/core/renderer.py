"""The form renderer: every select's empty choice reads "— pilih —" ("— choose —").

Django writes the empty choice of a select as "---------" (``BLANK_CHOICE_DASH`` and
``ModelChoiceField.empty_label``), untranslated and meaningless to a paralegal. Rather than
setting an empty label on each of the apps' select fields, the renderer every form uses
(``FORM_RENDERER``) relabels that one option when a select is drawn, so a new form cannot
bring the dashes back. Selects with their own empty answer ("Tidak diketahui") keep it.
"""

from __future__ import annotations

from typing import Any

from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _

DASHES = BLANK_CHOICE_DASH[0][1]


def empty_label() -> str:
    """The translated label of a select's empty choice."""
    return _("— choose —")


class Renderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "optgroups" in widget:
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if option.get("value") in ("", None) and option.get("label") == DASHES:
                        option["label"] = empty_label()
        return super().render(template_name, context, request)
