"""Duplicate survivors inside one organisation: find (Splink model of
:mod:`lentera.linkage.dedupe`), explain, merge with undo, or mark as different.

Every step is org-scoped and audited; the audit detail holds record ids and
field names, never names or numbers. Merging moves the merged record's case
links and consents to the kept record, fills the kept record's empty fields and
adds the merged record's names as other names (so a search for either spelling
finds the survivor); the merged record stays, hidden behind ``merged_into``,
until the merge is undone.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.models import (
    CaseSurvivor,
    Consent,
    DuplicateCandidate,
    NotSamePerson,
    Person,
    PersonMerge,
)
from lentera.web.cases.services import PERSON_FIELDS, _write_person_indexes
from lentera.web.core.access import require_case_role

#: match probability from which a pair is shown as a candidate
THRESHOLD = 0.8
#: the intake check warns from this probability
INTAKE_THRESHOLD = 0.5
FILLABLE = ("nik", "birth_date", "phone", "origin_address", "origin_province_code",
            "origin_regency_code", "estimated_age", "age_recorded_on")  # fmt: skip


def _active_persons(organisation_id: int) -> Any:
    return Person.objects.filter(
        organisation_id=organisation_id, merged_into__isnull=True, anonymised_at__isnull=True
    )


def linkage_record(person: Person | dict[str, Any], record_id: str | None = None) -> dict[str, str]:
    """A person (or a dict of person fields) in the ``lentera link`` input layout."""
    get = person.get if isinstance(person, dict) else lambda k, d="": getattr(person, k, d)
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


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _evidence(pair: Any) -> list[list[Any]]:
    return [[e.field, e.level, round(e.match_weight, 2)] for e in pair.explanation]


def duplicates_refresh(*, actor: Any, threshold: float = THRESHOLD) -> int:
    """Re-score every active survivor of the organisation; store the candidate pairs."""
    from lentera.linkage.dedupe import dedupe

    membership = require_case_role(actor)
    org = membership.organisation_id
    persons = list(_active_persons(org))
    refused = set(
        NotSamePerson.objects.filter(organisation_id=org).values_list("person_a_id", "person_b_id")
    )
    # reviewers' "not the same person" decisions are labels: the model learns from them
    labels = [(str(a), str(b), False) for a, b in refused]
    result = dedupe([linkage_record(p) for p in persons], threshold=threshold, labels=labels)
    now = timezone.now()
    rows = []
    for pair in result.pairs:
        a, b = _pair(int(pair.record_id_l), int(pair.record_id_r))
        if (a, b) in refused:
            continue
        rows.append(DuplicateCandidate(
            organisation_id=org, person_a_id=a, person_b_id=b, probability=pair.probability,
            evidence=_evidence(pair), model_version=result.model_version, computed_at=now,
        ))  # fmt: skip
    with transaction.atomic():
        DuplicateCandidate.objects.filter(organisation_id=org).delete()
        DuplicateCandidate.objects.bulk_create(rows)
    audit_log(
        actor=actor,
        action=AuditAction.SEARCH,
        object_type="cases.person",
        detail={"kind": "duplicate_scan", "persons": len(persons), "pairs": len(rows),
                "threshold": threshold, "model": result.model_version},
    )  # fmt: skip
    return len(rows)


def candidates_for_user(*, actor: Any) -> list[DuplicateCandidate]:
    membership = require_case_role(actor)
    return list(
        DuplicateCandidate.objects.filter(
            organisation_id=membership.organisation_id,
            person_a__merged_into__isnull=True,
            person_b__merged_into__isnull=True,
        ).select_related("person_a", "person_b")
    )


def likely_duplicates(
    *, actor: Any, fields: dict[str, Any], threshold: float = INTAKE_THRESHOLD, limit: int = 5
) -> list[tuple[Person, Any]]:
    """Existing survivors that may be the person about to be recorded (intake check)."""
    from lentera.linkage.dedupe import find_candidates

    membership = require_case_role(actor)
    if not (fields.get("full_name") or "").strip():
        return []
    existing = {p.pk: p for p in _prefilter(membership.organisation_id, fields)}
    if not existing:
        return []
    pairs = find_candidates(
        linkage_record(fields, record_id="new"),
        [linkage_record(p) for p in existing.values()],
        threshold=threshold,
    )
    found = [(existing[int(p.record_id_r)], p) for p in pairs if p.probability >= threshold]
    found.sort(key=lambda pp: -pp[1].probability)
    if found:
        audit_log(
            actor=actor, action=AuditAction.SEARCH, object_type="cases.person",
            detail={"kind": "intake_duplicate_check", "found": len(found)},
        )  # fmt: skip
    return found[:limit]


def _prefilter(organisation_id: int, fields: dict[str, Any]) -> list[Person]:
    """Survivors sharing a name token, the NIK or the phone: the pool the model scores.

    Small organisations are scored in full; large ones through the blind indexes, so
    an intake check never decrypts thousands of records.
    """
    from lentera.web.cases.models import PersonNameToken
    from lentera.web.cases.services import name_token_hashes, nik_hash

    pool = _active_persons(organisation_id)
    if pool.count() <= 2000:
        return list(pool)
    hashes = name_token_hashes(fields.get("full_name", ""), fields.get("other_names", ""))
    cond = Q(pk__in=PersonNameToken.objects.filter(
        organisation_id=organisation_id, token_hash__in=hashes).values("person_id"))  # fmt: skip
    if fields.get("nik"):
        cond |= Q(nik_index=nik_hash(fields["nik"]))
    return list(pool.filter(cond)[:2000])


def _own(actor: Any, *persons: Person) -> Any:
    membership = require_case_role(actor)
    for p in persons:
        if p.organisation_id != membership.organisation_id:
            raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    return membership


@transaction.atomic
def person_merge(*, actor: Any, kept: Person, merged: Person) -> PersonMerge:
    """Merge ``merged`` into ``kept``; undo with :func:`merge_undo`."""
    membership = _own(actor, kept, merged)
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise LenteraError("same_person", _("Choose two different records."))
    if kept.merged_into_id or merged.merged_into_id:
        raise LenteraError(
            "already_merged", _("One of these records was already merged."), kind="conflict"
        )
    if kept.anonymised_at or merged.anonymised_at:
        raise LenteraError("anonymised", _("An anonymised record cannot be merged."))
    shared = set(CaseSurvivor.objects.filter(person=kept).values_list("case_id", flat=True)) & set(
        CaseSurvivor.objects.filter(person=merged).values_list("case_id", flat=True)
    )
    if shared:
        raise LenteraError(
            "same_case",
            _("Both records are survivors in the same case; remove one from that case first."),
            kind="conflict",
        )
    before = {f: getattr(kept, f) for f in PERSON_FIELDS}
    before = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in before.items()}
    filled = []
    for f in FILLABLE:
        if getattr(kept, f) in (None, "") and getattr(merged, f) not in (None, ""):
            setattr(kept, f, getattr(merged, f))
            filled.append(f)
    aliases = [kept.other_names] if kept.other_names else []
    for name in (merged.full_name, merged.other_names):
        if name and name not in kept.full_name and all(name not in a for a in aliases):
            aliases.append(name)
    if aliases != ([kept.other_names] if kept.other_names else []):
        kept.other_names = "; ".join(aliases)
        filled.append("other_names")
    kept.version += 1
    kept.save()
    _write_person_indexes(kept)
    links = list(CaseSurvivor.objects.filter(person=merged).values_list("pk", flat=True))
    consents = list(Consent.objects.filter(person=merged).values_list("pk", flat=True))
    CaseSurvivor.objects.filter(pk__in=links).update(person=kept)
    Consent.objects.filter(pk__in=consents).update(person=kept)
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, version=merged.version + 1)
    record = PersonMerge.objects.create(
        organisation_id=membership.organisation_id, kept=kept, merged=merged,
        moved_links=links, moved_consents=consents, filled_fields=filled,
        kept_before=json.dumps(before, ensure_ascii=False), kept_version=kept.version,
        merged_by=actor,
    )  # fmt: skip
    DuplicateCandidate.objects.filter(Q(person_a=merged) | Q(person_b=merged)).delete()
    _refresh_cases(links)
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=kept,
        detail={"merge": record.pk, "merged_person": merged.pk, "moved_links": links,
                "moved_consents": consents, "filled_fields": filled},
    )  # fmt: skip
    return record


@transaction.atomic
def merge_undo(*, actor: Any, merge: PersonMerge) -> PersonMerge:
    """Put everything back as it was before the merge (if the kept record is unchanged since)."""
    _own(actor, merge.kept)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise LenteraError("already_undone", _("This merge was already undone."), kind="conflict")
    kept = Person.objects.select_for_update().get(pk=merge.kept_id)
    if kept.version != merge.kept_version:
        raise LenteraError(
            "changed_since",
            _(
                "The survivor's record was edited after the merge; undo it by hand or edit back first."
            ),
            kind="conflict",
        )
    import datetime as dt

    before = json.loads(merge.kept_before or "{}")
    for f, v in before.items():
        if f in ("birth_date", "age_recorded_on") and v:
            v = dt.date.fromisoformat(v)
        setattr(kept, f, v)
    kept.version += 1
    kept.save()
    _write_person_indexes(kept)
    CaseSurvivor.objects.filter(pk__in=merge.moved_links).update(person_id=merge.merged_id)
    Consent.objects.filter(pk__in=merge.moved_consents).update(person_id=merge.merged_id)
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    _refresh_cases(merge.moved_links)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=kept,
        detail={"merge_undone": merge.pk, "merged_person": merge.merged_id},
    )  # fmt: skip
    return merge


def _refresh_cases(link_ids: list[int]) -> None:
    from lentera.web.cases.models import Case
    from lentera.web.cases.services import refresh_case_indexes

    case_ids = set(CaseSurvivor.objects.filter(pk__in=link_ids).values_list("case_id", flat=True))
    for case in Case.objects.filter(pk__in=case_ids):
        refresh_case_indexes(case)


def mark_not_same(*, actor: Any, a: Person, b: Person) -> NotSamePerson:
    membership = _own(actor, a, b)
    low, high = _pair(a.pk, b.pk)
    row, _created = NotSamePerson.objects.get_or_create(
        person_a_id=low, person_b_id=high,
        defaults={"organisation_id": membership.organisation_id, "decided_by": actor},
    )  # fmt: skip
    DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).delete()
    audit_log(
        actor=actor, action=AuditAction.UPDATE, object_type="cases.person", object_id=low,
        detail={"not_same_person": high},
    )  # fmt: skip
    return row
