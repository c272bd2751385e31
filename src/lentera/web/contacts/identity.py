"""Where the contact log holds identity (see :mod:`lentera.web.core.identity`).

A contact that became a case is reached through that case: anonymising a survivor of the
case erases the words, the caller's name and number, the notes and the employer/agency of
every contact linked to it. A contact that never became a case names no recorded survivor.
"""

from __future__ import annotations

from lentera.web.core.identity import declare

CONTACT_IDENTITY_FIELDS = ("concern", "caller_name", "caller_phone", "notes", "employer_agency")

declare(
    "contacts.Contact",
    case="case",
    fields=CONTACT_IDENTITY_FIELDS,
    why="a caller's words, name and number; the employer or agency as the family gave it",
)
