"""The bridge between a Django form and a service, shared by every app's views.

A view validates a form, turns its ``cleaned_data`` into service arguments with
:func:`form_data`, and calls the service through :func:`run_service`, which puts an
expected failure (a ``LenteraError``) on the field it names instead of an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from lentera.errors import LenteraError


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
