"""Forms of prevention outreach."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.forms import province_choices
from lentera.web.contacts.forms import region_pickers
from lentera.web.core.forms import DraftRestoreMixin
from lentera.web.outreach import choices
from lentera.web.outreach.models import OutreachActivity


class ActivityForm(DraftRestoreMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topics = forms.MultipleChoiceField(
        label=_("topics"),
        choices=choices.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = OutreachActivity
        fields = (
            "kind", "date", "province", "regency", "village", "partners", "topics", "materials",
            *choices.ATTENDANCE_FIELDS,
        )  # fmt: skip
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_pickers(self, "province", "regency", self.instance.province)
        self.fields["province"].required = True
        for name in choices.ATTENDANCE_FIELDS:
            self.fields[name].required = False
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        """Validation is the service's (``run_service`` puts its errors on the fields)."""

    def place_fields(self) -> list[Any]:
        return [self[n] for n in ("kind", "date", "province", "regency", "village")]

    def about_fields(self) -> list[Any]:
        return [self[n] for n in ("partners", "topics", "materials")]

    def attendance_rows(self) -> list[tuple[Any, list[Any]]]:
        return [
            (label, [self[f"{sex}_{band}"] for band, _b in choices.AGE_BANDS])
            for sex, label in choices.SEXES
        ]


class ActivityFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), required=False, coerce=int, empty_value=None)
    province = forms.ChoiceField(label=_("province"), required=False)
    kind = forms.ChoiceField(
        label=_("type of activity"),
        required=False,
        choices=[("", _("All")), *choices.ActivityKind.choices],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
        self.fields["province"].choices = [("", _("All provinces")), *province_choices()[1:]]
