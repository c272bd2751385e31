"""Destructive actions ask first: a POST without ``confirmed=1`` shows a confirmation page.

Works without JavaScript (a second, explicit tap on a page that says what will happen) and
changes nothing until confirmed. The view first finds the record (so a record of another
organisation is still "not found"), then calls :func:`ask`::

    @confirm_first(gettext_lazy("Delete this event?"))
    def event_delete(request, event_id):
        e = selectors.event_get_for_user(...)
        if page := ask(request):
            return page
        ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST


def confirm_first(question: Any, *, consequence: Any = "", button: Any = "") -> Callable[..., Any]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request.lentera_confirmation = (question, consequence, button)  # type: ignore[attr-defined]
            request.lentera_confirmation_asked = False  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            unconfirmed = request.method == "POST" and request.POST.get("confirmed") != "1"
            if (
                unconfirmed
                and not request.lentera_confirmation_asked
                and response.status_code < 400
            ):  # type: ignore[attr-defined]
                raise ImproperlyConfigured(f"{view.__name__} acted without calling ask()")
            return response

        wrapper.asks_confirmation = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


def destructive(question: Any, *, consequence: Any = "", button: Any = "") -> Callable[..., Any]:
    """What every destructive view wears: signed in, POST only, and :func:`confirm_first`."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        asking = confirm_first(question, consequence=consequence, button=button)(view)
        return login_required(require_POST(asking))  # type: ignore[no-any-return]

    return decorate


def ask(request: HttpRequest) -> HttpResponse | None:
    """The confirmation page, unless the user has confirmed (then None: go ahead)."""
    request.lentera_confirmation_asked = True  # type: ignore[attr-defined]
    if request.POST.get("confirmed") == "1":
        return None
    question, consequence, button = request.lentera_confirmation  # type: ignore[attr-defined]
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(
        request,
        "core/confirm.html",
        {
            "question": question,
            "consequence": consequence,
            "button": button,
            "action": request.path,
            "back": back,
            "fields": [
                (k, v)
                for k in request.POST
                if k not in {"csrfmiddlewaretoken", "_once", "confirmed"}
                for v in request.POST.getlist(k)
            ],
        },
    )


def ask_then(
    request: HttpRequest, act: Callable[[], Any], done: Any, to: str, **args: Any
) -> HttpResponse:
    """The ending of a destructive view: the confirmation page (:func:`ask`); once confirmed,
    ``act()``, the success message ``done`` and a redirect to the route ``to`` with ``args``
    (computed before ``act`` runs, while the record still exists)."""
    if page := ask(request):
        return page
    act()
    messages.success(request, done)
    return redirect(to, **args)
