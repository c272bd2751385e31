"""Forms of the reintegration pages: short, one column, phone-friendly (360 px)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.web.core.formfields import RupiahField, optional_id, text_box
from lentera.web.core.forms import DraftRestoreMixin
from lentera.web.core.kobo import KoboSourceForm
from lentera.web.reintegration import choices

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(items: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return [("", "—"), *items]


class PlanForm(DraftRestoreMixin, forms.Form):
    case = forms.TypedChoiceField(label=_("Case"), coerce=int)
    referral = optional_id(_("Referral"))
    return_date = forms.DateField(
        label=_("Return date"),
        required=False,
        widget=DATE,
        help_text=_("The follow-up schedule is generated from this date."),
    )
    notes = text_box(_("Notes"), rows=3)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices_: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = choices_["case"]
        self.fields["referral"].choices = _choices(choices_["referral"])


class ActionForm(DraftRestoreMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=_choices(choices.ActionKind.choices))
    status = forms.ChoiceField(label=_("Status"), choices=choices.ActionStatus.choices)
    provider = optional_id(_("Service provider"))
    responsible = forms.CharField(
        label=_("Responsible organisation"),
        required=False,
        max_length=200,
        help_text=_("If the provider is not in the directory."),
    )
    referral = optional_id(_("Referral"))
    planned_date = forms.DateField(label=_("Planned date"), required=False, widget=DATE)
    actual_date = forms.DateField(label=_("Actual date"), required=False, widget=DATE)
    cost = RupiahField(label=_("Cost (Rp)"), required=False, min_value=0)
    donor = forms.CharField(label=_("Paid by (donor)"), required=False, max_length=120)
    note = text_box(_("Note"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices_: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = _choices(choices_["provider"])
        self.fields["referral"].choices = _choices(choices_["referral"])


class FollowUpForm(DraftRestoreMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=choices.Outcome.choices,
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(label=_("Date of the visit or call"), widget=DATE)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=choices.Mode.choices, widget=forms.RadioSelect
    )
    note = text_box(_("Note"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DepartureForm(DraftRestoreMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"), choices=choices.DepartureKind.choices, widget=forms.RadioSelect
    )
    departed_on = forms.DateField(label=_("Date (approximate)"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=choices.Channel.choices)
    same_recruiter = forms.ChoiceField(
        label=_("Through the same recruiter (calo)?"), choices=choices.SameRecruiter.choices
    )
    destination_country = forms.CharField(
        label=_("Destination country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter code, e.g. MY, SA, HK."),
    )
    new_case = optional_id(_("New case"))
    note = text_box(_("Note"))

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_case"].choices = _choices(cases)


class MonthsField(forms.CharField):
    """Whole months typed as ``0, 3, 6, 12``: a stored list is shown that way and comes back a
    list, so saving the page unchanged changes nothing."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(m) for m in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        raw = super().to_python(value)
        try:
            return [int(p) for p in raw.replace(";", ",").split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError(_("Whole numbers separated by commas.")) from None


class SettingsForm(DraftRestoreMixin, forms.Form):
    schedule_months = MonthsField(
        label=_("Follow-up months after return"),
        help_text=_("Comma-separated; 0 is at return. E.g. 0, 3, 6, 12."),
    )
    default_mode = forms.ChoiceField(label=_("Usual follow-up"), choices=choices.Mode.choices)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Export from KoboToolbox or ODK (.csv or .xlsx)"))
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=True
    )


class KoboFetchForm(KoboSourceForm):
    """Fetch the follow-up form's submissions from the KoboToolbox API."""

    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=True
    )
