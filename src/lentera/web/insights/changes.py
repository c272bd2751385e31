"""What changed in the case store since the organisation's warehouse was built.

The incremental build (:func:`lentera.web.insights.services.rebuild`) asks for the source's
state — one signature per snapshot *unit* (:mod:`lentera.analytics.warehouse_manifest`): a
case with everything the snapshot holds per case, and the contacts, outreach activities and
reintegration plans of the apps that register a snapshot source — and the engine compares it
with the signatures the warehouse was built at.

A unit's signature is a digest of its *change stamps*: the last modification time of every row
its snapshot rows are read from, the row count and sum of primary keys of each kind of part (so
a deleted part, or one put back by an undo with its old time, changes it too) and the values
that change a row without any save:

* a case: the case; per case its survivor links (and the sum of their person ids: a merge
  moves links to another person), the people's last change, events, perpetrators, referrals
  (with their providers' last change — the provider type is in the row — and how many are
  open past their due date today: ``overdue`` turns true with the calendar), legal steps, and
  the screenings and legal assessments (numbered and never edited: count and ids suffice);
* contacts, activities, plans: the stamps their app's source gives (``stamps`` in
  :mod:`lentera.web.core.snapshot_sources`).

The signatures are computed *before* the export: a change committed meanwhile may already be
in the exported rows, but its unit's recorded signature is the older one, so the next build
exports it again — never the other way round.

The source's fingerprint is the organisation's code and a probe of the pseudonym key: a new
blind-index key (key rotation) changes every opaque key, and the build is then a full one.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from lentera.analytics.warehouse_manifest import BuildState
from lentera.web.assessments.models import LegalAssessment, Screening
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator, TraffickingEvent
from lentera.web.core.snapshot_sources import part_stamps, sources, stamp, with_parts
from lentera.web.insights.snapshot import OpaqueKeys, opaque_key
from lentera.web.referrals import choices as referral_choices
from lentera.web.referrals.models import LegalStep, Referral

__all__ = ["case_stamps", "source_state"]

#: the form of the change stamps, part of the source's fingerprint: a warehouse whose
#: signatures were computed from stamps of another form is rebuilt in full (``source_changed``)
#: rather than found changed everywhere (2: modification times as the database's text)
STAMPS = "stamps2"


def case_stamps(org_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """Per case of the organisations: its change stamps (see the module docstring)."""
    in_org = Q(case__organisation_id__in=org_ids)
    today = timezone.localdate()
    overdue = Q(status__in=referral_choices.OPEN_STATUSES, due_date__lt=today)
    cases = Case.objects.filter(organisation_id__in=org_ids).order_by()
    base = {pk: (t,) for pk, t in cases.values_list("pk", stamp("updated_at"))}
    return with_parts(
        base,
        part_stamps(
            CaseSurvivor.objects.filter(in_org), "case_id",
            people=Sum("person_id"), people_t=stamp(Max("person__updated_at")),
        ),
        part_stamps(TraffickingEvent.objects.filter(in_org), "case_id"),
        part_stamps(Perpetrator.objects.filter(in_org), "case_id"),
        part_stamps(
            Referral.objects.filter(organisation_id__in=org_ids), "case_id",
            provider_t=stamp(Max("provider__updated_at")),
            overdue=Count("pk", filter=overdue),
        ),
        part_stamps(LegalStep.objects.filter(organisation_id__in=org_ids), "case_id"),
        _assessments(Screening, org_ids),
        _assessments(LegalAssessment, org_ids),
    )  # fmt: skip


def _assessments(model: Any, org_ids: list[int]) -> dict[int, tuple[Any, ...]]:
    rows = (
        model.objects.filter(organisation_id__in=org_ids)
        .order_by()
        .values("case_survivor__case_id")
        .annotate(n=Count("pk"), s=Sum("pk"))
    )
    return {r["case_survivor__case_id"]: (r["n"], r["s"]) for r in rows}


def _signature(stamps: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(stamps).encode(), digest_size=8).hexdigest()


def source_state(organisation: Any) -> tuple[BuildState, dict[str, dict[str, int]]]:
    """The organisation's source state, and the primary key behind each unit's opaque key
    (by kind), to export the changed ones."""
    org_ids = [organisation.pk]
    stamps = {"case": case_stamps(org_ids)}
    for source in sources().values():
        stamps[source.kind] = dict(source.stamps(org_ids))
    units: dict[str, dict[str, str]] = {}
    pks: dict[str, dict[str, int]] = {}
    key = OpaqueKeys()
    for kind, by_pk in stamps.items():
        keys = {pk: key(kind, pk) for pk in by_pk}
        units[kind] = {keys[pk]: _signature(s) for pk, s in by_pk.items()}
        pks[kind] = {key: pk for pk, key in keys.items()}
    fingerprint = f"{organisation.code}:{opaque_key('probe', 0)}:{STAMPS}"
    return BuildState(source=fingerprint, units=units), pks
