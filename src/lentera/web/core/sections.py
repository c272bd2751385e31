"""Long edit pages saved one section at a time, without losing what was typed elsewhere.

A page is one ``<form>``; its fields are split into sections (``{form name: ((key, fields),
…)}``), each with its own "Simpan bagian ini" button (``name="section"``). A section save
validates and writes only that section's fields (:func:`limit_to`), whatever else the browser
sent. The other sections are never thrown away: whatever the user typed there and has not saved
comes back on the page (:func:`keep_unsaved`), each such section marked "belum disimpan" (not
saved yet), until they save it or leave. Only when nothing else was typed does the save redirect
back to the page (a reload then re-sends nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict

#: ``((key, field names), …)`` in page order
Sections = tuple[tuple[str, tuple[str, ...]], ...]
#: the forms of a page and their sections: ``{form name: sections}``
Page = Mapping[str, Sections]


def section_fields(page: Page, key: str | None) -> tuple[str | None, tuple[str, ...]]:
    """``(form name, fields)`` of the section ``key`` of ``page``; ``(None, ())`` if unknown."""
    for form_name, sections in page.items():
        for section, names in sections:
            if section == key:
                return form_name, names
    return None, ()


def limit_to(form: forms.BaseForm, names: tuple[str, ...]) -> forms.BaseForm:
    """``form`` keeping only the fields ``names`` (and the version): a section save validates and
    returns nothing else, so what the browser sent for the other sections is never written."""
    for name in list(form.fields):
        if name not in names and name != "version":
            del form.fields[name]
    return form


def show_errors_of(form: forms.BaseForm, checked: forms.BaseForm | None) -> None:
    """Let ``form`` (every field, as the browser sent them) show the errors of ``checked`` (the
    section that was validated) and no others: the unsaved sections are not checked."""
    form._errors = checked.errors if checked is not None else ErrorDict()


def changed_sections(form: forms.BaseForm, sections: Sections) -> set[str]:
    """The sections of a bound ``form`` whose sent values differ from the stored ones."""
    if not form.is_bound:
        return set()
    changed = set(form.changed_data) - {"version"}
    return {key for key, names in sections if changed.intersection(names)}


def carry(form: forms.BaseForm, posted: QueryDict, names: Iterable[str]) -> forms.BaseForm:
    """An unbound ``form`` showing the sent values of the fields ``names`` (read with each
    widget, so choices, yes/no selects and dates come back as typed), the stored ones elsewhere."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and not isinstance(field, forms.FileField):
            form.initial[name] = field.widget.value_from_datadict(posted, {}, form.add_prefix(name))
    return form


def keep_unsaved(
    page: Page,
    build: Mapping[str, Callable[[QueryDict | None], forms.BaseForm]],
    posted: QueryDict,
    saved: str,
) -> tuple[dict[str, forms.BaseForm], set[str]]:
    """After the section ``saved`` was written: each form of the page, fresh from the store
    (``build[name](None)``, the new version included), carrying what was sent for the other
    sections where it differs from the store; and the keys of those sections (empty: nothing else
    was typed). ``build[name]`` must read the record again."""
    result: dict[str, forms.BaseForm] = {}
    unsaved: set[str] = set()
    for name, sections in page.items():
        dirty = changed_sections(build[name](posted), sections) - {saved}
        result[name] = carry(
            build[name](None), posted, [f for key, names in sections if key in dirty for f in names]
        )
        unsaved |= dirty
    return result, unsaved


def page_sections(
    form: forms.BaseForm,
    sections: Sections,
    titles: Mapping[str, Any],
    *,
    level: int = 2,
    saved: str | None = None,
    unsaved: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The sections of an edit page to render: key, heading, heading level, bound fields, whether
    it is the section just saved, and whether it holds typing not saved yet."""
    unsaved = set(unsaved)
    return [
        {
            "key": key,
            "title": titles[key],
            "level": level,
            "saved": key == saved and not form.is_bound,
            "unsaved": key in unsaved,
            "fields": [form[n] for n in names if n in form.fields],
        }
        for key, names in sections
    ]
