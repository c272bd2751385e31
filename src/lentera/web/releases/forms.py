from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.disclosure import DIMENSIONS
from lentera.web.releases.models import ReleaseKind

DIMENSION_LABELS = {
    "sex": _("sex"),
    "age_band": _("age band"),
    "year": _("year"),
    "origin_province": _("province of origin"),
    "island_group": _("island group of origin"),
    "destination_country": _("country of destination"),
    "destination_region": _("region of destination"),
    "trafficking_status": _("trafficking status"),
    "sector": _("sector"),
    "is_child": _("child or adult"),
    "is_migrant_worker": _("migrant worker"),
}


#: the count table's dimensions, by their translated names (the form and ``|labels:"dimension"``)
DIMENSION_CHOICES = [(d, DIMENSION_LABELS.get(d, d.replace("_", " "))) for d in DIMENSIONS]


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Layout"), choices=ReleaseKind.choices)
    purpose = forms.CharField(
        label=_("Recipient and purpose"), max_length=300,
        help_text=_("E.g. “CTDC global dataset” or “Gugus Tugas TPPO Kabupaten, annual report”."),
    )  # fmt: skip
    k = forms.IntegerField(
        label=_("k (CTDC layouts)"), required=False, min_value=2, max_value=100, initial=11,
        widget=forms.NumberInput(attrs={"data-when": "kind", "data-when-not-in": "dp"}),
        help_text=_("Every combination of age band, sex, year, citizenship and destination describes at least k people; CTDC uses 11."),
    )  # fmt: skip
    epsilon = forms.FloatField(
        label=_("ε (count table)"), required=False, min_value=0.01, max_value=10, initial=0.5,
        widget=forms.NumberInput(attrs={"data-when": "kind", "data-when-in": "dp", "step": "any"}),
        help_text=_("Smaller ε: more noise, more privacy. It is subtracted from your organisation's budget."),
    )  # fmt: skip
    dimensions = forms.MultipleChoiceField(
        label=_("Count by (count table)"), required=False,
        choices=DIMENSION_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"data-when": "kind", "data-when-in": "dp"}),
    )  # fmt: skip


class BudgetForm(forms.Form):
    total = forms.FloatField(label=_("Total ε budget"), min_value=0.01, max_value=100)
