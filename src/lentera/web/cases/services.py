"""Writes to the case store. Keyword-only, transactional, ``actor=`` first, audited.

Every service checks the actor's organisation, validates with ``full_clean()``
(messages name the field), writes, and appends an audit row that holds field
names, never values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import linkage, reference
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import choices
from lentera.web.cases.models import (
    Case,
    CaseCounter,
    CaseNote,
    CaseSurvivor,
    CaseTag,
    Consent,
    Perpetrator,
    Person,
    PersonNameToken,
    TraffickingEvent,
)
from lentera.web.core import contradictions as contradiction_checks
from lentera.web.core import crypto
from lentera.web.core.access import require_case_role
from lentera.web.core.validators import (
    normalise_nik,
    validate_codes,
    validate_country_code,
    validate_not_future,
    validate_plausible_birth_date,
    validate_province_code,
    validate_regency_code,
    validate_region_code,
)

NIK_PURPOSE = "nik"
NAME_PURPOSE = "name"


# --------------------------------------------------------------------------- helpers


def _as_lentera_error(exc: ValidationError) -> LenteraError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = "; ".join(str(m) for e in errors for m in e.messages)
        return LenteraError(
            "invalid_field", f"{field}: {message}", field=field, params={"errors": exc.message_dict}
        )
    return LenteraError("invalid", "; ".join(exc.messages))


def _clean(
    instance: models.Model,
    extra: Mapping[str, Any] | None = None,
    exclude: Iterable[str] = (),
    contradictions: Mapping[str, list[ValidationError]] | None = None,
) -> None:
    """Model validation plus Lentera's field validators; raise LenteraError naming the field.

    Check constraints and ``contradictions`` between fields come back as readable messages on
    the field to correct (:mod:`lentera.web.core.contradictions`), never as a constraint name.
    """
    errors: dict[str, list[Any]] = {}
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        errors.update(exc.error_dict)
    for field, check in (extra or {}).items():
        try:
            check()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_list)
    for field, errs in (contradictions or {}).items():
        errors.setdefault(field, []).extend(errs)
    if errors:
        raise _as_lentera_error(ValidationError(errors))


def _check_version(
    obj: models.Model, version: int | None, submitted: Mapping[str, Any] | None = None
) -> None:
    """Optimistic locking: refuse a save based on a stale read, naming what changed meanwhile."""
    if version is None or int(version) == obj.version:
        return
    changed = sorted(
        k for k, v in (submitted or {}).items() if hasattr(obj, k) and getattr(obj, k) != v
    )
    labels = [
        str(obj._meta.get_field(k).verbose_name)
        for k in changed
        if k in {f.name for f in obj._meta.fields}
    ]
    message = _(
        "Someone else changed this record after you opened it. Reload to see their changes, then edit again."
    )
    if labels:
        message = _("%(message)s Fields that now differ from what you submitted: %(fields)s.") % {
            "message": message,
            "fields": ", ".join(labels),
        }
    raise LenteraError(
        "stale_version",
        message,
        kind="conflict",
        params={"current_version": obj.version, "your_version": int(version), "fields": changed},
    )


def _assign(instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    changed = []
    for key, value in data.items():
        if key not in allowed:
            raise LenteraError(
                "unknown_field", _("Unknown field: %(field)s") % {"field": key}, field=key
            )
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed.append(key)
    return changed


def _case_for_actor(actor: Any, case: Case) -> None:
    from lentera.web.core.access import require_case_edit

    require_case_edit(actor, case)


# --------------------------------------------------------------------------- cases

CASE_FIELDS = (
    "status",
    "owner",
    "opened_on",
    "closed_on",
    "closure_reason",
    "offence_date",
    "summary",
    "intake_channel",
    "intake_channel_other",
)


def _next_reference(organisation: Any, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{organisation.code}-{year}-{counter.last:05d}"


def _case_extra_checks(case: Case) -> dict[str, Any]:
    return {
        "intake_channel_other": lambda: _other_specified(
            case.intake_channel_other, [case.intake_channel]
        ),
        "opened_on": lambda: validate_not_future(case.opened_on),
        "offence_date": lambda: validate_not_future(case.offence_date),
        "closed_on": lambda: validate_not_future(case.closed_on),
    }


@transaction.atomic
def case_open(*, actor: Any, opened_on: dt.date | None = None, **fields: Any) -> Case:
    """Open a case in the actor's organisation with the next case number."""
    membership = require_case_role(actor)
    case = Case(
        organisation=membership.organisation,
        owner=actor,
        created_by=actor,
        opened_on=opened_on or timezone.localdate(),
    )
    _assign(case, fields, CASE_FIELDS)
    if (
        case.owner.membership_or_none is None
        or case.owner.membership.organisation_id != membership.organisation_id
    ):
        raise LenteraError(
            "invalid_owner", _("The case owner must belong to your organisation."), field="owner"
        )
    case.reference = "pending"
    _clean(case, _case_extra_checks(case), exclude=["reference"])
    case.reference = _next_reference(membership.organisation, case.opened_on.year)
    case.save()
    audit_log(actor=actor, action=AuditAction.CREATE, obj=case, detail={"fields": sorted(fields)})
    return case


@transaction.atomic
def case_update(*, actor: Any, case: Case, version: int | None = None, **fields: Any) -> Case:
    """Edit a case; refuses a stale edit."""
    _case_for_actor(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_version(case, version, fields)
    changed = _assign(case, fields, CASE_FIELDS)
    if "owner" in changed and (
        case.owner.membership_or_none is None
        or case.owner.membership.organisation_id != case.organisation_id
    ):
        raise LenteraError(
            "invalid_owner", _("The case owner must belong to your organisation."), field="owner"
        )
    if (
        case.status in {choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED}
        and case.closed_on is None
    ):
        case.closed_on = timezone.localdate()
        changed.append("closed_on")
    survivor_errors: dict[str, list[ValidationError]] = {}
    if "offence_date" in changed:
        for link in case.survivors.select_related("person"):
            for errs in _survivor_contradictions(link.person, link, case).values():
                survivor_errors.setdefault("offence_date", []).extend(errs)
    _clean(case, _case_extra_checks(case), contradictions=survivor_errors)
    if changed:
        case.version += 1
        case.save()
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            detail={"fields": sorted(set(changed))},
        )
    return case


def refresh_case_indexes(case: Case) -> None:
    """Recompute the denormalised filter columns from the case's survivors."""
    types: set[str] = set()
    provinces: set[str] = set()
    for link in case.survivors.select_related("person"):
        types.update(link.exploitation_types or [])
        if link.person.origin_province_code:
            provinces.add(link.person.origin_province_code)
    case.exploitation_index = "|" + "|".join(sorted(types)) + "|" if types else ""
    case.province_index = "|" + "|".join(sorted(provinces)) + "|" if provinces else ""
    Case.objects.filter(pk=case.pk).update(
        exploitation_index=case.exploitation_index, province_index=case.province_index
    )
    CaseTag.objects.filter(case=case).delete()
    CaseTag.objects.bulk_create(
        [
            CaseTag(
                case=case, organisation_id=case.organisation_id, kind=CaseTag.Kind.PROVINCE, code=p
            )
            for p in sorted(provinces)
        ]
        + [
            CaseTag(
                case=case,
                organisation_id=case.organisation_id,
                kind=CaseTag.Kind.EXPLOITATION,
                code=t,
            )
            for t in sorted(types)
        ]
    )


# --------------------------------------------------------------------------- persons

PERSON_FIELDS = (
    "full_name",
    "other_names",
    "nik",
    "birth_date",
    "estimated_age",
    "age_recorded_on",
    "sex",
    "gender",
    "citizenship",
    "origin_address",
    "origin_province_code",
    "origin_regency_code",
    "phone",
    "education",
    "marital_status",
    "number_of_children",
    "disability",
    "guardian_name",
    "guardian_relationship",
    "languages",
)


def name_token_hashes(*names: str) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens.update(linkage.search_tokens(name))
    return {crypto.blind_index(t, purpose=NAME_PURPOSE) for t in tokens}


def nik_hash(nik: str) -> str:
    nik = normalise_nik(nik)
    return crypto.blind_index(nik, purpose=NIK_PURPOSE) if nik else ""


def _person_extra_checks(person: Person) -> dict[str, Any]:
    from lentera.web.core.validators import validate_nik

    def region_consistent() -> None:
        if (
            person.origin_regency_code
            and person.origin_province_code
            and not person.origin_regency_code.startswith(person.origin_province_code)
        ):
            raise ValidationError(
                _("The regency/city is not in the chosen province."),
                code="regency_province_mismatch",
            )

    def birth_date_agrees() -> None:
        validate_plausible_birth_date(person.birth_date)
        found = contradiction_checks.survivor_contradictions(
            birth_date=person.birth_date,
            nik_birth_date=_nik_birth_date(person.nik),
            estimated_age=None,
            age_recorded_on=None,
            age_at_offence=None,
            offence_date=None,
        )
        if found:
            raise ValidationError(found["birth_date"])

    return {
        "nik": lambda: validate_nik(person.nik),
        "birth_date": birth_date_agrees,
        "citizenship": lambda: validate_country_code(person.citizenship),
        "origin_province_code": lambda: validate_province_code(person.origin_province_code),
        "origin_regency_code": lambda: (
            validate_regency_code(person.origin_regency_code),
            region_consistent(),
        ),
        "estimated_age": lambda: _check_age(person.estimated_age),
    }


def _nik_birth_date(nik: str) -> dt.date | None:
    try:
        return linkage.decode_nik(nik).birth_date if normalise_nik(nik or "") else None
    except LenteraError:
        return None  # an invalid NIK is reported on its own field


def _survivor_contradictions(
    person: Person, link: CaseSurvivor, case: Case
) -> dict[str, list[ValidationError]]:
    """Age at the offence vs date of birth / estimated age and the case's offence date."""
    return contradiction_checks.survivor_contradictions(
        birth_date=person.birth_date,
        nik_birth_date=None,
        estimated_age=person.estimated_age,
        age_recorded_on=person.age_recorded_on,
        age_at_offence=link.age_at_offence,
        offence_date=case.offence_date,
    )


def _check_age(age: int | None) -> None:
    if age is not None and not 0 <= age <= 120:
        raise ValidationError(_("Age must be between 0 and 120."), code="age_range")


def _write_person_indexes(person: Person) -> None:
    person.nik_index = nik_hash(person.nik)
    Person.objects.filter(pk=person.pk).update(nik_index=person.nik_index)
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(
        [
            PersonNameToken(person=person, organisation_id=person.organisation_id, token_hash=h)
            for h in sorted(name_token_hashes(person.full_name, person.other_names))
        ]
    )


def _prepare_person(person: Person) -> None:
    person.nik = normalise_nik(person.nik or "")
    person.full_name = (person.full_name or "").strip()
    if (
        person.origin_regency_code
        and not person.origin_province_code
        and person.origin_regency_code in reference.regencies()
    ):
        person.origin_province_code = person.origin_regency_code[:2]
    if person.estimated_age is not None and person.age_recorded_on is None:
        person.age_recorded_on = timezone.localdate()


@transaction.atomic
def person_create(*, actor: Any, **fields: Any) -> Person:
    """Record a survivor in the actor's organisation."""
    membership = require_case_role(actor)
    person = Person(organisation=membership.organisation, created_by=actor)
    _assign(person, fields, PERSON_FIELDS)
    _prepare_person(person)
    _clean(person, _person_extra_checks(person), exclude=["nik_index"])
    person.save()
    _write_person_indexes(person)
    audit_log(actor=actor, action=AuditAction.CREATE, obj=person, detail={"fields": sorted(fields)})
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, version: int | None = None, **fields: Any
) -> Person:
    """Edit a survivor's personal data; refuses a stale edit."""
    membership = require_case_role(actor)
    if person.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_version(person, version, fields)
    changed = _assign(person, fields, PERSON_FIELDS)
    _prepare_person(person)
    _clean(person, _person_extra_checks(person))
    if changed:
        person.version += 1
        person.save()
        _write_person_indexes(person)
        for link in person.case_links.select_related("case"):
            refresh_case_indexes(link.case)
        audit_log(
            actor=actor, action=AuditAction.UPDATE, obj=person, detail={"fields": sorted(changed)}
        )
    return person


# --------------------------------------------------------------------------- survivors in a case

LINK_FIELDS = (
    "trafficking_status",
    "age_at_offence",
    "exploitation_types",
    "sex_exploitation_types",
    "exploitation_occurred",
    "sector",
    "recruitment_method",
    "recruitment_apps",
    "means_of_control",
    "other_specified",
    "acts",
    "means",
    "harm",
    "is_migrant_worker",
    "documents_falsified",
    "age_falsified",
    "job_differs_from_contract",
    "placed_in_closed_country",
    "current_safety",
    "current_location",
    "interviewed_on",
    "victim_pregnant",
    "victim_unconscious_or_helpless",
    "child_marriage",
    "harmful_work",
    "perpetrators_acted_jointly",
    "more_than_one_victim",
    "disaster_or_conflict",
    "electronic_means",
)

_LIST_CHOICES = {
    "exploitation_types": choices.ExploitationType,
    "sex_exploitation_types": choices.SexExploitationType,
    "recruitment_apps": choices.RecruitmentApp,
    "means_of_control": choices.MethodOfControl,
    "acts": choices.LegalAct,
    "means": choices.LegalMeans,
    "harm": choices.Harm,
}


def _link_extra_checks(link: CaseSurvivor) -> dict[str, Any]:
    checks: dict[str, Any] = {
        name: (lambda n=name, c=enum: validate_codes(getattr(link, n), c.values))
        for name, enum in _LIST_CHOICES.items()
    }
    checks["age_at_offence"] = lambda: _check_age(link.age_at_offence)
    checks["other_specified"] = lambda: _other_specified(
        link.other_specified,
        link.exploitation_types,
        link.sex_exploitation_types,
        link.recruitment_apps,
        link.means_of_control,
        [link.recruitment_method],
    )
    checks["interviewed_on"] = lambda: validate_not_future(link.interviewed_on)
    return checks


def _other_specified(text: str, *chosen: Any) -> None:
    """An "Other" answer needs its "sebutkan": what the other thing is."""
    if any("other" in (values or []) for values in chosen) and not (text or "").strip():
        raise ValidationError(_("“Other” is chosen: say what it is."), code="other_unspecified")


def _dedupe_lists(link: CaseSurvivor) -> None:
    for name in _LIST_CHOICES:
        value = getattr(link, name)
        if isinstance(value, list):
            setattr(link, name, list(dict.fromkeys(value)))


@transaction.atomic
def case_survivor_add(*, actor: Any, case: Case, person: Person, **fields: Any) -> CaseSurvivor:
    """Put a survivor (already recorded) into a case."""
    _case_for_actor(actor, case)
    if person.organisation_id != case.organisation_id:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    link = CaseSurvivor(case=case, person=person)
    _assign(link, fields, LINK_FIELDS)
    _dedupe_lists(link)
    _clean(
        link,
        _link_extra_checks(link),
        exclude=["case", "person"],
        contradictions=_survivor_contradictions(person, link, case),
    )
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise LenteraError(
            "duplicate_survivor", _("This survivor is already in the case."), kind="conflict"
        ) from exc
    refresh_case_indexes(case)
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=link,
        detail={"case": case.pk, "person": person.pk, "fields": sorted(fields)},
    )
    return link


@transaction.atomic
def case_survivor_create(
    *,
    actor: Any,
    case: Case,
    person_fields: Mapping[str, Any],
    link_fields: Mapping[str, Any] | None = None,
) -> CaseSurvivor:
    """Record a new survivor and put them into a case, all or nothing."""
    person = person_create(actor=actor, **person_fields)
    return case_survivor_add(actor=actor, case=case, person=person, **(link_fields or {}))


@transaction.atomic
def case_survivor_update(
    *, actor: Any, link: CaseSurvivor, version: int | None = None, **fields: Any
) -> CaseSurvivor:
    _case_for_actor(actor, link.case)
    link = CaseSurvivor.objects.select_for_update().select_related("case").get(pk=link.pk)
    _check_version(link, version, fields)
    changed = _assign(link, fields, LINK_FIELDS)
    _dedupe_lists(link)
    _clean(
        link,
        _link_extra_checks(link),
        contradictions=_survivor_contradictions(link.person, link, link.case),
    )
    if changed:
        link.version += 1
        link.save()
        refresh_case_indexes(link.case)
        audit_log(
            actor=actor, action=AuditAction.UPDATE, obj=link, detail={"fields": sorted(changed)}
        )
    return link


@transaction.atomic
def case_survivor_remove(*, actor: Any, link: CaseSurvivor) -> None:
    _case_for_actor(actor, link.case)
    case = link.case
    pk = link.pk
    link.delete()
    refresh_case_indexes(case)
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="cases.casesurvivor",
        object_id=pk,
        detail={"case": case.pk},
    )


# --------------------------------------------------------------------------- perpetrators

PERPETRATOR_FIELDS = (
    "name",
    "kind",
    "roles",
    "relationship",
    "sex",
    "nationality",
    "is_state_official",
    "is_organised_group",
    "other_specified",
    "abused_power",
    "repeat_offender",
    "notes",
)


def _perpetrator_checks(p: Perpetrator) -> dict[str, Any]:
    return {
        "other_specified": lambda: _other_specified(p.other_specified, p.roles),
        "roles": lambda: validate_codes(p.roles, choices.PerpetratorRole.values),
        "nationality": lambda: validate_country_code(p.nationality),
    }


@transaction.atomic
def perpetrator_add(*, actor: Any, case: Case, **fields: Any) -> Perpetrator:
    _case_for_actor(actor, case)
    p = Perpetrator(case=case)
    _assign(p, fields, PERPETRATOR_FIELDS)
    p.roles = list(dict.fromkeys(p.roles or []))
    _clean(p, _perpetrator_checks(p), exclude=["case"])
    p.save()
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=p,
        detail={"case": case.pk, "fields": sorted(fields)},
    )
    return p


@transaction.atomic
def perpetrator_update(
    *, actor: Any, perpetrator: Perpetrator, version: int | None = None, **fields: Any
) -> Perpetrator:
    _case_for_actor(actor, perpetrator.case)
    p = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
    _check_version(p, version, fields)
    changed = _assign(p, fields, PERPETRATOR_FIELDS)
    p.roles = list(dict.fromkeys(p.roles or []))
    _clean(p, _perpetrator_checks(p))
    if changed:
        p.version += 1
        p.save()
        audit_log(actor=actor, action=AuditAction.UPDATE, obj=p, detail={"fields": sorted(changed)})
    return p


@transaction.atomic
def perpetrator_delete(*, actor: Any, perpetrator: Perpetrator) -> None:
    _case_for_actor(actor, perpetrator.case)
    pk, case_pk = perpetrator.pk, perpetrator.case_id
    perpetrator.delete()
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="cases.perpetrator",
        object_id=pk,
        detail={"case": case_pk},
    )


# --------------------------------------------------------------------------- events

EVENT_FIELDS = (
    "stage",
    "date",
    "country",
    "region_code",
    "place",
    "description",
    "assisted_by",
)


def _event_checks(e: TraffickingEvent) -> dict[str, Any]:
    def region_needs_indonesia() -> None:
        validate_region_code(e.region_code)
        if e.region_code and e.country and e.country != "ID":
            raise ValidationError(
                _("A region code applies only to places in Indonesia."), code="region_outside_id"
            )

    return {
        "country": lambda: validate_country_code(e.country),
        "region_code": region_needs_indonesia,
        "date": lambda: validate_not_future(e.date),
    }


@transaction.atomic
def event_add(*, actor: Any, case: Case, **fields: Any) -> TraffickingEvent:
    _case_for_actor(actor, case)
    e = TraffickingEvent(case=case)
    _assign(e, fields, EVENT_FIELDS)
    if e.region_code and not e.country:
        e.country = "ID"
    _clean(e, _event_checks(e), exclude=["case"])
    e.save()
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=e,
        detail={"case": case.pk, "fields": sorted(fields)},
    )
    return e


@transaction.atomic
def event_update(*, actor: Any, event: TraffickingEvent, **fields: Any) -> TraffickingEvent:
    _case_for_actor(actor, event.case)
    e = TraffickingEvent.objects.select_for_update().get(pk=event.pk)
    changed = _assign(e, fields, EVENT_FIELDS)
    if e.region_code and not e.country:
        e.country = "ID"
    _clean(e, _event_checks(e))
    if changed:
        e.save()
        audit_log(actor=actor, action=AuditAction.UPDATE, obj=e, detail={"fields": sorted(changed)})
    return e


@transaction.atomic
def event_delete(*, actor: Any, event: TraffickingEvent) -> None:
    _case_for_actor(actor, event.case)
    pk, case_pk = event.pk, event.case_id
    event.delete()
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="cases.traffickingevent",
        object_id=pk,
        detail={"case": case_pk},
    )


# --------------------------------------------------------------------------- consent and notes


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    granted: bool,
    case: Case | None = None,
    note: str = "",
    form_version: str = "lentera-consent/1",
    shared_fields: list[str] | None = None,
    signed_by: str = "",
    signer_name: str = "",
) -> Consent:
    """Record what the survivor agreed to; a new record supersedes older ones for the purpose."""
    membership = require_case_role(actor)
    if person.organisation_id != membership.organisation_id or (
        case is not None and case.organisation_id != membership.organisation_id
    ):
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    consent = Consent(
        person=person,
        case=case,
        purpose=purpose,
        granted=granted,
        note=note,
        form_version=form_version,
        shared_fields=sorted(set(shared_fields or [])) if granted else [],
        signed_by=signed_by,
        signer_name=signer_name,
        recorded_by=actor,
    )

    def signer_named() -> None:
        if signed_by and signed_by != choices.ConsentSigner.SURVIVOR and not signer_name.strip():
            raise ValidationError(
                _("Name the parent, guardian or other person who gave the consent."),
                code="signer_unnamed",
            )

    _clean(
        consent,
        extra={
            "shared_fields": lambda: validate_codes(
                consent.shared_fields, choices.SHARED_FIELD_CODES
            ),
            "signer_name": signer_named,
        },
        exclude=["person", "case", "recorded_by"],
    )
    Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    consent.save()
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=consent,
        detail={
            "person": person.pk,
            "purpose": purpose,
            "granted": granted,
            "shared_fields": consent.shared_fields,
        },
    )
    return consent


@transaction.atomic
def note_add(*, actor: Any, case: Case, body: str) -> CaseNote:
    _case_for_actor(actor, case)
    if not (body or "").strip():
        raise LenteraError("empty_note", _("The note is empty."), field="body")
    note = CaseNote(case=case, author=actor, body=body.strip())
    note.save()
    audit_log(actor=actor, action=AuditAction.CREATE, obj=note, detail={"case": case.pk})
    return note


@transaction.atomic
def case_survivor_edit(
    *,
    actor: Any,
    link: CaseSurvivor,
    person_fields: Mapping[str, Any],
    link_fields: Mapping[str, Any],
    person_version: int | None = None,
    link_version: int | None = None,
) -> CaseSurvivor:
    """Edit a survivor's personal data and their part in the case together, all or nothing."""
    person_update(actor=actor, person=link.person, version=person_version, **person_fields)
    return case_survivor_update(actor=actor, link=link, version=link_version, **link_fields)
