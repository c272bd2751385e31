"""Read helpers shared by every app's ``selectors`` module.

A selector scopes its query to the actor's organisation itself (that is the rule it owns);
these helpers only turn "no row" into the one error every selector raises for it.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from lentera.web.core.services import not_found

__all__ = ["first_or_not_found"]

M = TypeVar("M", bound=models.Model)


def first_or_not_found(queryset: models.QuerySet[M], message: str | None = None) -> M:
    """The first row of an already scoped ``queryset``; ``not_found`` (with ``message``) if none.

    Outside the organisation and missing are the same answer, so a probe cannot tell them apart.
    """
    row = queryset.first()
    if row is None:
        raise not_found(message)
    return row
