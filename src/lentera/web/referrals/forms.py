"""Forms of the referral app (validation beyond field types lives in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lentera.law.process import load_process_rules
from lentera.web.accounts.selectors import organisations_receiving_referrals
from lentera.web.cases.forms import province_choices, regency_groups
from lentera.web.core.formfields import PersonChoiceField, model_meta, text_box, ticks
from lentera.web.core.forms import DraftRestoreMixin
from lentera.web.referrals import choices
from lentera.web.referrals.labels import step_label
from lentera.web.referrals.models import ServiceProvider, SupportAction
from lentera.web.referrals.services import ACTION_FIELDS, PROVIDER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


def _region_choices() -> list[tuple[str, str]]:
    return [("", _("Any region")), *province_choices()[1:]]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Province"), required=False, choices=_region_choices)
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        choices=[("", _("Any service")), *choices.ServiceType.choices],
    )


class ProviderForm(DraftRestoreMixin, forms.ModelForm):
    services = ticks(_("services offered"), choices.ServiceType.choices, required=True)
    province_codes = forms.MultipleChoiceField(
        label=_("provinces covered"),
        choices=lambda: province_choices()[1:],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    regency_codes = forms.MultipleChoiceField(
        label=_("regencies/cities covered"),
        choices=regency_groups,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-search": "1"}),
        help_text=_("Type part of a name to find a regency or city; pick several with Ctrl."),
    )
    languages = ticks(_("languages"), choices.Language.choices)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    linked_organisation = forms.ModelChoiceField(
        label=_("uses this Lentera instance as"),
        # only organisations whose referral inbox is open (finding 15); the service re-checks
        queryset=organisations_receiving_referrals(),
        required=False,
        help_text=_("If the provider works in this Lentera, referrals go to its inbox."),
    )

    Meta = model_meta(
        ServiceProvider, PROVIDER_FIELDS, (forms.Textarea(attrs={"rows": 2}), "address notes")
    )


class DirectoryImportForm(forms.Form):
    MODES = (
        ("check", _("Check only (write nothing)")),
        ("all", _("Import, only if every row is valid")),
        ("valid_only", _("Import only the valid rows and skip the others")),
    )
    file = forms.FileField(label=_("Directory file (.csv or .xlsx)"))
    mode = forms.ChoiceField(label=_("What to do"), choices=MODES, initial="check")


class ReferralForm(DraftRestoreMixin, forms.Form):
    provider = forms.ModelChoiceField(
        label=_("provider"), queryset=ServiceProvider.objects.none(), empty_label=None
    )
    services = ticks(_("services requested"), choices.ServiceType.choices, required=True)
    reason = text_box(
        _("reason for referral"),
        rows=3,
        required=True,
        max_length=4000,
        help_text=_("The provider will read this. Write only what it needs to help."),
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=choices.Urgency.choices, initial="normal"
    )
    due_date = forms.DateField(
        label=_("answer or service needed by"),
        required=False,
        widget=DATE,
        help_text=_("Empty: set from the urgency."),
    )
    shared_fields = ticks(_("data to pass to the provider"), choices.SharedField.choices)
    override_reason = text_box(
        _("supervisor override: why refer without consent"),
        max_length=4000,
        help_text=_("Only when no referral consent is on record, e.g. a child in danger."),
    )

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers


class TransitionForm(DraftRestoreMixin, forms.Form):
    to_status = forms.ChoiceField(choices=choices.ReferralStatus.choices)
    reason = forms.CharField(required=False, max_length=4000, label=_("reason"))
    note = forms.CharField(required=False, max_length=4000, label=_("note"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FollowUpForm(DraftRestoreMixin, forms.Form):
    done_on = forms.DateField(label=_("date"), required=False, widget=DATE)
    note = text_box(_("what was found"), max_length=4000, required=True)
    next_follow_up = forms.DateField(label=_("next follow-up"), required=False, widget=DATE)


class SupportActionForm(DraftRestoreMixin, forms.ModelForm):
    Meta = model_meta(
        SupportAction,
        ACTION_FIELDS,
        (forms.Textarea(attrs={"rows": 2}), "objective action"),
        (DATE, "planned_start planned_end actual_end next_follow_up"),
        field_classes={"responsible": PersonChoiceField},
    )

    def __init__(self, *args: Any, users: Any = None, referrals: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if users is not None:
            self.fields["responsible"].queryset = users
        if referrals is not None:
            self.fields["referral"].queryset = referrals


def _step_choices() -> list[tuple[str, str]]:
    rules = load_process_rules()
    return [
        (code, step_label(code))
        for code, _s in sorted(rules.steps.items(), key=lambda kv: kv[1]["order"])
    ]


class LegalStepForm(DraftRestoreMixin, forms.Form):
    step = forms.ChoiceField(label=_("step"), choices=_step_choices)
    date = forms.DateField(label=_("date"), widget=DATE)
    survivor = forms.ModelChoiceField(
        label=_("survivor"),
        queryset=None,
        required=False,
        help_text=_("Required for LPSK, tuntutan, verdict and restitution steps."),
    )
    amount = forms.IntegerField(
        label=_("amount (Rp)"),
        required=False,
        min_value=0,
        help_text=_("Restitution demanded, ordered or paid."),
    )
    reference_no = forms.CharField(label=_("document number"), required=False, max_length=200)
    note = text_box(_("note"), max_length=4000)

    def __init__(self, *args: Any, links: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = links
        self.fields["survivor"].label_from_instance = lambda link: link.person.full_name
