"""One page of a long list by key (seek pagination), with a capped count.

A page is found from the key of the last (or first) row of the page before it, so a deep
page costs what the first costs: no ``OFFSET`` walking over every row before it, and no full
``COUNT(*)`` — the count stops at :data:`COUNT_CAP` and the page says "more than 1,000" above
it. The case list seeks by hand on its own key (``cases.selectors.case_page``) but returns
this :class:`KeysetPage`; the audit log, the referral lists, the contact and outreach lists
and the API's list endpoints use all of it.

The order is a tuple of concrete, non-null fields ending with the primary key (``("-sent_at",
"-id")``), so that every row has one place; a key is those values of a row, as an opaque
URL-safe string. An old link's ``?page=N`` still works: it is an offset page, bounded to the
first :data:`MAX_OFFSET` rows, whose Next/Previous links then carry keys.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet

__all__ = [
    "COUNT_CAP",
    "MAX_OFFSET",
    "KeysetPage",
    "keyset_page",
    "order_of",
    "page_number",
    "row_key",
    "seek",
]

#: the count stops here; the pages say "more than 1,000" above it (change both together)
COUNT_CAP = 1000
#: an offset page (``?page=N`` of an old link or API client) reaches this many rows at most
MAX_OFFSET = 10_000


@dataclass
class KeysetPage:
    """A page of rows, the keys that lead to its neighbours, and the (capped) count."""

    object_list: list[Any] = field(default_factory=list)
    count: int = 0
    count_capped: bool = False
    next_key: str = ""
    previous_key: str = ""
    #: the page's number when it was asked for by number (``?page=N``), else None
    number: int | None = None

    @property
    def has_next(self) -> bool:
        return bool(self.next_key)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_key)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def order_of(qs: QuerySet[Any]) -> list[Any]:
    """The order of ``qs`` (its ``order_by``, else its model's), ending with the primary key so
    that every row has one place. A part may be an expression (a search's few matches sorted by
    one): such an order is kept as it is and pages by offset only (:func:`_fields`)."""
    order = list(qs.query.order_by or qs.model._meta.ordering or [])
    names = [p for p in order if isinstance(p, str)]
    if not any(p.lstrip("-") in {"id", "pk"} for p in names):
        first = order[0] if order else ""
        descending = first.startswith("-") if isinstance(first, str) else first.descending
        order.append("-id" if descending else "id")
    return order


def _fields(model: type[Model], order: Sequence[Any]) -> list[tuple[str, bool, Any]] | None:
    """``(name, descending, model field)`` of each part of the order, or None when a part is
    an expression or not a non-null field of the model itself (then the list pages by offset
    only)."""
    out = []
    for part in order:
        if not isinstance(part, str):
            return None
        name = part.lstrip("-")
        if "__" in name or name.startswith("?"):
            return None
        try:
            model_field = model._meta.pk if name in {"pk", "id"} else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if getattr(model_field, "null", True) or not getattr(model_field, "concrete", False):
            return None
        out.append((model_field.attname, part.startswith("-"), model_field))
    return out


def _encode(row: Any, parts: list[tuple[str, bool, Any]]) -> str:
    values = []
    for name, _desc, model_field in parts:
        value = getattr(row, name)
        values.append(model_field.value_to_string(row) if value is not None else None)
    raw = json.dumps(values, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def row_key(row: Model, order: Sequence[str]) -> str:
    """The key of ``row`` in ``order``: what a Next link after it carries."""
    parts = _fields(type(row), order)
    return _encode(row, parts) if parts else ""


def _decode(key: str | None, parts: list[tuple[str, bool, Any]]) -> list[Any] | None:
    """The values of a key, or None for anything else (a hand-edited or foreign link)."""
    if not key or len(key) > 400:
        return None
    try:
        raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(parts):
            return None
        return [
            model_field.to_python(v) if isinstance(v, str) else None
            for v, (_n, _d, model_field) in zip(values, parts, strict=True)
        ]
    except (ValueError, TypeError, ValidationError, binascii.Error, FieldDoesNotExist):
        return None


def _beyond(parts: list[tuple[str, bool, Any]], values: list[Any], *, forward: bool) -> Q:
    """Rows after (``forward``) or before the key in the order: the first field further on, or
    equal and the next one further on, and so on. The first field's bound is also given on its
    own (``f1 <= v1 AND (...)``): without it SQLite (3.40) does not seek the index to the key
    for the ``OR`` and walks every row before it — what a deep page must not cost."""
    name, desc, _f = parts[0]
    bound = Q(**{f"{name}__{'lte' if desc == forward else 'gte'}": values[0]})
    condition = Q(pk__in=[])
    for i, (name, desc, _f) in enumerate(parts):
        later = "lt" if desc == forward else "gt"
        step = Q(**{f"{name}__{later}": values[i]})
        for prior, value in zip(parts[:i], values[:i], strict=True):
            step &= Q(**{prior[0]: value})
        condition |= step
    return bound & condition


def seek(qs: QuerySet[Any], order: Sequence[str], values: Sequence[Any], *, forward: bool) -> Any:
    """The rows of ``qs`` after (``forward``) or before the key ``values`` in ``order`` (concrete
    non-null fields of the model, ending with the primary key) — for a list that carries its
    keys in its own form (the case list's ``opened_on.id``)."""
    parts = _fields(qs.model, order)
    if parts is None:
        raise ValueError(f"{order!r} cannot be keyed")
    return qs.filter(_beyond(parts, list(values), forward=forward))


def page_number(raw: Any) -> int | None:
    """``?page=`` as a page number of 1 or more, or None (absent, not a number)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def keyset_page(
    qs: QuerySet[Any],
    order: Sequence[Any] | None = None,
    *,
    after: str | None = None,
    before: str | None = None,
    page: int | None = None,
    size: int = 25,
    count_cap: int = COUNT_CAP,
) -> KeysetPage:
    """The page of ``qs`` in ``order`` (default :func:`order_of`) after (or before) a key, or
    the offset page ``page`` (bounded by :data:`MAX_OFFSET`), or the first page; the count
    capped at ``count_cap``. An order that cannot be keyed (a related or nullable field) pages
    by offset only, within the same bound."""
    order = list(order) if order else order_of(qs)
    parts = _fields(qs.model, order)
    n = qs.order_by().values("pk")[: count_cap + 1].count()
    count, capped = min(n, count_cap), n > count_cap
    if n == 0:  # nothing matches: do not walk the index looking for a first row
        return KeysetPage(number=1 if page is not None else None)
    ordered = qs.order_by(*order)
    after_values = _decode(after, parts) if parts else None
    before_values = _decode(before, parts) if parts else None
    if parts and before_values is not None:
        reverse = [p[1:] if p.startswith("-") else f"-{p}" for p in order]
        newer = qs.filter(_beyond(parts, before_values, forward=False)).order_by(*reverse)
        rows = list(newer[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            return KeysetPage(
                rows, count, capped, _encode(rows[-1], parts), _encode(rows[0], parts)
            )
        after_values = None  # back at the top: the first page, full
    number = None
    if parts and after_values is not None:
        rows = list(ordered.filter(_beyond(parts, after_values, forward=True))[: size + 1])
        previous = bool(rows)
    elif page is not None and page > 1:
        number = min(page, max(1, MAX_OFFSET // size))
        start = (number - 1) * size
        rows = list(ordered[start : start + size + 1])
        if not rows:  # past the end: the last page there is (within the bound)
            within = n if not capped else qs.order_by().values("pk")[:start].count()
            last = max(0, within - 1) // size
            number, start = last + 1, last * size
            rows = list(ordered[start : start + size + 1])
        previous = start > 0
    else:
        rows = list(ordered[: size + 1])
        previous = False
        number = 1 if page is not None else None
    result = KeysetPage(rows[:size], count, capped, number=number)
    if parts and len(rows) > size:
        result.next_key = _encode(rows[size - 1], parts)
    if parts and previous and rows:
        result.previous_key = _encode(rows[0], parts)
    return result
