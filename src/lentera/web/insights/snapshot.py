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
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from django.db.models import Case as When_
from django.db.models import F, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from lentera.analytics.snapshot import TABLES, Snapshot, age_band, month_of
from lentera.web.accounts.models import Organisation
from lentera.web.assessments.models import LegalAssessment, Screening
from lentera.web.cases.facts import age_from
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator, Person, TraffickingEvent
from lentera.web.core import crypto
from lentera.web.core.snapshot_sources import sources
from lentera.web.referrals import choices as referral_choices
from lentera.web.referrals.models import LegalStep, Referral

KEY_CHARS = 24


def opaque_key(kind: str, pk: int) -> str:
    """The opaque key of row ``pk`` of ``kind`` in the snapshot: the kind's initial and a
    truncated keyed HMAC of the primary key (stable between runs, meaningless elsewhere)."""
    return kind[0] + crypto.blind_index(str(pk), purpose=f"analytics-{kind}")[:KEY_CHARS]


class OpaqueKeys:
    """:func:`opaque_key` for many rows: one prepared HMAC per kind (the same keys)."""

    def __init__(self) -> None:
        self._index: dict[str, Callable[[str], str]] = {}

    def __call__(self, kind: str, pk: int) -> str:
        index = self._index.get(kind)
        if index is None:
            index = self._index[kind] = crypto.blind_indexer(purpose=f"analytics-{kind}")
        return kind[0] + index(str(pk))[:KEY_CHARS]


def _destination(events: list[tuple[str, str]], origin_country: str) -> str:
    """The country of exploitation, else the last foreign country of the journey
    (``events``: (stage, country) in the journey's order)."""
    for stage, country in events:
        if stage == "exploitation" and country:
            return country
    foreign = [c for _stage, c in events if c and c != (origin_country or "ID")]
    return foreign[-1] if foreign else ""


def _latest(
    model: Any, org_ids: list[int] | None, case_ids: list[int] | None
) -> dict[int, tuple[Any, ...]]:
    """Per survivor link: (created_at, fields…) of its highest-numbered row of ``model``."""
    qs = model.objects.all()
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    if case_ids is not None:
        qs = qs.filter(case_survivor__case_id__in=case_ids)
    fields = ("list_name", "outcome") if model is Screening else ("result",)
    latest: dict[int, tuple[Any, ...]] = {}
    rows = qs.order_by("case_survivor_id", "number").values_list(
        "case_survivor_id", "created_at", *fields
    )
    for sid, *row in rows.iterator(chunk_size=ITER_CHUNK):
        latest[sid] = tuple(row)
    return latest


#: primary keys per query when only some units are exported (well under SQLite's limit of
#: bound parameters, and the size of the prefetch queries behind them)
CHUNK = 2000
#: rows fetched per round trip when streaming a whole table
ITER_CHUNK = 5000


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

    Read as columns of plain values (no model instances); of the encrypted fields only the
    date of birth is decrypted, and only where the age band needs it (no age at offence
    recorded, an offence date known). A fixed number of queries per chunk of units.
    """
    org_ids = None
    if organisation_codes is not None:
        # not from the cases: an organisation may log contacts or outreach before any case
        org_ids = list(
            Organisation.objects.filter(code__in=organisation_codes).values_list("pk", flat=True)
        )
    key = OpaqueKeys()
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if only is None:
        _case_rows(tables, org_ids, None, key)
    else:
        for chunk in _chunks(only.get("case", ())):
            _case_rows(tables, org_ids, chunk, key)
    for source in sources().values():
        if only is None:
            parts = [source.rows(org_ids, key, None)]
        else:
            parts = [source.rows(org_ids, key, c) for c in _chunks(only.get(source.kind, ()))]
        for part in parts:
            for table, rows in part.items():
                tables[table].extend(rows)
    return Snapshot.from_records(**{name: tables[name] for name in TABLES})


def _scoped(
    qs: Any, org_ids: list[int] | None, case_ids: list[int] | None, org: str, case: str
) -> Any:
    if org_ids is not None:
        qs = qs.filter(**{f"{org}__in": org_ids})
    if case_ids is not None:
        qs = qs.filter(**{f"{case}__in": case_ids})
    return qs


def _case_rows(
    out: dict[str, list[dict[str, Any]]],
    org_ids: list[int] | None,
    case_ids: list[int] | None,
    key: OpaqueKeys,
) -> None:
    """Append the rows of the organisations' cases (of ``case_ids`` only, when given) and of
    what hangs on them to ``out``."""
    cases = _scoped(Case.objects.all(), org_ids, case_ids, "organisation_id", "pk")
    events = _scoped(
        TraffickingEvent.objects.all(), org_ids, case_ids, "case__organisation_id", "case_id"
    )
    journeys: dict[int, list[tuple[str, str, Any, str]]] = defaultdict(list)
    for case_id, stage, date, country, region in (
        events.order_by("case_id", "date", "id")
        .values_list("case_id", "stage", "date", "country", "region_code")
        .iterator(chunk_size=ITER_CHUNK)
    ):
        journeys[case_id].append((stage, country or "", date, region or ""))
    rows = cases.values_list(
        "pk", "organisation__code", "opened_on", "closed_on", "status", "offence_date"
    )  # in the cases' order (newest first), their events in the journey's order
    for pk, org_code, opened, closed, status, offence in rows.iterator(chunk_size=ITER_CHUNK):
        ck = key("case", pk)
        out["cases"].append({
            "case_key": ck, "org_code": org_code, "opened_month": month_of(opened),
            "closed_month": month_of(closed) if closed else None, "status": status,
            "offence_year": offence.year if offence else None,
        })  # fmt: skip
        for stage, country, date, region in journeys.get(pk, ()):
            out["events"].append({
                "case_key": ck, "stage": stage, "month": month_of(date) if date else None,
                "country": country, "region_code": region,
            })  # fmt: skip
    _survivor_rows(out, org_ids, case_ids, key, journeys)
    out["screenings"] += [
        {"survivor_key": key("survivor", sid), "month": month_of(created),
         "list": list_name, "outcome": outcome}
        for sid, (created, list_name, outcome) in _latest(Screening, org_ids, case_ids).items()
    ]  # fmt: skip
    for sid, (created, result) in _latest(LegalAssessment, org_ids, case_ids).items():
        result = result or {}
        out["legal"].append({
            "survivor_key": key("survivor", sid), "month": month_of(created),
            "palermo_met": (result.get("palermo") or {}).get("trafficking"),
            "national_met": (result.get("indonesia") or {}).get("tppo"),
            "gap": bool(result.get("gaps")),
        })  # fmt: skip
    _referral_rows(out, org_ids, case_ids, key)


#: the date of birth, still encrypted, of the links whose age band needs it
_BIRTH_CIPHERTEXT = When_(
    When(
        age_at_offence__isnull=True,
        case__offence_date__isnull=False,
        then=Cast(F("person__birth_date"), TextField()),
    ),
    default=Value(None),
    output_field=TextField(),
)


def _survivor_rows(
    out: dict[str, list[dict[str, Any]]],
    org_ids: list[int] | None,
    case_ids: list[int] | None,
    key: OpaqueKeys,
    journeys: Mapping[int, list[tuple[str, str, Any, str]]],
) -> None:
    links = _scoped(
        CaseSurvivor.objects.all(), org_ids, case_ids, "case__organisation_id", "case_id"
    )
    birth_field = Person._meta.get_field("birth_date")
    rows = links.annotate(birth=_BIRTH_CIPHERTEXT).values_list(
        "pk", "person_id", "case_id", "person__sex", "person__citizenship",
        "person__origin_province_code", "person__origin_regency_code", "trafficking_status",
        "exploitation_types", "sector", "recruitment_method", "means_of_control",
        "is_migrant_worker", "age_at_offence", "case__offence_date", "person__estimated_age",
        "person__age_recorded_on", "birth",
    )  # fmt: skip
    for (pk, person_id, case_id, sex, citizenship, province, regency, status, types, sector,
         recruitment, means, migrant, recorded, offence, estimated, recorded_on,
         birth) in rows.iterator(chunk_size=ITER_CHUNK):  # fmt: skip
        if recorded is not None:
            age = recorded
        else:
            birth_date = birth_field.from_db_value(birth, None, None) if birth else None
            age = age_from(offence, birth_date, estimated, recorded_on)
        out["survivors"].append({
            "survivor_key": key("survivor", pk),
            "person_key": key("person", person_id),
            "case_key": key("case", case_id),
            "sex": sex,
            "age_band": age_band(age if age is not None and 0 <= age <= 130 else None),
            "is_child": None if age is None else age < 18,
            "citizenship": citizenship or "",
            "origin_province_code": province or "",
            "origin_regency_code": regency or "",
            "trafficking_status": status,
            "exploitation_types": list(types or []),
            "sector": sector or "",
            "recruitment_method": recruitment or "",
            "means_of_control": list(means or []),
            "is_migrant_worker": migrant,
            "destination_country": _destination(
                [(stage, country) for stage, country, _d, _r in journeys.get(case_id, ())],
                citizenship,
            ),
        })  # fmt: skip


def _referral_rows(
    out: dict[str, list[dict[str, Any]]],
    org_ids: list[int] | None,
    case_ids: list[int] | None,
    key: OpaqueKeys,
) -> None:
    referrals = _scoped(Referral.objects.all(), org_ids, case_ids, "organisation_id", "case_id")
    steps = _scoped(LegalStep.objects.all(), org_ids, case_ids, "organisation_id", "case_id")
    perpetrators = _scoped(
        Perpetrator.objects.all(), org_ids, case_ids, "case__organisation_id", "case_id"
    )
    today = timezone.localdate()
    rows = referrals.values_list(
        "pk", "case_id", "case_survivor_id", "provider_id", "provider__institution_type",
        "services", "sent_at", "answered_at", "status", "due_date",
    )  # fmt: skip
    for (pk, case_id, sid, provider_id, provider_type, services, sent, answered, status,
         due) in rows.iterator(chunk_size=ITER_CHUNK):  # fmt: skip
        days = (answered - sent).days if answered and status != "declined" else None
        out["referrals"].append({
            "referral_key": key("referral", pk), "case_key": key("case", case_id),
            "survivor_key": key("survivor", sid), "provider_key": key("provider", provider_id),
            "provider_type": provider_type, "services": list(services),
            "created_month": month_of(sent), "status": status,
            "days_to_accept": max(days, 0) if days is not None else None,
            "overdue": status in referral_choices.OPEN_STATUSES and due < today,
        })  # fmt: skip
    out["legal_steps"] += [
        {"case_key": key("case", case_id),
         "survivor_key": key("survivor", sid) if sid else None,
         "step": step, "month": month_of(date), "amount": amount}
        for case_id, sid, step, date, amount in steps.order_by("id")
        .values_list("case_id", "case_survivor_id", "step", "date", "amount")
        .iterator(chunk_size=ITER_CHUNK)
    ]  # fmt: skip
    out["perpetrators"] += [
        {"perpetrator_key": key("perpetrator", pk), "case_key": key("case", case_id),
         "kind": kind, "sex": sex, "nationality": nationality or "",
         "is_state_official": official, "is_organised_group": organised}
        for pk, case_id, kind, sex, nationality, official, organised in perpetrators
        .order_by("id")
        .values_list("pk", "case_id", "kind", "sex", "nationality", "is_state_official",
                     "is_organised_group")
        .iterator(chunk_size=ITER_CHUNK)
    ]  # fmt: skip
