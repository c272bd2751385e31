"""Duplicate survivors inside one organisation: re-score, merge with undo, or mark as different.

Every step is org-scoped and audited; the audit detail holds record ids and field names,
never names or numbers. Merging moves the merged record's case links and consents to the
kept record, fills the kept record's empty fields and adds the merged record's names as
other names (so a search for either spelling finds the survivor); the merged record stays,
hidden behind ``merged_into``, until the merge is undone. The reads (candidates, the intake
check) are in :mod:`lentera.web.cases.selectors.duplicates`.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.linkage.dedupe import dedupe
from lentera.web.accounts.models import Membership, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.blind_index import write_person_indexes
from lentera.web.cases.fields import PERSON_FIELDS
from lentera.web.cases.models import (
    Case,
    CaseSurvivor,
    Consent,
    DuplicateCandidate,
    NotSamePerson,
    Person,
    PersonMerge,
)
from lentera.web.cases.selectors.duplicates import THRESHOLD, active_persons, linkage_record
from lentera.web.cases.services.cases import refresh_case_indexes
from lentera.web.core.access import require_case_role
from lentera.web.core.services import not_found

__all__ = ["duplicates_refresh", "mark_not_same", "merge_undo", "person_merge"]

#: the fields a merge fills on the kept record when it has none and the merged record has one
FILLABLE = (
    "nik",
    "birth_date",
    "phone",
    "origin_address",
    "origin_province_code",
    "origin_regency_code",
    "estimated_age",
    "age_recorded_on",
)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def duplicates_refresh(*, actor: User, threshold: float = THRESHOLD) -> int:
    """Re-score every active survivor of the organisation; store the candidate pairs."""
    membership = require_case_role(actor)
    org = membership.organisation_id
    persons = list(active_persons(org))
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
        rows.append(
            DuplicateCandidate(
                organisation_id=org,
                person_a_id=a,
                person_b_id=b,
                probability=pair.probability,
                evidence=[[e.field, e.level, round(e.match_weight, 2)] for e in pair.explanation],
                model_version=result.model_version,
                computed_at=now,
            )
        )
    with transaction.atomic():
        DuplicateCandidate.objects.filter(organisation_id=org).delete()
        DuplicateCandidate.objects.bulk_create(rows)
    audit_log(
        actor=actor,
        action=AuditAction.SEARCH,
        object_type="cases.person",
        detail={
            "kind": "duplicate_scan",
            "persons": len(persons),
            "pairs": len(rows),
            "threshold": threshold,
            "model": result.model_version,
        },
    )
    return len(rows)


def _own(actor: User, *persons: Person) -> Membership:
    membership = require_case_role(actor)
    for p in persons:
        if p.organisation_id != membership.organisation_id:
            raise not_found(_("Survivor not found."))
    return membership


@transaction.atomic
def person_merge(*, actor: User, kept: Person, merged: Person) -> PersonMerge:
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
    write_person_indexes(kept)
    links = list(CaseSurvivor.objects.filter(person=merged).values_list("pk", flat=True))
    consents = list(Consent.objects.filter(person=merged).values_list("pk", flat=True))
    CaseSurvivor.objects.filter(pk__in=links).update(person=kept, updated_at=timezone.now())
    Consent.objects.filter(pk__in=consents).update(person=kept)
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, version=merged.version + 1)
    record = PersonMerge.objects.create(
        organisation_id=membership.organisation_id,
        kept=kept,
        merged=merged,
        moved_links=links,
        moved_consents=consents,
        filled_fields=filled,
        kept_before=json.dumps(before, ensure_ascii=False),
        kept_version=kept.version,
        merged_by=actor,
    )
    DuplicateCandidate.objects.filter(Q(person_a=merged) | Q(person_b=merged)).delete()
    _refresh_cases(links)
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=kept,
        detail={
            "merge": record.pk,
            "merged_person": merged.pk,
            "moved_links": links,
            "moved_consents": consents,
            "filled_fields": filled,
        },
    )
    return record


@transaction.atomic
def merge_undo(*, actor: User, merge: PersonMerge) -> PersonMerge:
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
    before = json.loads(merge.kept_before or "{}")
    for f, v in before.items():
        if f in ("birth_date", "age_recorded_on") and v:
            v = dt.date.fromisoformat(v)
        setattr(kept, f, v)
    kept.version += 1
    kept.save()
    write_person_indexes(kept)
    CaseSurvivor.objects.filter(pk__in=merge.moved_links).update(
        person_id=merge.merged_id, updated_at=timezone.now()
    )
    Consent.objects.filter(pk__in=merge.moved_consents).update(person_id=merge.merged_id)
    Person.objects.filter(pk=merge.merged_id).update(merged_into=None)
    _refresh_cases(merge.moved_links)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=kept,
        detail={"merge_undone": merge.pk, "merged_person": merge.merged_id},
    )
    return merge


def _refresh_cases(link_ids: list[int]) -> None:
    case_ids = set(CaseSurvivor.objects.filter(pk__in=link_ids).values_list("case_id", flat=True))
    for case in Case.objects.filter(pk__in=case_ids):
        refresh_case_indexes(case)


def mark_not_same(*, actor: User, a: Person, b: Person) -> NotSamePerson:
    """Record that two survivors are different people: the pair is not proposed again."""
    membership = _own(actor, a, b)
    low, high = _pair(a.pk, b.pk)
    row, _created = NotSamePerson.objects.get_or_create(
        person_a_id=low,
        person_b_id=high,
        defaults={"organisation_id": membership.organisation_id, "decided_by": actor},
    )
    DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).delete()
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="cases.person",
        object_id=low,
        detail={"not_same_person": high},
    )
    return row
