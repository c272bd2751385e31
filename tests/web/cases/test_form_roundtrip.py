"""The form round-trip walk: no answer a user gave is ever shown differently or lost on save.

Every form class of the web apps is found by walking the ``lentera.web`` modules (a new form
joins the walk without being listed here). Each one is filled with non-default values, rendered
as the browser would receive it, the HTML is read back the way a browser submits it, and the
submission is bound again: every field must come back with the stored value and the form must
report no change. Two passes use different values (yes and no, first and last choice…).

On top of that, the edit pages of the case are walked through HTTP: save, reopen, save the page
unchanged, and the database rows must not move.
"""

from __future__ import annotations

import datetime as dt
import decimal
import html
import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from _browser import BrowserSubmission as _BrowserSubmission
from _browser import submitted
from django import forms
from django.db import models
from django.test import Client

import lentera.web

pytestmark = pytest.mark.django_db

_SKIP_PACKAGES = (".migrations", ".config", ".management", ".templatetags")


def form_classes() -> list[type[forms.BaseForm]]:
    """Every concrete form class defined in a ``lentera.web`` module."""
    for info in pkgutil.walk_packages(lentera.web.__path__, "lentera.web."):
        if not any(part in info.name for part in _SKIP_PACKAGES):
            importlib.import_module(info.name)
    found: dict[str, type[forms.BaseForm]] = {}
    stack = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("lentera.web.") and sub.base_fields:
                meta = getattr(sub, "_meta", None)
                if (
                    meta is not None
                    and getattr(meta, "model", None) is None
                    and issubclass(sub, forms.BaseModelForm)
                ):
                    continue  # an abstract helper such as VersionedForm
                found[f"{sub.__module__}.{sub.__qualname__}"] = sub
    return [found[k] for k in sorted(found)]


def _choice_values(field: forms.Field) -> list[Any]:
    values: list[Any] = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):
            values.extend(v for v, _l in label if v not in ("", None))
        elif value not in ("", None):
            values.append(value)
    return values


TEXT = "Ni Luh Ayu Çağlar ꦱꦶꦠꦶ سيتي 🌸"


def sample(name: str, field: forms.Field, variant: int) -> Any:
    """A valid, non-default value for ``field`` (``variant`` 0 or 1 gives a different one)."""
    widget = field.widget
    if isinstance(field, forms.FileField) or isinstance(widget, forms.PasswordInput):
        return None
    if isinstance(field, forms.ModelMultipleChoiceField):
        objs = list(field.queryset[:3])
        assert objs, f"{name}: no choices to pick from"
        return objs[variant:] or objs
    if isinstance(field, forms.ModelChoiceField):
        objs = list(field.queryset)
        assert objs, f"{name}: no choices to pick from"
        return objs[-1 - variant] if len(objs) > variant else objs[-1]
    if isinstance(field, forms.MultipleChoiceField):
        values = _choice_values(field)
        assert values, f"{name}: no choices to pick from"
        picked = values[-2:] if variant == 0 else values[:1]
        return [
            field.to_python([v])[0] if isinstance(field, forms.TypedMultipleChoiceField) else v
            for v in picked
        ]
    if isinstance(field, forms.NullBooleanField):
        return variant == 0
    if isinstance(field, forms.BooleanField):
        return variant == 0
    if isinstance(field, forms.ChoiceField):
        values = _choice_values(field)
        if not values:
            return None
        value = values[-1] if variant == 0 else values[len(values) // 2]
        return field.clean(value) if isinstance(field, forms.TypedChoiceField) else value
    if isinstance(field, forms.DateTimeField):
        return dt.datetime(2024, 3, 9 + variant, 10, 30, tzinfo=dt.UTC)
    if isinstance(field, forms.DateField):
        return dt.date(2024, 3, 9 + variant)
    if isinstance(field, forms.IntegerField):
        low = field.min_value if field.min_value is not None else 0
        high = field.max_value if field.max_value is not None else low + 1000
        return min(high, low + 3 + variant * 7)
    if isinstance(field, forms.DecimalField):
        return decimal.Decimal("12.50") + variant
    if isinstance(field, forms.FloatField):
        low = field.min_value if field.min_value is not None else 0
        return low + 0.25 + variant
    if isinstance(field, forms.EmailField):
        return f"uji{variant}@contoh.id"
    if isinstance(field, forms.URLField):
        return f"https://contoh{variant}.id/"
    if isinstance(field, forms.RegexField):
        return f"aB3d{variant}XyZ9"
    if isinstance(field, forms.CharField):
        text = TEXT if variant == 0 else "Baris satu\nBaris dua & <tiga>"
        return text[: field.max_length] if field.max_length else text
    raise AssertionError(f"{name}: no sample for {type(field).__name__}; extend sample()")


# Fields whose valid values follow a rule of their own (the services check them).
SPECIAL = {
    "nik": ["5301054708990003", "3578015506020001"],
    "phone": ["081234567890", "+62 812 9999 0000"],
    "citizenship": ["MY", "ID"],
    "birth_date": [dt.date(1999, 8, 7), dt.date(2002, 6, 15)],  # as inside the NIKs above
    "refused": [["services"], ["referral"]],  # never a purpose also agreed to
    "schedule_months": [[0, 3, 6, 12], [1, 24]],  # reintegration: whole months, 0 to 60
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, models.Model) or isinstance(b, models.Model):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple | models.QuerySet):
        return sorted(map(str, (getattr(x, "pk", x) for x in a))) == sorted(
            map(str, (getattr(x, "pk", x) for x in b))
        )
    if a in (None, "") and b in (None, ""):
        return True
    return a == b


@pytest.fixture
def world(worker_a: Any, users_a: dict[str, Any], build_case: Any, org_b: Any) -> dict[str, Any]:
    """One complete case with a referral, so every choice list of every form has entries."""
    from lentera.web.cases.models import CaseSurvivor, Person
    from lentera.web.cases.services import consent_record
    from lentera.web.referrals import services as referral_services
    from lentera.web.referrals.models import Referral, ServiceProvider

    case = build_case(worker_a, survivors=2)
    link = case.survivors.first()
    provider = referral_services.provider_save(
        actor=worker_a,
        data={"name": "UPTD PPA NTT", "institution_type": "uptd_ppa",
              "services": ["shelter", "legal"], "province_codes": ["53"]},
    )  # fmt: skip
    consent_record(actor=worker_a, person=link.person, case=case, purpose="referral",
                   granted=True, shared_fields=["name"])  # fmt: skip
    referral_services.referral_send(actor=worker_a, link=link, provider=provider,
                                    services=["legal"], reason="Butuh bantuan hukum.")  # fmt: skip
    from lentera.web.accounts.models import User
    from lentera.web.outreach import selectors as outreach_selectors
    from lentera.web.reintegration import selectors as reintegration_selectors
    from lentera.web.reintegration import services as reintegration_services
    from lentera.web.reporting import selectors as reporting_selectors

    # The reintegration forms take their choice lists from the app's selectors, as the pages do.
    plan = reintegration_services.plan_create(actor=worker_a, person=link.person, case=case)
    plan_choices = reintegration_selectors.plan_form_choices(actor=worker_a, person=link.person)
    action_choices = reintegration_selectors.action_form_choices(actor=worker_a, plan=plan)
    links = reintegration_selectors.person_links(actor=worker_a, person=link.person)
    return {
        "lang": "id",
        "choices_": {**plan_choices, **action_choices},  # PlanForm and ActionForm
        "cases": [(lnk.case_id, lnk.case.reference) for lnk in links],  # DepartureForm
        "years": outreach_selectors.years_for_user(actor=worker_a),  # ActivityFilterForm
        "templates": reporting_selectors.template_choices_for_user(actor=users_a["analyst"]),
        "periods": reporting_selectors.period_choices(),  # BuildForm (the analyst builds reports)
        "actor": users_a["org_admin"],  # TeamForm (the organisation admin manages teams)
        "persons": Person.objects.filter(organisation=worker_a.membership.organisation),
        "providers": ServiceProvider.objects.all(),
        "users": User.objects.filter(pk__in=[u.pk for u in users_a.values()]),
        "referrals": Referral.objects.all(),
        "links": CaseSurvivor.objects.filter(case=case),
        "case": case,
        "link": link,
        "worker": worker_a,
    }


def _kwargs(cls: type[forms.BaseForm], world: dict[str, Any]) -> dict[str, Any]:
    kwargs = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if param.kind is param.KEYWORD_ONLY:
            assert name in world, f"{cls.__name__} needs {name}=; add it to the world fixture"
            kwargs[name] = world[name]
    return kwargs


def _values(form: forms.BaseForm, variant: int) -> dict[str, Any]:
    values = {}
    for name, field in form.fields.items():
        if name in SPECIAL:
            values[name] = SPECIAL[name][variant]
        else:
            values[name] = sample(name, field, variant)
    return values


def _build(cls: type[forms.BaseForm], world: dict[str, Any], variant: int) -> tuple[Any, Any]:
    """The form showing stored non-default values (an instance for a model form)."""
    kwargs = _kwargs(cls, world)
    if not issubclass(cls, forms.BaseModelForm):
        form = cls(**kwargs)
        values = _values(form, variant)
        return cls(initial=values, **kwargs), values
    instance = cls._meta.model()
    values: dict[str, Any] = {}
    # Choices can depend on the instance (the regencies of its province): settle them.
    for _round in range(3):
        form = cls(instance=instance, **kwargs)
        values = _values(form, variant)
        model_fields = {f.name: f for f in instance._meta.fields}
        for name, value in values.items():
            model_field = model_fields.get(name)
            if model_field is None:
                continue  # a form-only field (e.g. the version)
            if isinstance(model_field, models.ForeignKey):
                setattr(instance, name, value)
            else:
                setattr(instance, model_field.attname, value)
    form = cls(instance=instance, **kwargs)
    for name, value in values.items():  # form-only fields (e.g. the version)
        if name not in form.initial or form.initial[name] in (None, "", []):
            form.initial[name] = value
    return form, values


FORMS = form_classes()


def test_the_walk_finds_the_forms() -> None:
    names = {cls.__name__ for cls in FORMS}
    for expected in ("PersonForm", "CaseSurvivorForm", "PerpetratorForm", "EventForm",
                     "ConsentForm", "ReferralForm", "ProviderForm", "SupportActionForm",
                     "FollowUpForm", "LegalStepForm", "RestitutionForm", "NewUserForm",
                     "ReleaseForm", "CaseForm"):  # fmt: skip
        assert expected in names


@pytest.mark.parametrize("variant", [0, 1])
@pytest.mark.parametrize("cls", FORMS, ids=lambda c: c.__name__)
def test_form_shows_and_keeps_every_stored_value(
    cls: type[forms.BaseForm], variant: int, world: dict[str, Any]
) -> None:
    form, values = _build(cls, world, variant)
    data = submitted(form)
    skipped = {n for n, v in values.items() if v is None}
    kwargs = _kwargs(cls, world)
    if isinstance(form, forms.BaseModelForm):
        extra = {n: v for n, v in form.initial.items() if n not in form._meta.fields}
        bound = cls(data=data, instance=form.instance, initial=extra, **kwargs)
    else:
        bound = cls(data=data, initial=form.initial, **kwargs)
    for name in skipped:
        bound.fields[name].required = False
    assert bound.is_valid(), (cls.__name__, bound.errors.as_data(), dict(data))
    for name, value in values.items():
        if name in skipped:
            continue
        assert _same(bound.cleaned_data[name], value), (
            f"{cls.__name__}.{name}: stored {value!r}, the page gave back "
            f"{bound.cleaned_data[name]!r}"
        )
    changed = [n for n in bound.changed_data if n not in skipped]
    assert not changed, f"{cls.__name__}: saving the unchanged page changes {changed}"


def test_yes_no_unknown_options_select_the_stored_answer() -> None:
    from lentera.web.cases.forms import NullBooleanSelect

    for stored, shown in ((True, "true"), (False, "false"), (None, "")):
        rendered = NullBooleanSelect().render("x", stored)
        assert html.unescape(rendered).count("selected") == 1
        assert f'value="{shown}" selected' in rendered


# --------------------------------------------------------------------------- through the pages


def _rows(link: Any) -> dict[str, Any]:
    from django.forms.models import model_to_dict

    link.refresh_from_db()
    person = link.person
    person.refresh_from_db()
    perps = [model_to_dict(p) for p in link.case.perpetrators.order_by("pk")]
    events = [model_to_dict(e) for e in link.case.events.order_by("pk")]
    case = model_to_dict(type(link.case).objects.get(pk=link.case_id))
    drop = {"version", "updated_at"}
    strip = lambda d: {k: v for k, v in d.items() if k not in drop}  # noqa: E731
    return {
        "person": strip(model_to_dict(person)),
        "link": strip(model_to_dict(link)),
        "perpetrators": [strip(p) for p in perps],
        "events": [strip(e) for e in events],
        "case": strip(case),
    }


def _save_page_unchanged(client: Client, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _BrowserSubmission()
    parser.feed(page.content.decode())
    response = client.post(url, {k: parser.data.getlist(k) for k in parser.data})
    assert response.status_code == 302, (url, response.content.decode()[:3000])


def test_edit_pages_saved_unchanged_leave_the_database_unchanged(world: dict[str, Any]) -> None:
    from lentera.web.cases import services

    link, worker = world["link"], world["worker"]
    services.case_survivor_edit(
        actor=worker, link=link, person_fields={"disability": True},
        link_fields={"exploitation_occurred": True, "is_migrant_worker": True,
                     "documents_falsified": False, "age_falsified": True,
                     "job_differs_from_contract": True, "placed_in_closed_country": False},
    )  # fmt: skip
    perp = link.case.perpetrators.first()
    services.perpetrator_update(actor=worker, perpetrator=perp, is_organised_group=True,
                                is_state_official=False)  # fmt: skip
    client = Client()
    client.force_login(worker)
    before = _rows(link)
    assert before["link"]["exploitation_occurred"] is True
    urls = [
        f"/cases/{link.case_id}/edit/",
        f"/cases/survivors/{link.pk}/edit/",
        *(f"/cases/perpetrators/{p.pk}/edit/" for p in link.case.perpetrators.all()),
        *(f"/cases/events/{e.pk}/edit/" for e in link.case.events.all()),
    ]
    for url in urls:
        _save_page_unchanged(client, url)
        after = _rows(link)
        for key in before:
            diff = (
                {
                    k: (before[key].get(k), v)
                    for k, v in after[key].items()
                    if before[key].get(k) != v
                }
                if isinstance(after[key], dict)
                else after[key] != before[key]
            )
            assert not diff, (url, key, diff)


@pytest.mark.parametrize(
    "cls", [c for c in FORMS if issubclass(c, forms.BaseModelForm)], ids=lambda c: c.__name__
)
def test_model_form_labels_are_the_translated_field_names(cls: type[forms.BaseForm]) -> None:
    """A label comes from the model field's (translated) name, never from its Python name."""
    model = cls._meta.model
    names = {f.name: f for f in model._meta.fields}
    from django.forms.utils import pretty_name

    for name, field in cls.base_fields.items():
        if name in names:
            shown = field.label if field.label is not None else pretty_name(name)
            assert str(shown).lower() == str(names[name].verbose_name).lower(), (
                cls.__name__,
                name,
                shown,
            )


@pytest.mark.parametrize("cls", FORMS, ids=lambda c: c.__name__)
def test_no_select_shows_dashes_as_its_empty_choice(
    cls: type[forms.BaseForm], world: dict[str, Any]
) -> None:
    """Every select's empty choice reads "— pilih —" (the form renderer), never "---------"."""
    from django.utils import translation

    from lentera.web.core.renderer import DASHES

    form = cls(**_kwargs(cls, world))
    with translation.override("id"):
        page = str(form)
    assert DASHES not in page, cls.__name__


def test_the_empty_choice_reads_choose_in_both_languages(world: dict[str, Any]) -> None:
    from django.utils import translation

    from lentera.web.referrals.forms import SupportActionForm

    form = SupportActionForm(**_kwargs(SupportActionForm, world))
    for lang, label in (("id", "— pilih —"), ("en", "— choose —")):
        with translation.override(lang):
            assert f'<option value="" selected>{label}</option>' in str(form["responsible"])


def test_a_worker_select_names_people_and_tells_namesakes_apart(
    world: dict[str, Any], users_a: dict[str, Any]
) -> None:
    from lentera.web.accounts.models import User
    from lentera.web.core.formfields import PersonChoiceField

    a, b, c = list(users_a.values())[:3]
    User.objects.filter(pk__in=[a.pk, b.pk]).update(first_name="Yulia", last_name="")
    User.objects.filter(pk=c.pk).update(first_name="", last_name="")
    field = PersonChoiceField(queryset=User.objects.filter(pk__in=[a.pk, b.pk, c.pk]))
    shown = {value.value: label for value, label in field.choices if value}
    assert shown[a.pk] == f"Yulia ({a.username})"
    assert shown[b.pk] == f"Yulia ({b.username})"
    assert shown[c.pk] == c.username
