"""Forms of the case pages. Validation messages come from the services too (see views)."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lentera import reference
from lentera.web.cases import choices
from lentera.web.cases.fields import (
    CASE_FIELDS,
    CASE_SECTIONS,
    EVENT_FIELDS,
    LINK_FIELDS,
    LINK_SECTIONS,
    PERPETRATOR_FIELDS,
    PERSON_FIELDS,
    PERSON_SECTIONS,
)
from lentera.web.cases.models import (
    Case,
    CaseSurvivor,
    Perpetrator,
    Person,
    TraffickingEvent,
)
from lentera.web.cases.services import case_checks, person_checks
from lentera.web.core.formfields import model_meta, ticks
from lentera.web.core.forms import DraftRestoreMixin

NULL_BOOL_CHOICES = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class NullBooleanSelect(forms.Select):
    """Yes / no / unknown. The stored answer is the selected option, always.

    ``format_value`` must return a *list* like every choice widget: Django marks an option
    selected when ``str(option) in value``, and with a plain string ``"" in "true"`` is true, so
    the empty "unknown" option would be selected first and the stored answer lost on save.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, choices=NULL_BOOL_CHOICES)

    def format_value(self, value: Any) -> list[str]:
        value = self.value_from_datadict({"v": value}, {}, "v") if isinstance(value, str) else value
        return [{True: "true", False: "false"}.get(value, "")]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return {"true": True, "false": False, "True": True, "False": False}.get(data.get(name))


@functools.cache
def province_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (code, p.name)
        for code, p in sorted(reference.provinces().items(), key=lambda kv: kv[1].name)
    ]


@functools.cache
def regency_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every regency/city by name, grouped under its province (picked by name, never by code)."""
    return [
        (
            name,
            [(r.code, r.name) for r in sorted(reference.regencies_of(code), key=lambda r: r.name)],
        )
        for code, name in province_choices()[1:]
    ]


def regency_choices(province: str | None) -> list[tuple[str, str]]:
    if not province:
        return [("", "—")]
    return [("", "—")] + [
        (r.code, r.name) for r in sorted(reference.regencies_of(province), key=lambda r: r.name)
    ]


def country_choices(lang: str = "id") -> list[tuple[str, str]]:
    items = sorted(
        reference.countries().values(),
        key=lambda c: (c.alpha2 != "ID", c.name_id if lang == "id" else c.name_en),
    )
    return [("", "—")] + [(c.alpha2, c.name_id if lang == "id" else c.name_en) for c in items]


def _multi(enum: type[Any], label: str) -> forms.MultipleChoiceField:
    return ticks(label, enum.choices)


class VersionedForm(DraftRestoreMixin, forms.ModelForm):
    """Carries the version the editor read, for optimistic locking.

    ``service_checks`` (the service's field checks for the instance) run with the form's own
    validation, so every problem of a submission is reported at once (a future date together
    with a closing date before the opening date), not one per attempt.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    service_checks: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and hasattr(self.instance, "version"):
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.service_checks is None:
            return
        for field, check in type(self).service_checks(self.instance).items():
            if field not in self.fields or field in self.errors:
                continue
            try:
                check()
            except ValidationError as exc:
                self.add_error(field, exc)


class CaseForm(VersionedForm):
    service_checks = case_checks

    Meta = model_meta(
        Case,
        CASE_FIELDS,
        (DateInput, "opened_on offence_date closed_on"),
        (forms.Textarea(attrs={"rows": 4}), "summary"),
        (forms.Textarea(attrs={"rows": 2}), "closure_reason"),
        without=("owner",),  # the owner is set by the service
    )


class PersonForm(VersionedForm):
    service_checks = person_checks

    def __init__(self, *args: Any, lang: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin_province_code"] = forms.ChoiceField(
            label=_("origin province"), choices=province_choices(), required=False
        )
        province = (
            self.data.get(self.add_prefix("origin_province_code"))
            if self.is_bound
            else self.initial.get("origin_province_code") or self.instance.origin_province_code
        )
        self.fields["origin_regency_code"] = forms.ChoiceField(
            label=_("origin regency/city"), choices=regency_choices(province), required=False
        )
        self.fields["origin_regency_code"].widget.attrs["data-search"] = "1"
        self.fields["citizenship"] = forms.ChoiceField(
            label=_("citizenship"), choices=country_choices(lang), initial="ID"
        )
        self.fields["origin_province_code"].widget.attrs.update(
            {
                "hx-get": "/cases/regencies/",
                # The regency select's real id carries the form prefix (``id_p-…`` on both the
                # create and the edit page): target it by its bound id, never a literal.
                "hx-target": "#" + self["origin_regency_code"].auto_id,
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-include": "this",
            }
        )

    Meta = model_meta(
        Person,
        PERSON_FIELDS,
        (DateInput, "birth_date"),
        (forms.TextInput(attrs={"autocomplete": "off"}), "full_name other_names guardian_name"),
        (
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"}
            ),
            "nik",
        ),
        (forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}), "phone"),
        (forms.Textarea(attrs={"rows": 2}), "origin_address"),
        (NullBooleanSelect, "disability"),
        without=("age_recorded_on",),  # set by the service
    )


class CaseSurvivorForm(VersionedForm):
    exploitation_types = _multi(choices.ExploitationType, _("types of exploitation"))
    sex_exploitation_types = _multi(choices.SexExploitationType, _("types of sexual exploitation"))
    recruitment_apps = _multi(choices.RecruitmentApp, _("recruitment websites and apps"))
    means_of_control = _multi(choices.MethodOfControl, _("means of control"))
    acts = _multi(choices.LegalAct, _("acts established"))
    means = _multi(choices.LegalMeans, _("means established"))
    harm = _multi(choices.Harm, _("harm suffered"))

    Meta = model_meta(
        CaseSurvivor,
        LINK_FIELDS,
        (
            NullBooleanSelect,
            "exploitation_occurred is_migrant_worker documents_falsified age_falsified"
            " job_differs_from_contract placed_in_closed_country",
        ),
        (forms.TextInput, "other_specified current_location"),
        (DateInput, "interviewed_on"),
    )


class PerpetratorForm(VersionedForm):
    roles = _multi(choices.PerpetratorRole, _("role in the process"))

    def __init__(self, *args: Any, lang: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"] = forms.ChoiceField(
            label=_("nationality"), choices=country_choices(lang), required=False
        )

    Meta = model_meta(
        Perpetrator,
        PERPETRATOR_FIELDS,
        (NullBooleanSelect, "is_state_official is_organised_group abused_power repeat_offender"),
        (forms.TextInput, "other_specified"),
        (forms.Textarea(attrs={"rows": 2}), "notes"),
    )


class EventForm(VersionedForm):
    def __init__(self, *args: Any, lang: str = "id", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), choices=country_choices(lang), required=False
        )
        regions = [("", "—")]
        for code, p in sorted(reference.provinces().items(), key=lambda kv: kv[1].name):
            regions.append((code, p.name))
            regions.extend(
                (r.code, f"— {r.name}")
                for r in sorted(reference.regencies_of(code), key=lambda r: r.name)
            )
        self.fields["region_code"] = forms.ChoiceField(
            label=_("region in Indonesia"), choices=regions, required=False
        )
        self.fields["region_code"].widget.attrs["data-search"] = "1"

    Meta = model_meta(
        TraffickingEvent,
        EVENT_FIELDS,
        (DateInput, "date"),
        (forms.Textarea(attrs={"rows": 3}), "description"),
        (forms.TextInput, "place"),
    )


#: the heading of each section of the long edit pages (``cases/fields.py`` lists their fields)
SECTION_TITLES = {
    "status": _("Status and dates"),
    "intake": _("Intake and summary"),
    "identity": _("Identity"),
    "origin": _("Origin and contact"),
    "family": _("Family, education and guardian"),
    "exploitation": _("Trafficking and exploitation"),
    "elements": _("Acts, means and harm"),
    "migration": _("Migrant work and documents"),
    "now": _("Safety now and interview"),
    "aggravating": _("Aggravating circumstances"),
}
#: which form of a page each section belongs to (``lentera.web.core.sections``)
CASE_PAGE = {"case": CASE_SECTIONS}
SURVIVOR_PAGE = {"person": PERSON_SECTIONS, "link": LINK_SECTIONS}


class ConsentForm(DraftRestoreMixin, forms.Form):
    """One form for every purpose the survivor was asked about (one consent record each)."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("survivor"))
    purposes = ticks(
        _("the survivor agrees to"),
        choices.ConsentPurpose.choices,
        help_text=_("Tick every purpose the survivor agreed to."),
    )
    refused = ticks(
        _("the survivor refuses"),
        choices.ConsentPurpose.choices,
        help_text=_("Tick a purpose the survivor was asked about and said no to."),
    )
    shared_fields = ticks(
        _("data that may be passed to a service provider (referral consent)"),
        choices.SharedField.choices,
        help_text=_("Only for a referral consent. Tick only what the survivor agreed to."),
    )
    signed_by = forms.ChoiceField(
        label=_("consent given by"),
        choices=choices.ConsentSigner.choices,
        initial=choices.ConsentSigner.SURVIVOR,
        help_text=_("For a child: the parent or guardian (wali) who signed."),
    )
    signer_name = forms.CharField(label=_("name of the person who signed"), required=False,
                                  max_length=200)  # fmt: skip
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=20000)  # fmt: skip

    def __init__(self, *args: Any, persons: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if persons is not None:
            self.fields["person"].queryset = persons
            self.fields["person"].label_from_instance = lambda p: p.full_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agreed, refused = set(data.get("purposes") or []), set(data.get("refused") or [])
        if not agreed and not refused:
            self.add_error("purposes", _("Tick at least one purpose, agreed or refused."))
        if agreed & refused:
            self.add_error("refused", _("A purpose cannot be both agreed and refused."))
        return data


class NoteForm(DraftRestoreMixin, forms.Form):
    body = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("Name, NIK or case number"), "type": "search"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *choices.CaseStatus.choices],
    )
    province = forms.ChoiceField(label=_("Origin province"), required=False)
    exploitation_type = forms.ChoiceField(
        label=_("Exploitation"),
        required=False,
        choices=[("", _("All types")), *choices.ExploitationType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *province_choices()[1:]]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
