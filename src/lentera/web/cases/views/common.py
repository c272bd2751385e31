"""Helpers shared by the case views."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lentera.web.cases.models import Case
from lentera.web.core.forms import run_service
from lentera.web.core.sections import Page, keep_unsaved


def child_form_view(
    request: HttpRequest,
    *,
    case: Case,
    form: forms.Form,
    call: Callable[[], Any],
    title: str,
    done: str,
) -> HttpResponse:
    """The add/edit page of a record of a case (perpetrator, event, consent): on a valid POST
    call the service; on success go back to the case with ``done``, else show the form."""
    if request.method == "POST" and form.is_valid():
        result = run_service(form, call)
        if result is not None:
            messages.success(request, done)
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": case, "title": title})


def after_section_save(
    request: HttpRequest,
    page: Page,
    builders: Mapping[str, Callable[..., forms.BaseForm]],
    section: str,
    edit_url: str,
    show: Callable[[dict[str, forms.BaseForm], set[str]], HttpResponse],
) -> HttpResponse:
    """After a section save: back to the same edit page, scrolled to that section, which says it
    is saved (in the section itself: on a phone a message at the top would be out of sight);
    when other sections still hold what was typed and not saved, ``show`` renders the page again
    with the forms ``builders`` rebuilt around it, those sections marked not saved yet."""
    kept, unsaved = keep_unsaved(page, builders, request.POST, section)
    if unsaved:
        return show(kept, unsaved)
    return redirect(f"{edit_url}?{urlencode({'saved': section})}#section-{section}")
