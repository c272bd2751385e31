"""Pages of the list endpoints: one rule for every router (cases, referrals, ...).

A list answers ``count``, ``page``, ``pages`` and ``results`` as it always did, and since
issue 22 also ``next`` and ``previous``: cursors to pass back as ``after`` / ``before`` for the
neighbouring page, found by key (``lentera.web.core.keyset``), so a deep page costs what the
first costs. ``page=N`` still works for the first :data:`MAX_OFFSET` rows (the page number is
clamped to the last page within them); ``count`` is exact up to :data:`MAX_OFFSET`, above it
``count_capped`` is true and ``count``/``pages`` say how far page numbers reach — follow
``next`` beyond. A page asked for by cursor answers ``page: null``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema

from lentera.web.core.keyset import MAX_OFFSET, keyset_page

__all__ = [
    "MAX_OFFSET",
    "MAX_PAGE_SIZE",
    "PageOut",
    "PageQuery",
    "filters_of",
    "page_answer",
    "page_of",
]

#: the largest page an API client may ask for
MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    """Which page a list endpoint answers; a subclass adds the endpoint's filters."""

    page: int = 1
    page_size: int = 25
    #: the ``next`` cursor of the page before (the page after it), or ``previous``'s (before)
    after: str | None = Field(None, max_length=400)
    before: str | None = Field(None, max_length=400)


class PageOut(Schema):
    """The answer of every list endpoint: which page of how many, and the cursors of its
    neighbours; a subclass adds ``results``."""

    count: int
    page: int | None
    pages: int
    count_capped: bool = False
    next: str | None = None
    previous: str | None = None


def page_of(qs: Any, query: Any) -> tuple[list[Any], dict[str, Any]]:
    """The rows of the page ``query`` asks for (its cursor, else its ``page``, and its
    ``page_size``), and the :class:`PageOut` fields of the answer (``{**meta, "results": [...]}``)."""
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    after, before = getattr(query, "after", None), getattr(query, "before", None)
    by_cursor = bool(after or before)
    found = keyset_page(
        qs,
        after=after,
        before=before,
        page=None if by_cursor else max(1, query.page),
        size=size,
        count_cap=MAX_OFFSET,
    )
    return found.object_list, {
        "count": found.count,
        "page": found.number,
        "pages": max(1, math.ceil(found.count / size)),
        "count_capped": found.count_capped,
        "next": found.next_key or None,
        "previous": found.previous_key or None,
    }


def filters_of(query: Schema) -> dict[str, Any]:
    """A list query's filters (every field but the page's), as the keyword
    arguments of the selector whose parameters they are named after."""
    return query.model_dump(exclude={"page", "page_size", "after", "before"})


def page_answer(qs: Any, query: Any, out: Callable[[Any], Any]) -> dict[str, Any]:
    """The answer of a list endpoint: the page of ``qs`` that ``query`` asks for, each row
    through ``out``."""
    rows, meta = page_of(qs, query)
    return {**meta, "results": [out(row) for row in rows]}
