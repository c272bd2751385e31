"""Survivors in a case: add a new one (with the duplicate check), link a recorded one, edit,
remove."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.web.cases import selectors, services
from lentera.web.cases.fields import LINK_SECTIONS, PERSON_SECTIONS
from lentera.web.cases.forms import (
    SECTION_TITLES,
    SURVIVOR_PAGE,
    CaseSurvivorForm,
    PersonForm,
)
from lentera.web.cases.views.common import after_section_save
from lentera.web.cases.views.duplicates import evidence_rows
from lentera.web.core.confirm import ask_then, destructive
from lentera.web.core.forms import form_data, run_action, run_service, save_with_message
from lentera.web.core.i18n import current_lang
from lentera.web.core.sections import (
    changed_sections,
    limit_to,
    page_sections,
    section_fields,
    show_errors_of,
)


def _possible_duplicates(request: HttpRequest, person_form: forms.Form) -> list[dict[str, Any]]:
    """Existing survivors the new one may be (intake check), with their evidence."""
    found = selectors.likely_duplicates(actor=request.user, fields=form_data(person_form))
    return [
        {
            "person": person,
            "percent": round(pair.probability * 100),
            "evidence": evidence_rows(
                [[e.field, e.level, e.match_weight] for e in pair.explanation]
            ),
            "cases": [link.case.reference for link in selectors.person_links(person)],
        }
        for person, pair in found
    ]


@login_required
def survivor_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    person_form = PersonForm(request.POST or None, prefix="p", lang=current_lang())
    link_form = CaseSurvivorForm(request.POST or None, prefix="s")
    valid = request.method == "POST" and person_form.is_valid() and link_form.is_valid()
    possible = (
        _possible_duplicates(request, person_form)
        if valid and request.POST.get("confirm_new") != "1"
        else []
    )
    if valid and not possible:
        link = save_with_message(
            request,
            person_form,
            lambda: services.case_survivor_create(
                actor=request.user,
                case=case,
                person_fields=form_data(person_form),
                link_fields=form_data(link_form),
            ),
            _("Survivor added to the case."),
            link_form,
        )
        if link:
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/survivor_form.html",
        {
            "case": case,
            "person_form": person_form,
            "link_form": link_form,
            "title": _("Add a survivor"),
            "possible": possible,
        },
        status=409 if possible else 200,
    )


@login_required
def survivor_link_existing(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    if request.method == "POST":
        person = selectors.person_get_for_user(
            actor=request.user, person_id=request.POST.get("person", "")
        )
        run_action(
            request,
            lambda: services.case_survivor_add(actor=request.user, case=case, person=person),
            _("Survivor added to the case."),
        )
        return redirect("cases:detail", case_id=case.pk)
    q = request.GET.get("q", "")
    persons = list(selectors.person_list_for_user(actor=request.user, q=q)[:20]) if q else []
    return render(request, "cases/survivor_link.html", {"case": case, "persons": persons, "q": q})


@login_required
def survivor_edit(request: HttpRequest, link_id: int) -> HttpResponse:
    """The whole survivor form, or one section of it ("Simpan bagian ini": ``section`` names it:
    only that section's fields are validated and saved, whatever else the browser sent; what was
    typed in the other sections stays on the page, marked not saved yet)."""
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    lang = current_lang()

    def person(data: Any, fresh: bool = True) -> PersonForm:
        stored = selectors.survivor_for_edit(link)[0] if fresh else link.person
        return PersonForm(data, instance=stored, prefix="p", lang=lang)

    def in_case(data: Any, fresh: bool = True) -> CaseSurvivorForm:
        stored = selectors.survivor_for_edit(link)[1] if fresh else link
        return CaseSurvivorForm(data, instance=stored, prefix="s")

    person_form = person(request.POST or None, fresh=False)
    link_form = in_case(request.POST or None, fresh=False)
    section = request.POST.get("section") or None
    owner, names = section_fields(SURVIVOR_PAGE, section)
    if section and not names:
        return HttpResponseBadRequest(_("Unknown section."))
    person_target: forms.Form | None = person_form
    link_target: forms.Form | None = link_form
    if owner == "person":
        person_target, link_target = limit_to(person(request.POST), names), None
    elif owner == "link":
        person_target, link_target = None, limit_to(in_case(request.POST), names)
    targets = [f for f in (person_target, link_target) if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in targets):
        saved = run_service(
            targets[0],
            lambda: services.case_survivor_edit(
                actor=request.user,
                link=link,
                person_fields=form_data(person_target) if person_target else {},
                person_version=person_target.cleaned_data.get("version") if person_target else None,
                link_fields=form_data(link_target) if link_target else {},
                link_version=link_target.cleaned_data.get("version") if link_target else None,
            ),
            *targets[1:],
        )
        if saved and section:
            return after_section_save(
                request,
                SURVIVOR_PAGE,
                {"person": person, "link": in_case},
                section,
                reverse("cases:survivor_edit", args=[link.pk]),
                lambda kept, unsaved: _survivor_form(
                    request, link, kept["person"], kept["link"], saved=section, unsaved=unsaved
                ),
            )
        if saved:
            messages.success(request, _("Survivor saved."))
            return redirect("cases:detail", case_id=link.case_id)
    if section:  # the page shows every field, the errors of the section only
        show_errors_of(person_form, person_target)
        show_errors_of(link_form, link_target)
    unsaved = changed_sections(person_form, PERSON_SECTIONS) | changed_sections(
        link_form, LINK_SECTIONS
    )
    return _survivor_form(
        request, link, person_form, link_form, saved=request.GET.get("saved"), unsaved=unsaved
    )


def _survivor_form(
    request: HttpRequest,
    link: Any,
    person_form: Any,
    link_form: Any,
    *,
    saved: str | None,
    unsaved: set[str],
) -> HttpResponse:
    def sections(form: Any, which: Any, level: int) -> list[dict[str, Any]]:
        return page_sections(form, which, SECTION_TITLES, level=level, saved=saved, unsaved=unsaved)

    return render(
        request,
        "cases/survivor_form.html",
        {
            "case": link.case,
            "person_form": person_form,
            "link_form": link_form,
            "link": link,
            "title": _("Edit survivor"),
            "sections": sections(person_form, PERSON_SECTIONS, 2),
            "link_sections": sections(link_form, LINK_SECTIONS, 3),
            "unsaved": unsaved,
        },
    )


@destructive(
    gettext_lazy("Remove this survivor from the case?"),
    consequence=gettext_lazy(
        "The survivor's own record is kept and can be added to the case again."
    ),
    button=gettext_lazy("Yes, remove from the case"),
)
def survivor_remove(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.case_survivor_get_for_user(actor=request.user, link_id=link_id)
    return ask_then(
        request,
        lambda: services.case_survivor_remove(actor=request.user, link=link),
        _("Survivor removed from the case. The survivor's record is kept."),
        "cases:detail",
        case_id=link.case_id,
    )
