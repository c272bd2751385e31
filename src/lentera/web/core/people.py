"""How a user is named on a page: the full name, the username only when no name was given.

One helper for every place a person is shown (a history line, a responsible worker, the
audit log, a select of workers), so that nobody reads "ntt_worker2" where a name belongs.
When two users of one list share a name, :func:`person_labels` adds the username to tell
them apart ("Yulia Dewi (yulia.d)").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any


def person_name(user: Any) -> str:
    """ "Yulia Dewi" (first and last name), or the username when no name was recorded."""
    if user is None:
        return ""
    full = " ".join(
        p for p in (getattr(user, "first_name", ""), getattr(user, "last_name", "")) if p
    ).strip()
    return full or getattr(user, "username", "") or str(user)


def person_labels(users: Iterable[Any]) -> dict[Any, str]:
    """Each user's name by primary key; a name two users share gets the username added."""
    users = list(users)
    counts = Counter(person_name(u).casefold() for u in users)
    labels = {}
    for user in users:
        name = person_name(user)
        if counts[name.casefold()] > 1 and name != user.username:
            name = f"{name} ({user.username})"
        labels[user.pk] = name
    return labels
