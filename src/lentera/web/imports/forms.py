"""Forms of the import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.core.kobo import KoboSourceForm
from lentera.web.imports.models import ImportFormat, ImportMode


class ImportFileForm(forms.Form):
    file = forms.FileField(label=_("File (.csv, .xlsx or .json)"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices, initial="lentera")
    mode = forms.ChoiceField(label=_("What to do"), choices=ImportMode.choices, initial="check")


class KoboImportForm(KoboSourceForm):
    mode = forms.ChoiceField(label=_("What to do"), choices=ImportMode.choices, initial="check")
