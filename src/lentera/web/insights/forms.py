from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.analytics.snapshot import AGE_BANDS
from lentera.web.cases import choices
from lentera.web.cases.forms import province_choices


class FilterForm(forms.Form):
    period_from = forms.CharField(
        label=_("From (month)"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )
    period_to = forms.CharField(
        label=_("To (month)"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )
    province = forms.ChoiceField(
        label=_("Origin province"), required=False,
        choices=lambda: [("", _("All provinces")), *province_choices()[1:]],
    )  # fmt: skip
    exploitation_type = forms.ChoiceField(
        label=_("Exploitation"), required=False,
        choices=[("", _("All types")), *choices.ExploitationType.choices],
    )  # fmt: skip
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", _("All")), *choices.Sex.choices]
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False,
        choices=[("", _("All ages"))] + [(b, _("Unknown") if b == "unknown" else b) for b in AGE_BANDS],
    )  # fmt: skip
