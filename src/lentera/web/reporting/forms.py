"""Forms of the report builder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.reporting.models import ReportFormat, ReportLanguage


class BuildForm(forms.Form):
    template = forms.ChoiceField(label=_("Report template"))
    period = forms.ChoiceField(label=_("Period"), required=False)
    period_other = forms.CharField(
        label=_("Or another period"),
        required=False,
        max_length=32,
        help_text=_("E.g. 2026-Q3, 2026-S1, 2026-07, 2026 or 2026-01..2026-06."),
    )
    lang = forms.ChoiceField(
        label=_("Language"), choices=ReportLanguage.choices, widget=forms.RadioSelect
    )
    fmt = forms.ChoiceField(
        label=_("Format"), choices=ReportFormat.choices, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args: Any,
        templates: list[tuple[str, str]],
        periods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates
        self.fields["period"].choices = [("", "—"), *periods]

    def chosen_period(self) -> str:
        return (self.cleaned_data.get("period_other") or "").strip() or self.cleaned_data.get(
            "period", ""
        )


class TemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the template (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "mono"}),
    )
    upload = forms.FileField(label=_("Or choose a file (.yaml)"), required=False)
