"""Responses every app's views build the same way: a file download, a form page.

- :func:`download` — a file the browser saves, never kept by a cache (survivor data may be in it);
- :func:`form_page` — a page with a form, answered ``400`` while a form has errors so that
  clients, tests and the browser journeys can tell a refused submission from a page view;
- :func:`paginate` — the requested page of a list, and the query string its pager links keep;
  :func:`keyset_paginate` the same by key (``?after=``/``?before=``, an old ``?page=N`` still
  works) with a capped count, for lists that grow with the organisation (issue 22).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lentera.web.core.keyset import KeysetPage, keyset_page, page_number

__all__ = ["download", "form_page", "keyset_paginate", "paginate"]


def download(content: bytes | str, name: str, content_type: str) -> HttpResponse:
    """``content`` as an attachment called ``name`` that no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def form_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *bound: forms.BaseForm | None,
) -> HttpResponse:
    """``template`` rendered with ``context``; status 400 when one of the ``bound`` forms has errors."""
    invalid = any(form is not None and form.errors for form in bound)
    return render(request, template, dict(context), status=400 if invalid else 200)


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> tuple[Page, str]:
    """The page of ``items`` the request asks for (``?page=``), and the request's other query
    parameters (the filters) as a query string for the pager's links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def keyset_paginate(request: HttpRequest, items: Any, per_page: int = 25) -> tuple[KeysetPage, str]:
    """The page of ``items`` (a queryset, in its own order) the request asks for by key
    (``?after=``/``?before=``) or, from an old link, by number (``?page=``), and the request's
    other query parameters as a query string for the pager's links
    (``core/_keyset_pager.html``)."""
    page = keyset_page(
        items,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        page=page_number(request.GET.get("page")),
        size=per_page,
    )
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return page, query.urlencode()
