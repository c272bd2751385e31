"""The case list, opening, showing and editing a case."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lentera.web.cases import selectors, services
from lentera.web.cases.choices import CaseStatus, ExploitationType
from lentera.web.cases.fields import CASE_SECTIONS
from lentera.web.cases.forms import (
    CASE_PAGE,
    SECTION_TITLES,
    CaseFilterForm,
    CaseForm,
    NoteForm,
    province_choices,
    regency_choices,
)
from lentera.web.cases.models import Case
from lentera.web.cases.views.common import after_section_save
from lentera.web.core.forms import form_data, run_service
from lentera.web.core.sections import (
    changed_sections,
    limit_to,
    page_sections,
    section_fields,
    show_errors_of,
)


def _options(choices: Iterable[tuple[str, str]], selected: str) -> SafeString:
    """``<option>`` tags for a filter select (much faster than widget templates on a hot page)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


_FILTER_CHOICES = {
    "status": lambda: CaseStatus.choices,
    "exploitation_type": lambda: ExploitationType.choices,
    "province": lambda: province_choices()[1:],
}


@functools.lru_cache(maxsize=512)
def _filter_options(name: str, language: str | None, selected: str) -> SafeString:
    """The ``<option>`` tags of a case-list filter, built once per process for each language
    and selected value (the labels are fixed vocabulary and reference data; building them
    on every request — ~60 lazy labels — was a tenth of the list page's cost)."""
    return _options(_FILTER_CHOICES[name](), selected)


@functools.cache
def _filter_values(name: str) -> frozenset[str]:
    return frozenset(value for value, _label in _FILTER_CHOICES[name]())


def _filter_select(request: HttpRequest, name: str) -> SafeString:
    selected = request.GET.get(name, "")
    if selected not in _filter_values(name):
        selected = ""  # an unknown value selects nothing (as before) and is not cached
    return _filter_options(name, get_language(), selected)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        filters = selectors.CaseFilters(**form.cleaned_data)
    page = selectors.case_page_for_user(
        actor=request.user,
        filters=filters,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    labels = {value: str(label) for value, label in CaseStatus.choices}  # once, not per row
    for case in page.object_list:
        case.status_label = labels.get(case.status, case.status)
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "case_url": reverse("cases:list"),
        "status_options": _filter_select(request, "status"),
        "exploitation_options": _filter_select(request, "exploitation_type"),
        "province_options": _filter_select(request, "province"),
    }
    template = (
        "cases/_case_rows.html"
        if request.htmx and request.htmx.target == "case-results"
        else "cases/case_list.html"
    )
    return render(request, template, context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = run_service(form, lambda: services.case_open(actor=request.user, **form_data(form)))
        if case:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form, "title": _("New case")})


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id)
    return case_page(request, case)


def case_page(request: HttpRequest, case: Case, note_form: NoteForm | None = None) -> HttpResponse:
    """The case page; a rejected note comes back in its form with the message and the text."""
    context = {
        "case": case,
        "survivors": list(case.survivors.all()),
        "perpetrators": list(case.perpetrators.all()),
        "events": list(case.events.all()),
        "notes": list(case.notes.all()),
        "consents": [c for c in case.consents.all() if c.withdrawn_at is None],
        "attachments": list(case.attachments.all()),
        "note_form": note_form or NoteForm(),
        "undoable": selectors.deletions_undoable(actor=request.user, case=case),
    }
    status = 400 if note_form is not None and note_form.errors else 200
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """The whole case form, or one section of it ("Simpan bagian ini": ``section`` names it);
    what was typed in the other sections stays on the page, marked not saved yet."""
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)

    def build(data: Any) -> CaseForm:
        return CaseForm(data, instance=selectors.case_for_edit(case))

    form = build(request.POST or None)
    section = request.POST.get("section") or None
    _form_name, names = section_fields(CASE_PAGE, section)
    if section and not names:
        return HttpResponseBadRequest(_("Unknown section."))
    target = limit_to(build(request.POST), names) if section else form
    if request.method == "POST" and target.is_valid():
        saved = run_service(
            target,
            lambda: services.case_update(
                actor=request.user,
                case=case,
                version=target.cleaned_data.get("version"),
                **form_data(target),
            ),
        )
        if saved and section:
            return after_section_save(
                request,
                CASE_PAGE,
                {"case": build},
                section,
                reverse("cases:edit", args=[case.pk]),
                lambda kept, unsaved: _case_form(
                    request, case, kept["case"], saved=section, unsaved=unsaved
                ),
            )
        if saved:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", case_id=case.pk)
    if target is not form:
        show_errors_of(form, target)
    return _case_form(
        request,
        case,
        form,
        saved=request.GET.get("saved"),
        unsaved=changed_sections(form, CASE_SECTIONS),
    )


def _case_form(
    request: HttpRequest, case: Case, form: Any, *, saved: str | None, unsaved: set[str]
) -> HttpResponse:
    sections = page_sections(form, CASE_SECTIONS, SECTION_TITLES, saved=saved, unsaved=unsaved)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "case": case,
            "title": _("Edit case"),
            "sections": sections,
            "unsaved": unsaved,
        },
    )


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province") or next(
        (v for k, v in request.GET.items() if k.endswith("origin_province_code")), ""
    )
    return render(request, "cases/_regency_options.html", {"choices": regency_choices(province)})
