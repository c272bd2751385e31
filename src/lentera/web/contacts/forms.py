"""Forms of the contact log: a quick entry with few required fields, filters, closing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.forms import country_choices, province_choices, regency_choices
from lentera.web.contacts import choices
from lentera.web.contacts.models import Contact
from lentera.web.core.forms import DraftRestoreMixin
from lentera.web.core.i18n import current_lang

#: shown at once on a phone; the rest sit under "More details"
QUICK_FIELDS = (
    "channel",
    "reporter",
    "concern",
    "province",
    "regency",
    "risk",
    "urgency",
    "follow_up_due",
)
MORE_FIELDS = (
    "received_on",
    "concern_category",
    "caller_name",
    "caller_phone",
    "notes",
)
MISSING_FIELDS = (
    "missing_person",
    "destination_country",
    "employer_agency",
    "last_heard_on",
    "reminder_days",
)


def region_pickers(form: forms.Form, province_field: str, regency_field: str, initial: str) -> None:
    """Province and regency selects like the case form's (the regency list follows the province)."""
    form.fields[province_field] = forms.ChoiceField(
        label=_("province"), choices=province_choices(), required=False
    )
    province = form.data.get(form.add_prefix(province_field)) if form.is_bound else initial
    form.fields[regency_field] = forms.ChoiceField(
        label=_("regency/city"), choices=regency_choices(province), required=False
    )
    form.fields[regency_field].widget.attrs["data-search"] = "1"
    form.fields[province_field].widget.attrs.update(
        {
            "hx-get": "/cases/regencies/",
            "hx-target": "#" + form[regency_field].auto_id,
            "hx-trigger": "change",
            "hx-swap": "innerHTML",
            "hx-include": "this",
        }
    )


class ContactForm(DraftRestoreMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contact
        fields = (*QUICK_FIELDS, *MORE_FIELDS, *MISSING_FIELDS)
        widgets = {
            "concern": forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "employer_agency": forms.Textarea(attrs={"rows": 2}),
            "caller_name": forms.TextInput(),
            "caller_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}),
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "last_heard_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_pickers(self, "province", "regency", self.instance.province)
        self.fields["destination_country"] = forms.ChoiceField(
            label=_("destination country"), choices=country_choices(current_lang()), required=False
        )
        self.fields["received_on"].required = False
        self.fields["received_on"].help_text = _("Empty: today.")
        for name in ("reminder_days", "concern_category", "risk", "urgency"):
            self.fields[name].required = False
        for name in ("channel", "reporter"):
            self.fields[name].choices = list(self.fields[name].choices)[1:]
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        """Validation is the service's (``run_service`` puts its errors on the fields)."""

    def quick(self) -> list[Any]:
        return [self[n] for n in QUICK_FIELDS]

    def more(self) -> list[Any]:
        return [self[n] for n in MORE_FIELDS]

    def missing(self) -> list[Any]:
        return [self[n] for n in MISSING_FIELDS]


class ContactFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), *choices.Status.choices],
    )
    channel = forms.ChoiceField(
        label=_("channel"), required=False, choices=[("", _("All")), *choices.Channel.choices]
    )
    concern_category = forms.ChoiceField(
        label=_("kind of concern"),
        required=False,
        choices=[("", _("All")), *choices.Concern.choices],
    )
    province = forms.ChoiceField(label=_("province"), required=False)
    missing = forms.BooleanField(label=_("missing persons only"), required=False)
    due = forms.BooleanField(label=_("follow-up due"), required=False)
    number = forms.CharField(label=_("contact number"), required=False, max_length=32)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *province_choices()[1:]]


class CloseForm(DraftRestoreMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in choices.Outcome.choices if c[0] != choices.Outcome.CASE_OPENED],
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
