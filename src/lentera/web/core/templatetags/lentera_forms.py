"""``{% error_summary form other_form %}``: every problem of a rejected submission at the top.

Rendered before the fields, it lists each error with a link to its field and puts ``autofocus``
on the first invalid field, so on a long phone form the user lands on what to correct (with
the summary above it) instead of on an unchanged page top. Django itself marks invalid fields
``aria-invalid``.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def error_summary(*all_forms: Any) -> str:
    items: list[tuple[str, str]] = []
    first: forms.BoundField | None = None
    for form in all_forms:
        if not isinstance(form, forms.BaseForm) or not form.errors:
            continue
        items.extend(("#top-errors", str(e)) for e in form.non_field_errors())
        for bound in form:
            if not bound.errors:
                continue
            first = first or bound
            label = str(bound.label or bound.name)
            label = label[:1].upper() + label[1:]
            items.extend((f"#{bound.id_for_label}", f"{label}: {e}") for e in bound.errors)
    if not items:
        return ""
    if first is not None and not first.is_hidden:
        first.field.widget.attrs["autofocus"] = True
    count = len(items)
    heading = ngettext(
        "%(n)s thing to correct before saving", "%(n)s things to correct before saving", count
    ) % {"n": count}
    return format_html(
        '<div class="error-summary errors" role="alert" id="top-errors" tabindex="-1">'
        "<h2>{}</h2><ul>{}</ul><p class='small'>{}</p></div>",
        heading,
        format_html_join("", '<li><a href="{}">{}</a></li>', items),
        _("Nothing has been saved yet; what you typed is kept below."),
    )


@register.filter
def record_name(object_type: str, object_id: Any = "") -> str:
    """ "cases.person" and 360 → "Penyintas no. 360" (the model's translated name)."""
    from django.apps import apps

    label = object_type or ""
    try:
        model = apps.get_model(*object_type.split(".", 1)) if "." in object_type else None
    except LookupError:
        model = None
    if model is not None:
        name = str(model._meta.verbose_name)
        label = name[:1].upper() + name[1:]
    if object_id not in (None, ""):
        return _("%(record)s no. %(id)s") % {"record": label, "id": object_id}
    return label


@register.filter
def detail_text(detail: Any) -> str:
    """An audit detail dict as words ("2fa: enrolled; fields: phone, sex"), not a Python dict."""
    if not isinstance(detail, dict):
        return "" if detail in (None, "") else str(detail)
    parts = []
    for key, value in detail.items():
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        parts.append(f"{str(key).replace('_', ' ')}: {value}")
    return "; ".join(parts)
