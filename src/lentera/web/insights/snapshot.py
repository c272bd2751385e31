"""Export the case store as the de-identified analytics snapshot (``lentera.analytics.snapshot``).

No names, NIK, phone numbers, addresses or free text leave this function: people,
cases, referrals and providers appear under opaque keys (a keyed HMAC of the
primary key, truncated — stable between runs, meaningless outside this
instance), dates as the first day of their month, ages as CTDC age bands. Only
the latest screening and the latest legal assessment of each survivor count. Legal-process
steps keep their code, month and rupiah amount (no document number or note); perpetrators
their kind, sex, nationality and two flags (no name, alias or notes). The contact log,
outreach and reintegration tables (schema 3) come from the sources those apps register in
:mod:`lentera.web.core.snapshot_sources` (insights may not import them: app layers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from django.utils import timezone

from lentera.analytics.snapshot import TABLES, Snapshot, age_band, month_of
from lentera.web.accounts.models import Organisation
from lentera.web.assessments.models import LegalAssessment, Screening
from lentera.web.cases.facts import age_at_offence
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator, TraffickingEvent
from lentera.web.core import crypto
from lentera.web.core.snapshot_sources import sources
from lentera.web.referrals.models import LegalStep, Referral

KEY_CHARS = 24


def opaque_key(kind: str, pk: int) -> str:
    """The opaque key of row ``pk`` of ``kind`` in the snapshot: the kind's initial and a
    truncated keyed HMAC of the primary key (stable between runs, meaningless elsewhere)."""
    return kind[0] + crypto.blind_index(str(pk), purpose=f"analytics-{kind}")[:KEY_CHARS]


#: the old private name, still imported by insights/views.py; remove when that caller moves


def _destination(events: list[TraffickingEvent], origin_country: str) -> str:
    """The country of exploitation, else the last foreign country of the journey."""
    for e in events:
        if e.stage == "exploitation" and e.country:
            return e.country
    foreign = [e.country for e in events if e.country and e.country != (origin_country or "ID")]
    return foreign[-1] if foreign else ""


def _latest(model: Any, org_ids: list[int] | None, case_ids: list[int] | None) -> dict[int, Any]:
    qs = model.objects.all()
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    if case_ids is not None:
        qs = qs.filter(case_survivor__case_id__in=case_ids)
    latest: dict[int, Any] = {}
    fields = ("list_name", "outcome") if model is Screening else ("result",)
    for row in qs.order_by("case_survivor_id", "number").only(
        "case_survivor_id", "number", "created_at", *fields
    ):
        latest[row.case_survivor_id] = row
    return latest


#: primary keys per query when only some units are exported (well under SQLite's limit of
#: bound parameters, and the size of the prefetch queries behind them)
CHUNK = 2000


def _chunks(pks: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def export_snapshot(
    *,
    organisation_codes: list[str] | None = None,
    only: Mapping[str, Collection[int]] | None = None,
) -> Snapshot:
    """The snapshot of the given organisations (all of the instance if None).

    ``only`` (for an incremental warehouse build, :mod:`lentera.web.insights.changes`): the
    primary keys of the units to export by kind (``case``, ``contact``, ``activity``,
    ``plan``); a case brings its survivors, events, latest screening and legal assessment,
    referrals, legal steps and perpetrators, a plan its follow-ups, scores and departures.
    Kinds not named export nothing.
    """
    org_ids = None
    if organisation_codes is not None:
        # not from the cases: an organisation may log contacts or outreach before any case
        org_ids = list(
            Organisation.objects.filter(code__in=organisation_codes).values_list("pk", flat=True)
        )
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if only is None:
        _case_rows(tables, org_ids, None)
    else:
        for chunk in _chunks(only.get("case", ())):
            _case_rows(tables, org_ids, chunk)
    for source in sources().values():
        if only is None:
            parts = [source.rows(org_ids, opaque_key, None)]
        else:
            parts = [
                source.rows(org_ids, opaque_key, c) for c in _chunks(only.get(source.kind, ()))
            ]
        for part in parts:
            for table, rows in part.items():
                tables[table].extend(rows)
    return Snapshot.from_rows(**{name: tables[name] for name in TABLES})


def _case_rows(
    out: dict[str, list[dict[str, Any]]], org_ids: list[int] | None, case_ids: list[int] | None
) -> None:
    """Append the rows of the organisations' cases (of ``case_ids`` only, when given) and of
    what hangs on them to ``out``."""
    cases = Case.objects.select_related("organisation").prefetch_related("events")
    links = CaseSurvivor.objects.select_related("case", "person")
    referrals = Referral.objects.select_related("provider")
    steps = LegalStep.objects.only("case_id", "case_survivor_id", "step", "date", "amount")
    perpetrators = Perpetrator.objects.only(
        "case_id", "kind", "sex", "nationality", "is_state_official", "is_organised_group"
    )
    if org_ids is not None:
        cases = cases.filter(organisation_id__in=org_ids)
        links = links.filter(case__organisation_id__in=org_ids)
        referrals = referrals.filter(organisation_id__in=org_ids)
        steps = steps.filter(organisation_id__in=org_ids)
        perpetrators = perpetrators.filter(case__organisation_id__in=org_ids)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
        links, referrals = (
            links.filter(case_id__in=case_ids),
            referrals.filter(case_id__in=case_ids),
        )
        steps, perpetrators = (
            steps.filter(case_id__in=case_ids),
            perpetrators.filter(case_id__in=case_ids),
        )
    events_by_case: dict[int, list[TraffickingEvent]] = {}
    for case in cases:
        ck = opaque_key("case", case.pk)
        events_by_case[case.pk] = list(case.events.all())
        out["cases"].append({
            "case_key": ck,
            "org_code": case.organisation.code,
            "opened_month": month_of(case.opened_on),
            "closed_month": month_of(case.closed_on) if case.closed_on else None,
            "status": case.status,
            "offence_year": case.offence_date.year if case.offence_date else None,
        })  # fmt: skip
        for e in events_by_case[case.pk]:
            out["events"].append({
                "case_key": ck, "stage": e.stage, "month": month_of(e.date) if e.date else None,
                "country": e.country or "", "region_code": e.region_code or "",
            })  # fmt: skip
    for link in links:
        person = link.person
        age = age_at_offence(link.case, link)
        out["survivors"].append({
            "survivor_key": opaque_key("survivor", link.pk),
            "person_key": opaque_key("person", person.pk),
            "case_key": opaque_key("case", link.case_id),
            "sex": person.sex,
            "age_band": age_band(age if age is not None and 0 <= age <= 130 else None),
            "is_child": None if age is None else age < 18,
            "citizenship": person.citizenship or "",
            "origin_province_code": person.origin_province_code or "",
            "origin_regency_code": person.origin_regency_code or "",
            "trafficking_status": link.trafficking_status,
            "exploitation_types": list(link.exploitation_types or []),
            "sector": link.sector or "",
            "recruitment_method": link.recruitment_method or "",
            "means_of_control": list(link.means_of_control or []),
            "is_migrant_worker": link.is_migrant_worker,
            "destination_country": _destination(
                events_by_case.get(link.case_id, []), person.citizenship
            ),
        })  # fmt: skip
    out["screenings"] += [
        {"survivor_key": opaque_key("survivor", sid), "month": month_of(s.created_at),
         "list": s.list_name, "outcome": s.outcome}
        for sid, s in _latest(Screening, org_ids, case_ids).items()
    ]  # fmt: skip
    for sid, a in _latest(LegalAssessment, org_ids, case_ids).items():
        result = a.result or {}
        out["legal"].append({
            "survivor_key": opaque_key("survivor", sid), "month": month_of(a.created_at),
            "palermo_met": (result.get("palermo") or {}).get("trafficking"),
            "national_met": (result.get("indonesia") or {}).get("tppo"),
            "gap": bool(result.get("gaps")),
        })  # fmt: skip
    today = timezone.localdate()
    for r in referrals:
        days = (
            (r.answered_at - r.sent_at).days if r.answered_at and r.status != "declined" else None
        )
        out["referrals"].append({
            "referral_key": opaque_key("referral", r.pk), "case_key": opaque_key("case", r.case_id),
            "survivor_key": opaque_key("survivor", r.case_survivor_id),
            "provider_key": opaque_key("provider", r.provider_id),
            "provider_type": r.provider.institution_type, "services": list(r.services),
            "created_month": month_of(r.sent_at), "status": r.status,
            "days_to_accept": max(days, 0) if days is not None else None,
            "overdue": r.is_open and r.due_date < today,
        })  # fmt: skip
    out["legal_steps"] += [
        {"case_key": opaque_key("case", st.case_id),
         "survivor_key": opaque_key("survivor", st.case_survivor_id) if st.case_survivor_id else None,
         "step": st.step, "month": month_of(st.date), "amount": st.amount}
        for st in steps.order_by("id")
    ]  # fmt: skip
    out["perpetrators"] += [
        {"perpetrator_key": opaque_key("perpetrator", p.pk), "case_key": opaque_key("case", p.case_id),
         "kind": p.kind, "sex": p.sex, "nationality": p.nationality or "",
         "is_state_official": p.is_state_official, "is_organised_group": p.is_organised_group}
        for p in perpetrators.order_by("id")
    ]  # fmt: skip
