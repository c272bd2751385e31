"""Forms of the import pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.imports.models import ImportFormat, ImportMode


class ImportFileForm(forms.Form):
    file = forms.FileField(label=_("File (.csv, .xlsx or .json)"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices, initial="lentera")
    mode = forms.ChoiceField(label=_("What to do"), choices=ImportMode.choices, initial="check")


class KoboImportForm(forms.Form):
    server_url = forms.URLField(
        label=_("KoboToolbox server"),
        initial="https://kf.kobotoolbox.org",
        max_length=200,
        assume_scheme="https",
    )
    asset_uid = forms.RegexField(
        label=_("Form (asset) ID"),
        regex=r"^[A-Za-z0-9]{4,64}$",
        max_length=64,
        help_text=_("The letters and digits after /forms/ in the form's address."),
    )
    token = forms.CharField(
        label=_("API token"),
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
        help_text=_("Used once for this request and never stored."),
    )
    mode = forms.ChoiceField(label=_("What to do"), choices=ImportMode.choices, initial="check")
