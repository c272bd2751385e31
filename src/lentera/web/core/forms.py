"""The bridge between a Django form and a service, shared by every app's views.

A view validates a form, turns its ``cleaned_data`` into service arguments with
:func:`form_data`, and calls the service through :func:`run_service`, which puts an
expected failure (a ``LenteraError``) on the field it names instead of an error page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from lentera.errors import LenteraError
from lentera.web.core.responses import form_page, keyset_paginate, paginate


def run_service(form: forms.Form, call: Callable[[], Any], *others: forms.Form) -> Any:
    """Call a service; on an expected failure put its messages on the form holding each field
    (``form`` first, then ``others``; a field none of them shows goes to the top of ``form``)
    and return None."""

    def place(field: str | None, message: str) -> None:
        owner = next((f for f in (form, *others) if field in f.fields), None)
        if owner is None:
            form.add_error(None, message)
        else:
            owner.add_error(field, message)

    try:
        return call()
    except LenteraError as exc:
        errors = exc.params.get("errors") if exc.params else None
        if isinstance(errors, dict):
            for field, msgs in errors.items():
                for msg in msgs:
                    place(field, msg)
        else:
            place(exc.field, exc.message)
        return None


def form_data(form: forms.Form, exclude: tuple[str, ...] = ("version",)) -> dict[str, Any]:
    """``cleaned_data`` as service keyword arguments: an empty single-value text or choice
    field is ``""`` (what the model stores), never ``None``; an empty foreign-key choice
    stays ``None``."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in exclude}
    for key, value in data.items():
        if (
            value is None
            and isinstance(form.fields[key], forms.CharField | forms.ChoiceField)
            and not isinstance(form.fields[key], forms.MultipleChoiceField | forms.ModelChoiceField)
        ):
            data[key] = ""
    return data


def save_with_message(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    done: str | Callable[[Any], str],
    *others: forms.Form,
) -> Any:
    """:func:`run_service`, and when the service saved, the success message ``done`` (a text, or
    a function of the service's result giving it). The result; None when the service refused
    (its messages are then on the forms)."""
    result = run_service(form, call, *others)
    if result is not None:
        messages.success(request, done(result) if callable(done) else done)
    return result


def form_view(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    then: Callable[[Any], HttpResponse],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The page of a form that a service saves (a create or an edit page): on a valid POST,
    :func:`save_with_message`; when the service saved, ``then(result)`` (where to go next);
    otherwise the page again (:func:`~lentera.web.core.responses.form_page`: 400 while the form
    has errors)."""
    if request.method == "POST" and form.is_valid():
        result = save_with_message(request, form, call, done)
        if result is not None:
            return then(result)
    return form_page(request, template, context, form)


def run_action(
    request: HttpRequest, call: Callable[[], Any], done: str, *, reraise: tuple[str, ...] = ()
) -> bool:
    """A service called from a button (no form to put errors on): the message ``done`` when it
    succeeds, the service's own message when it refuses. An error of a kind in ``reraise``
    (``not_found``, ``forbidden``) goes on to its error page. Whether it succeeded."""
    try:
        call()
    except LenteraError as exc:
        if exc.kind in reraise:
            raise
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


def run_action_then(
    request: HttpRequest,
    call: Callable[[], Any],
    done: str,
    to: str,
    *,
    refused: str = "",
    reraise: tuple[str, ...] = (),
    **args: Any,
) -> HttpResponse:
    """A button's ending: :func:`run_action`, unless the request was ``refused`` (the message
    why it cannot go on, e.g. a confirmation not typed), then back to the route ``to``."""
    if refused:
        messages.error(request, refused)
    else:
        run_action(request, call, done, reraise=reraise)
    return redirect(to, **args)


def filter_values(form: forms.Form) -> dict[str, Any]:
    """A filter form's values: its cleaned data when valid, else no filter at all."""
    return form.cleaned_data if form.is_valid() else {}


def list_page(
    request: HttpRequest,
    form: forms.Form,
    select: Callable[..., Any],
    template: str,
    *,
    per_page: int = 25,
    extra: Callable[[Any], dict[str, Any]] | None = None,
    by_key: bool = False,
) -> HttpResponse:
    """A filtered list page: ``select(**values)`` with the filter form's values (no filter at
    all while the form is invalid, see :func:`filter_values`), the page of the results the
    request asks for, rendered with ``form``, ``page``, ``query`` (the filters, for the pager's
    links) and what ``extra(results)`` adds. With ``by_key`` the list pages by key with a
    capped count (:func:`keyset_paginate`: lists that grow with the organisation)."""
    items = select(**filter_values(form))
    page, query = (keyset_paginate if by_key else paginate)(request, items, per_page)
    context = {"form": form, "page": page, "query": query}
    if extra is not None:
        context.update(extra(items))
    return render(request, template, context)


#: the fields of a draft being restored on this request (see ``accounts.drafts``), or None
_restoring: ContextVar[QueryDict | None] = ContextVar("lentera_restoring_draft", default=None)


@contextmanager
def restoring(data: QueryDict) -> Iterator[None]:
    """While the block runs, every unbound :class:`DraftRestoreMixin` form starts from ``data``."""
    token = _restoring.set(data)
    try:
        yield
    finally:
        _restoring.reset(token)


class DraftRestoreMixin:
    """A form that can be refilled from a draft kept when the session expired.

    On the page the user chose to restore, an unbound form takes its initial values from the
    draft (read with each widget, so checkboxes, multiple choices and yes/no selects come back
    as typed, the form prefix included). The form stays unbound: nothing is validated or saved
    until the user submits it.
    """

    fields: dict[str, forms.Field]
    initial: dict[str, Any]
    is_bound: bool
    add_prefix: Callable[[str], str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        draft = _restoring.get()
        if draft is None or self.is_bound:
            return
        if not any(self.add_prefix(name) in draft for name in self.fields):
            return  # the draft is another form's (a page may show several)
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField):  # files are never kept in a draft
                self.initial[name] = field.widget.value_from_datadict(
                    draft, {}, self.add_prefix(name)
                )
