"""Where the case store holds a survivor's identity (see :mod:`lentera.web.core.identity`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from lentera.web.cases import attachment_files
from lentera.web.core.identity import declare, declare_not_identity

PERSON_IDENTITY_FIELDS = (
    "full_name",
    "other_names",
    "nik",
    "birth_date",
    "phone",
    "origin_address",
    "guardian_name",
)


def _erase_person(person: Any) -> None:
    """The person record itself: names, NIK (and its blind index), birth date, contact, address."""
    person.full_name = f"ANONIM-{person.pk}"
    person.other_names = ""
    person.nik = ""
    person.nik_index = ""
    person.birth_date = None
    person.phone = ""
    person.origin_address = ""
    person.guardian_name = ""
    person.save(update_fields=[*PERSON_IDENTITY_FIELDS, "nik_index"])


def _select_persons(person_ids: list[int], case_ids: list[int]) -> Any:
    from lentera.web.cases.models import Person

    return Person.objects.filter(pk__in=person_ids)


def _clear_kept_before(merge: Any) -> None:
    # the kept record's identity before the merge; undo then restores nothing personal
    merge.kept_before = ""
    merge.save(update_fields=["kept_before"])


def _delete_attachment_file(attachment: Any) -> None:
    path = attachment_files.path_of(attachment.storage_name)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


declare(
    "cases.Person",
    select=_select_persons,
    scrub=_erase_person,
    scrubbed=(*PERSON_IDENTITY_FIELDS, "nik_index"),
    why="the survivor's record and every record merged into it (the same human)",
)
declare(
    "cases.PersonNameToken",
    person=("person",),
    delete=True,
    why="blind index of name tokens: a keyed hash still matches the name",
)
declare(
    "cases.DuplicateCandidate",
    person=("person_a", "person_b"),
    delete=True,
    why="a proposed pair shows both records side by side",
)
declare(
    "cases.PersonMerge",
    person=("kept", "merged"),
    scrub=_clear_kept_before,
    scrubbed=("kept_before",),
    why="merge history: the kept record's identity before the merge",
)
declare(
    "cases.Consent",
    person=("person",),
    fields=("note", "signer_name"),
    why="consent notes and who signed (a parent or guardian names the child's family)",
)
declare(
    "cases.CaseSurvivor",
    person=("person",),
    fields=("other_specified", "current_location"),
    why="free text a caseworker types: where the survivor is now, what 'Other' was",
)
declare(
    "cases.Case",
    case="pk",
    fields=("summary", "closure_reason"),
    why="case narratives name the people in the case",
)
declare("cases.CaseNote", case="case", fields=("body",), why="case timeline notes")
declare(
    "cases.TraffickingEvent",
    case="case",
    fields=("place", "description"),
    why="event places and descriptions",
)
declare(
    "cases.Perpetrator",
    case="case",
    fields=("name", "notes", "other_specified"),
    why="perpetrator names and notes often name the survivor or their family",
)
declare(
    "cases.Attachment",
    case="case",
    delete=True,
    scrub=_delete_attachment_file,
    why="attached documents (identity cards, statements), their file names and descriptions",
)
declare_not_identity(
    ["cases.CaseSurvivor." + f for f in (
        "exploitation_types", "sex_exploitation_types", "recruitment_apps", "means_of_control",
        "acts", "means", "harm",
    )] + ["cases.PersonMerge." + f for f in ("moved_links", "moved_consents", "filled_fields")]
    + ["cases.DuplicateCandidate.evidence", "cases.Consent.shared_fields", "cases.Perpetrator.roles"],
    "codes, record ids and field names only (kept for statistics and undo)",
)  # fmt: skip
declare(
    "cases.DeletedRow",
    case="case",
    person=("person_id",),
    fields=("rows",),
    delete=True,
    why="a copy of deleted rows kept for ten minutes so the deletion can be undone",
)
