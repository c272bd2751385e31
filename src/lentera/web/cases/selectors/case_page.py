"""One page of the case list by keyset (seek) pagination, with a capped count.

The list is ordered by ``(-opened_on, -id)`` (the index ``organisation, -opened_on, -id``).
A page is found from the key of the last (or first) row of the page before it, so page 50
costs what page 1 costs: no ``OFFSET`` walking over 1,225 rows, and no full ``COUNT(*)``
of a broad search or filter — the count stops at ``COUNT_CAP`` and the page says
"more than 1,000 cases" above it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lentera.web.accounts.models import User
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.cases.selectors.cases import CaseFilters, case_list_for_user
from lentera.web.core.keyset import COUNT_CAP, KeysetPage, seek

__all__ = ["COUNT_CAP", "PAGE_SIZE", "CasePage", "case_page_for_user", "parse_case_key"]

PAGE_SIZE = 25
#: the list's order (its index: ``organisation, -opened_on, -id``)
ORDER = ("-opened_on", "-id")


#: a page of cases is the generic keyset page (``object_list``, the capped count and the
#: ``after``/``before`` keys); only the key of a case (``opened_on.id``) is the list's own
CasePage = KeysetPage


def case_key(case: Case) -> str:
    """The position of a case in the list, as carried in the ``after``/``before`` links."""
    return f"{case.opened_on.isoformat()}.{case.pk}"


def parse_case_key(raw: str | None) -> tuple[dt.date, int] | None:
    """``2026-03-04.12345`` → ``(date, id)``; anything else (hand-edited links) → ``None``."""
    if not raw:
        return None
    day, _sep, pk = raw.partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _capped_count(qs: QuerySet[Case]) -> tuple[int, bool]:
    n = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


#: what a row of the list shows (and its key): a narrow select, not every column of the case
#: and of its owner's account
LIST_COLUMNS = (
    "organisation_id",
    "reference",
    "status",
    "opened_on",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def _with_survivor_count(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Each row's number of survivors, counted in the page's own query (a correlated count
    over the ``case_id`` index for the 26 rows read; not a second query)."""
    survivors = (
        CaseSurvivor.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(survivor_count=Coalesce(Subquery(survivors, output_field=IntegerField()), 0))


def case_page_for_user(
    *,
    actor: User,
    filters: CaseFilters | None = None,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> CasePage:
    """The page of the actor's cases after (or before) a key, newest first; audited as the list."""
    qs = case_list_for_user(actor=actor, filters=filters).only(*LIST_COLUMNS)
    count, capped = _capped_count(qs)
    if count == 0:  # nothing matches: do not walk the whole index looking for a first row
        return CasePage()
    after_key, before_key = parse_case_key(after), parse_case_key(before)
    if before_key is not None:
        newer = seek(qs, ORDER, before_key, forward=False)
        rows = list(_with_survivor_count(newer.order_by("opened_on", "id"))[: size + 1])
        if len(rows) > size:
            rows = rows[:size][::-1]
            return CasePage(rows, count, capped, case_key(rows[-1]), case_key(rows[0]))
        after_key = None  # back at the top: the first page, full
    if after_key is not None:
        qs = seek(qs, ORDER, after_key, forward=True)
    rows = list(_with_survivor_count(qs)[: size + 1])
    page = CasePage(rows[:size], count, capped)
    if len(rows) > size:
        page.next_key = case_key(rows[size - 1])
    if after_key is not None and rows:
        page.previous_key = case_key(rows[0])
    return page
