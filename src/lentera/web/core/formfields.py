"""Form fields that accept what people type in Indonesia, and the field shapes the apps' forms
share (boxes to tick, an optional record, a note), and the ``Meta`` of a model form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms

from lentera.web.core.people import person_labels


class RupiahField(forms.IntegerField):
    """An amount in rupiah: "5.300.000", "Rp 5.300.000" and "5300000" are all 5,300,000.

    A number input would silently turn "5.300.000" into 5.3; this is a text input with a
    numeric keyboard, and the thousand separators people write are removed first.
    """

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            text = re.sub(r"(?i)^\s*rp\.?\s*", "", value.strip())
            text = re.sub(r"[.\s\u00a0]", "", text)
            if re.fullmatch(r"\d+,00?", text):  # "5.300.000,00"
                text = text.split(",")[0]
            value = text
        return super().to_python(value)

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return attrs

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


def ticks(label: Any, choices: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    """Boxes to tick, any number of them (none at all unless ``required=True``)."""
    kwargs.setdefault("required", False)
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def optional_id(label: Any) -> forms.TypedChoiceField:
    """An optional choice of one record by its id (None when left empty); choices set by the form."""
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


def text_box(label: Any, rows: int = 2, **kwargs: Any) -> forms.CharField:
    """Free text in a box of ``rows`` lines (optional unless ``required=True``)."""
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def model_meta(
    model: type[Any],
    fields: Iterable[str],
    *widgets: tuple[Any, str],
    without: tuple[str, ...] = (),
    **meta: Any,
) -> type:
    """A ``ModelForm``'s ``Meta``: the model, the fields it edits (an app's field list, less
    ``without``, in its order) and ``widgets`` as groups ``(widget, "field field ...")`` of the
    fields that share one (a widget class or instance: Django makes each field its own copy);
    ``meta`` adds other ``Meta`` options (e.g. ``field_classes``)."""
    return type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [f for f in fields if f not in without],
            "widgets": {name: widget for widget, names in widgets for name in names.split()},
            **meta,
        },
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of one user, shown by name (the username added where two share a name)."""

    def label_from_instance(self, obj: Any) -> str:
        labels = getattr(self, "_labels", None)
        if labels is None or obj.pk not in labels:
            labels = self._labels = person_labels(self.queryset)
        return labels[obj.pk]

    def _set_queryset(self, queryset: Any) -> None:
        self._labels = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)
