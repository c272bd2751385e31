"""Helpers shared by the case views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lentera.web.cases.models import Case
from lentera.web.core.forms import run_service


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


def section_saved(edit_url: str, section: str) -> HttpResponse:
    """After a section save: back to the same edit page, scrolled to that section, which says it
    is saved (in the section itself: on a phone a message at the top would be out of sight)."""
    return redirect(f"{edit_url}?{urlencode({'saved': section})}#section-{section}")
