"""Reads for duplicate survivors: the stored candidate pairs, merges, and "is this new survivor
(or this import row) someone we already have?" (:func:`existing_matches`).

The model is :mod:`lentera.linkage.dedupe` (Splink-style); the writes (re-score, merge, undo,
"not the same person") are in :mod:`lentera.web.cases.services.duplicates`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lentera.linkage.dedupe import dedupe, find_candidates
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.blind_index import name_token_hashes, nik_hash
from lentera.web.cases.models import (
    CaseSurvivor,
    DuplicateCandidate,
    Person,
    PersonMerge,
    PersonNameToken,
)
from lentera.web.core.access import require_case_role
from lentera.web.core.selectors import one_of_organisation

__all__ = [
    "INTAKE_THRESHOLD",
    "THRESHOLD",
    "active_persons",
    "candidates_for_user",
    "case_references_of",
    "duplicate_review_for_user",
    "existing_matches",
    "likely_duplicates",
    "linkage_record",
    "merge_get_for_user",
    "merges_for_user",
]

#: match probability from which a pair is shown as a candidate (and an import row is flagged)
THRESHOLD = 0.8
#: the intake check warns from this probability
INTAKE_THRESHOLD = 0.5
#: an organisation up to this size is scored in full; a larger one through the blind indexes
PREFILTER_FROM = 2000


def active_persons(organisation_id: int) -> QuerySet[Person]:
    """The organisation's survivors that are neither merged away nor anonymised."""
    return Person.objects.filter(
        organisation_id=organisation_id, merged_into__isnull=True, anonymised_at__isnull=True
    )


def linkage_record(
    person: Person | Mapping[str, Any], record_id: str | None = None
) -> dict[str, str]:
    """A person (or a mapping of person fields) in the ``lentera link`` input layout."""
    get = person.get if isinstance(person, Mapping) else lambda k, d="": getattr(person, k, d)
    birth = get("birth_date", None)
    return {
        "record_id": record_id or str(getattr(person, "pk", "new")),
        "full_name": " ".join(x for x in (get("full_name", "") or "",) if x),
        "birth_date": birth.isoformat() if birth else "",
        "sex": {"female": "F", "male": "M"}.get(get("sex", "") or "", ""),
        "nik": get("nik", "") or "",
        "birth_place": "",
        "origin_regency_code": get("origin_regency_code", "") or "",
        "phone": get("phone", "") or "",
    }


def candidates_for_user(*, actor: User) -> list[DuplicateCandidate]:
    """The stored candidate pairs of the organisation (both records still active)."""
    membership = require_case_role(actor)
    return list(
        DuplicateCandidate.objects.filter(
            organisation_id=membership.organisation_id,
            person_a__merged_into__isnull=True,
            person_b__merged_into__isnull=True,
        ).select_related("person_a", "person_b")
    )


def merges_for_user(*, actor: User, limit: int = 20) -> list[PersonMerge]:
    """The organisation's merges that can still be undone."""
    membership = require_case_role(actor)
    return list(
        PersonMerge.objects.filter(
            organisation_id=membership.organisation_id, undone_at__isnull=True
        ).select_related("kept", "merged")[:limit]
    )


def duplicate_review_for_user(*, actor: User) -> tuple[list[DuplicateCandidate], list[PersonMerge]]:
    """The review page's candidate pairs and undoable merges; audited as a read of every
    survivor shown."""
    candidates = candidates_for_user(actor=actor)
    merges = merges_for_user(actor=actor)
    shown = {p for c in candidates for p in (c.person_a_id, c.person_b_id)}
    shown |= {p for m in merges for p in (m.kept_id, m.merged_id)}
    audit_log(
        actor=actor,
        action=AuditAction.READ,
        object_type="cases.person",
        detail={"page": "duplicates", "ids": sorted(shown)},
    )
    return candidates, merges


def merge_get_for_user(*, actor: User, merge_id: int | str) -> PersonMerge:
    """One merge of the organisation."""
    membership = require_case_role(actor)
    return one_of_organisation(
        PersonMerge, merge_id, membership.organisation_id, _("Record not found.")
    )


def case_references_of(person_ids: list[int]) -> dict[int, set[str]]:
    """The case numbers each person is a survivor in."""
    refs: dict[int, set[str]] = {}
    for person_id, reference in CaseSurvivor.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "case__reference"
    ):
        refs.setdefault(person_id, set()).add(reference)
    return refs


def _prefilter(organisation_id: int, fields: Mapping[str, Any]) -> tuple[list[Person], int]:
    """Survivors sharing a name token or the NIK: the pool the model scores, and how many
    active survivors the organisation has (the data set the pool is drawn from).

    Small organisations are scored in full; large ones through the blind indexes, so
    an intake check never decrypts thousands of records.
    """
    pool = active_persons(organisation_id)
    size = pool.count()
    if size <= PREFILTER_FROM:
        return list(pool), size
    hashes = name_token_hashes(fields.get("full_name", ""), fields.get("other_names", ""))
    tokens = PersonNameToken.objects.filter(organisation_id=organisation_id, token_hash__in=hashes)
    cond = Q(pk__in=tokens.values("person_id"))
    if fields.get("nik"):
        cond |= Q(nik_index=nik_hash(fields["nik"]))
    return list(pool.filter(cond)[:PREFILTER_FROM]), size


def existing_matches(
    organisation_id: int,
    new: Mapping[str, Mapping[str, Any]],
    *,
    threshold: float,
    batch: bool = False,
) -> dict[str, list[tuple[Person, Any]]]:
    """The organisation's active survivors each new record may be: key → [(person, pair)].

    ``new`` maps a caller's key to person fields. Without ``batch``, one record (the intake
    check on the survivor form) is scored against the pool of :func:`_prefilter`; with
    ``batch`` (an import file), every record is scored in one linkage run over the
    organisation's survivors plus the new records, so the model adapts to the whole set. Pairs
    of two new records, or of two existing survivors, are not reported. Strongest match first.
    """
    if not new:
        return {}
    if not batch:
        ((key, fields),) = new.items()
        pool, size = _prefilter(organisation_id, fields)
        existing = {p.pk: p for p in pool}
        if not existing:
            return {}
        pairs = find_candidates(  # the prior: one new record among all the survivors
            linkage_record(fields, record_id="new"),
            [linkage_record(p) for p in existing.values()],
            threshold=threshold,
            n_records=size + 1,
        )
        found = [(existing[int(p.record_id_r)], p) for p in pairs if p.probability >= threshold]
    else:
        existing = {p.pk: p for p in active_persons(organisation_id)}
        if not existing:
            return {}
        data = [linkage_record(p, record_id=f"p{pk}") for pk, p in existing.items()]
        data += [linkage_record(fields, record_id=f"r{k}") for k, fields in new.items()]
        result = dedupe(data, threshold=threshold)
        by_key: dict[str, list[tuple[Person, Any]]] = {}
        for pair in result.pairs:
            ids = {pair.record_id_l, pair.record_id_r}
            person = next((i for i in ids if i.startswith("p")), None)
            row = next((i for i in ids if i.startswith("r")), None)
            if person and row:
                by_key.setdefault(row[1:], []).append((existing[int(person[1:])], pair))
        for matches in by_key.values():
            matches.sort(key=lambda pp: -pp[1].probability)
        return by_key
    found.sort(key=lambda pp: -pp[1].probability)
    return {key: found} if found else {}


def likely_duplicates(
    *, actor: User, fields: Mapping[str, Any], threshold: float = INTAKE_THRESHOLD, limit: int = 5
) -> list[tuple[Person, Any]]:
    """Existing survivors that may be the person about to be recorded (intake check); audited."""
    membership = require_case_role(actor)
    if not (fields.get("full_name") or "").strip():
        return []
    found = existing_matches(membership.organisation_id, {"new": fields}, threshold=threshold).get(
        "new", []
    )
    if found:
        audit_log(
            actor=actor,
            action=AuditAction.SEARCH,
            object_type="cases.person",
            detail={"kind": "intake_duplicate_check", "found": len(found)},
        )
    return found[:limit]
