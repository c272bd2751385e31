"""What of the accounts app can hold a survivor's identity (see :mod:`lentera.web.core.identity`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lentera.web.accounts.models import FormDraft
from lentera.web.core.identity import declare


def _drafts(person_ids: list[int], case_ids: list[int]) -> QuerySet[Any]:
    # A draft of a page about one of the survivor's cases or about the survivor; a draft whose
    # address names neither (a new case, an edited survivor link) may name anyone, so it goes too.
    return FormDraft.objects.filter(
        Q(case_id__in=case_ids)
        | Q(person_id__in=person_ids)
        | Q(case_id__isnull=True, person_id__isnull=True)
    )


declare(
    "accounts.FormDraft",
    fields=("data",),
    delete=True,
    select=_drafts,
    why="what a user typed into a form when their session expired (kept 24 hours)",
)
