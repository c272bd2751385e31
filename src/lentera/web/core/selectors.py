"""Read helpers shared by every app's ``selectors`` module.

A selector scopes its query to the actor's organisation itself (that is the rule it owns);
these helpers only write that scope once, narrow it by the filters a list was given, and turn
"no row" into the one error every selector raises for it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from lentera.web.core.services import not_found

__all__ = ["first_or_not_found", "of_organisation", "one_of_organisation"]

M = TypeVar("M", bound=models.Model)


def first_or_not_found(queryset: models.QuerySet[M], message: str | None = None) -> M:
    """The first row of an already scoped ``queryset``; ``not_found`` (with ``message``) if none.

    Outside the organisation and missing are the same answer, so a probe cannot tell them apart.
    """
    row = queryset.first()
    if row is None:
        raise not_found(message)
    return row


def _rows(rows: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    return rows._default_manager.all() if isinstance(rows, type) else rows


def of_organisation(
    rows: type[M] | models.QuerySet[M], organisation_id: int, **given: Any
) -> models.QuerySet[M]:
    """The rows (a model or a queryset) of the organisation, narrowed by every lookup in
    ``given`` whose value is given: an empty string, ``None``, ``False`` or ``0`` leaves it out,
    as a list's blank filter field does."""
    lookups = {key: value for key, value in given.items() if value}
    return _rows(rows).filter(organisation_id=organisation_id, **lookups)


def one_of_organisation(
    rows: type[M] | models.QuerySet[M],
    pk: Any,
    organisation_id: int,
    message: str | None = None,
    *,
    through: str = "",
) -> M:
    """The row ``pk`` of ``rows`` (a model or a queryset) whose organisation is
    ``organisation_id`` — its own, or that of the relation ``through`` (``"case"`` for the rows
    of a case); ``not_found`` with ``message`` when there is none (see :func:`first_or_not_found`)."""
    lookup = f"{through}__organisation_id" if through else "organisation_id"
    return first_or_not_found(_rows(rows).filter(pk=pk, **{lookup: organisation_id}), message)
