"""Page numbers for every list endpoint of the REST API (cases, persons, referrals…)."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator


def paginate(qs: Any, page: int, page_size: int) -> tuple[Any, int, int, int]:
    """(rows of the page, total count, the page actually served, number of pages).

    ``page_size`` is kept within 1–100 and ``page`` within the pages that exist, so a client
    asking past the end gets the last page, never an error.
    """
    page_size = max(1, min(page_size, 100))
    paginator = Paginator(qs, page_size)
    page = max(1, min(page, max(1, paginator.num_pages)))
    return (
        paginator.page(page).object_list,
        paginator.count,
        page,
        max(1, math.ceil(paginator.count / page_size)),
    )
