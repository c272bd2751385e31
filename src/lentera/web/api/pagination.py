"""Page numbers for list endpoints: one rule for every router (cases, referrals, ...)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from ninja import Schema

__all__ = [
    "MAX_PAGE_SIZE",
    "PageOut",
    "PageQuery",
    "filters_of",
    "page_answer",
    "page_of",
    "paginate",
]

#: the largest page an API client may ask for
MAX_PAGE_SIZE = 100


def paginate(qs: Any, page: int, page_size: int) -> tuple[list[Any], int, int, int]:
    """``(rows, count, page, pages)`` of ``qs``; ``page_size`` is clamped to 1..``MAX_PAGE_SIZE``
    and ``page`` to the pages that exist, so an out-of-range request gets the nearest page."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = Paginator(qs, page_size)
    page = max(1, min(page, max(1, paginator.num_pages)))
    return (
        list(paginator.page(page).object_list),
        paginator.count,
        page,
        max(1, math.ceil(paginator.count / page_size)),
    )


class PageQuery(Schema):
    """Which page a list endpoint answers; a subclass adds the endpoint's filters."""

    page: int = 1
    page_size: int = 25


class PageOut(Schema):
    """The answer of every list endpoint: which page of how many; a subclass adds ``results``."""

    count: int
    page: int
    pages: int


def page_of(qs: Any, query: Any) -> tuple[list[Any], dict[str, int]]:
    """The rows of the page ``query`` asks for (its ``page`` and ``page_size``), and the
    :class:`PageOut` fields of the answer (``{**meta, "results": [...]}``)."""
    rows, count, page, pages = paginate(qs, query.page, query.page_size)
    return rows, {"count": count, "page": page, "pages": pages}


def filters_of(query: Schema) -> dict[str, Any]:
    """A list query's filters (every field but ``page`` and ``page_size``), as the keyword
    arguments of the selector whose parameters they are named after."""
    return query.model_dump(exclude={"page", "page_size"})


def page_answer(qs: Any, query: Any, out: Callable[[Any], Any]) -> dict[str, Any]:
    """The answer of a list endpoint: the page of ``qs`` that ``query`` asks for, each row
    through ``out``."""
    rows, meta = page_of(qs, query)
    return {**meta, "results": [out(row) for row in rows]}
