"""Finding 2 (HIGH): anonymisation must leave nothing that identifies the survivor.

Distinctive strings are planted in every place the identity registry
(:mod:`lentera.web.core.identity`) declares — for the survivor *and* a duplicate record
merged into them — then the survivor is anonymised and the database (through the ORM,
decrypted, and as raw bytes), the data directory and a fresh backup are scanned.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from lentera.web.cases import selectors as case_selectors
from lentera.web.cases import services as case_services
from lentera.web.cases.blind_index import name_token_hashes, nik_hash, write_person_indexes
from lentera.web.cases.models import DuplicateCandidate, Person
from lentera.web.cases.services import consent_record, person_merge
from lentera.web.core import identity
from lentera.web.core.fields import EncryptedDateField, EncryptedTextField

pytestmark = pytest.mark.django_db

TAG = "QZXV"


def _plant(label: str) -> str:
    return f"{TAG}{label.replace('.', '')}{TAG}"


def _lentera_models() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("lentera.")]


def test_every_text_json_and_file_field_is_declared() -> None:
    """A new free-text, JSON or file field anywhere must be declared as identity or not."""
    declared = {
        f"{h.model}.{f}" for h in identity.holders() for f in (*h.fields, *h.scrubbed)
    } | set(identity.not_identity())
    holders = {h.model for h in identity.holders()}
    missing = []
    for model in _lentera_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        for field in model._meta.concrete_fields:
            kinds = (
                models.TextField, models.JSONField, models.FileField, EncryptedDateField,
                EncryptedTextField,
            )  # fmt: skip
            if not isinstance(field, kinds):
                continue
            name = f"{label}.{field.name}"
            # a holder that deletes its rows covers every field
            holder = next((h for h in identity.holders() if h.model == label), None)
            if name in declared or (holder and holder.delete):
                continue
            missing.append(name)
    assert not missing, f"declare these in an identity.py module: {missing}"
    assert {"cases.Person", "cases.PersonMerge", "referrals.Referral"} <= holders


def _build_everything(users_a: dict[str, Any], org_b: Any, build_case: Any) -> dict[str, Any]:
    from lentera.web.assessments.models import RestitutionClaim, Screening
    from lentera.web.referrals import services as referral_services
    from lentera.web.referrals.models import FollowUp, LegalStep, SupportAction

    worker, sup = users_a["caseworker"], users_a["supervisor"]
    case = build_case(worker)
    link = case.survivors.first()
    person = link.person
    other_case = build_case(worker, name="Rekaman Ganda", nik="5301054708990011")
    duplicate = other_case.survivors.first().person
    person_merge(actor=sup, kept=person, merged=duplicate)
    bystander_case = build_case(worker, name="Tetap Utuh Sekali", nik="5301054708990029")
    bystander = bystander_case.survivors.first().person
    DuplicateCandidate.objects.create(
        organisation=person.organisation, person_a=person, person_b=bystander, probability=0.9,
        evidence=[], model_version="t", computed_at=timezone.now(),
    )  # fmt: skip
    consent_record(
        actor=worker, person=person, case=case, purpose="referral", granted=True,
        shared_fields=["name", "contact", "nik", "address", "sex_age"], note="x",
    )  # fmt: skip
    case_services.attachment_add(
        actor=worker, case=case, filename="ktp.txt", data=f"KTP {_plant('file')}".encode(),
        description="x",
    )  # fmt: skip
    Screening.objects.create(
        organisation=person.organisation, case_survivor=link, number=1, catalogue="t",
        catalogue_version="1", list_name="adult_labour", outcome="not_indicated", indicators=[],
        evidence="{}", result={}, created_by=worker,
    )  # fmt: skip
    RestitutionClaim.objects.create(
        organisation=person.organisation, case_survivor=link, notes="x", updated_by=worker
    )
    provider = referral_services.provider_save(
        actor=worker,
        data={"name": "UPTD PPA NTT", "institution_type": "uptd_ppa", "services": ["legal"],
              "province_codes": ["53"], "linked_organisation": org_b},
    )  # fmt: skip
    referral = referral_services.referral_send(
        actor=worker, link=link, provider=provider, services=["legal"], reason="x",
        shared_fields=["name", "contact", "nik", "address"],
    )  # fmt: skip
    action = SupportAction.objects.create(
        organisation=person.organisation, case_survivor=link, service_type="legal",
        objective="x", action="x", planned_end=dt.date(2026, 1, 1), created_by=worker,
        referral=referral,
    )  # fmt: skip
    FollowUp.objects.create(
        organisation=person.organisation, case=case, action=action, done_on=dt.date(2025, 5, 1),
        note="x", author=worker,
    )  # fmt: skip
    LegalStep.objects.create(
        organisation=person.organisation, case=case, case_survivor=link, step="police_report",
        date=dt.date(2025, 4, 1), reference="x", note="x", recorded_by=worker,
    )  # fmt: skip
    # a failed import kept its upload (for a retry) and its report, both with the file's values
    import base64

    from lentera.web.core import crypto
    from lentera.web.jobs.models import Job, JobInput
    from lentera.web.jobs.services import JobContext

    job = Job.objects.create(
        organisation=person.organisation, actor=worker, kind="import_file", status="failed"
    )
    JobContext(job).attach(
        "laporan-impor.csv", f"baris,nama\n2,{_plant('jobreport')}\n".encode(), "text/csv"
    )
    upload = base64.b64encode(f"nama\n{_plant('jobupload')}\n".encode()).decode("ascii")
    JobInput.objects.create(
        job=job, name="impor.csv", payload=crypto.encrypt(upload, context=f"jobs.input:{job.pk}")
    )
    _build_reintegration(worker, person, case)
    # a contact that became this case
    from lentera.web.contacts.services import contact_create

    contact = contact_create(actor=worker, channel="phone", reporter="family", concern="x")
    contact.case = case
    contact.save(update_fields=["case"])
    # a deleted perpetrator of the case, still undoable
    from lentera.web.cases.services import perpetrator_add, perpetrator_delete

    perpetrator_delete(
        actor=worker, perpetrator=perpetrator_add(actor=worker, case=case, name=_plant("undo"))
    )
    # a form about the case typed when the session had expired, kept for its user
    from lentera.web.accounts.drafts import draft_capture

    draft_capture(
        actor=worker, path=f"/cases/{case.pk}/edit/", fields=[("summary", _plant("draft"))],
        url_kwargs={"case_id": case.pk},
    )  # fmt: skip
    return {"person": person, "duplicate": duplicate, "bystander": bystander, "case": case}


def _build_reintegration(worker: Any, person: Any, case: Any) -> None:
    """Issue 20: a reintegration plan with a note in every declared place, and a reminder."""
    from lentera.web.reintegration import services as ri
    from lentera.web.reintegration.reminders import run_reminders

    plan = ri.plan_create(
        actor=worker, person=person, case=case, return_date=dt.date(2025, 1, 10), notes="x"
    )
    ri.action_save(actor=worker, plan=plan, data={"kind": "counselling", "note": "x"})
    followup = plan.followups.order_by("months").first()
    ri.followup_record(
        actor=worker, followup=followup, outcome="reached", done_on=dt.date(2025, 1, 12), note="x"
    )
    ri.departure_record(
        actor=worker,
        plan=plan,
        data={"kind": "re_migration", "departed_on": dt.date(2025, 6, 1), "note": "x"},
    )
    run_reminders(today=dt.date(2025, 12, 1))


def _plant_everywhere(person: Person) -> tuple[set[str], set[str]]:
    """Plant a distinctive string in every declared place; returns (strings, blind-index hashes)."""
    group = case_selectors.identity_group(person)
    person_ids = [p.pk for p in group]
    case_ids = sorted({link.case_id for p in group for link in p.case_links.all()})
    planted: set[str] = set()
    hashes: set[str] = set()

    def plant(label: str) -> str:
        value = _plant(label)
        planted.add(value)
        return value

    for holder in identity.holders():
        rows = list(holder.rows(person_ids, case_ids))
        assert rows, f"the test builds no {holder.model} row to plant into"
        for row in rows:
            key = f"{holder.model}{row.pk}"
            if holder.model == "cases.Person":
                row.full_name = f"{plant(key + 'name')} Binti {plant(key + 'father')}"
                row.other_names = plant(key + "alias")
                row.nik = f"53010547089{row.pk:05d}"
                planted.add(row.nik)
                row.phone = plant(key + "phone")
                row.origin_address = plant(key + "address")
                row.save()
                write_person_indexes(row)
                hashes |= name_token_hashes(row.full_name, row.other_names) | {nik_hash(row.nik)}
            elif holder.model == "cases.PersonMerge":
                row.kept_before = json.dumps({"full_name": plant(key), "nik": plant(key + "n")})
                row.save()
            elif holder.model == "referrals.Referral":
                data = row.payload_data
                for k in ("full_name", "phone", "origin_address", "reason", "other_names"):
                    data[k] = plant(f"{key}payload{k}")
                row.payload = json.dumps(data)
                row.save()
            elif holder.model == "referrals.Notification":
                row.params = {**row.params, "number": plant(key)}
                row.save()
            elif holder.model == "assessments.Screening":
                row.evidence = json.dumps({"adult_labour.D1": plant(key)})
                row.save()
            for name in holder.fields:
                if holder.model != "assessments.Screening":
                    setattr(row, name, plant(f"{key}{name}"))
            if holder.fields and holder.model != "assessments.Screening":
                row.save()
    return planted, hashes


def _orm_hits(needles: set[str]) -> list[str]:
    hits = []
    for model in apps.get_models():
        for row in model.objects.all():
            for field in model._meta.concrete_fields:
                text = str(getattr(row, field.attname))
                for needle in needles:
                    if needle in text:
                        hits.append(f"{model._meta.label}#{row.pk}.{field.name}: {needle}")
    return hits


def _byte_hits(blobs: dict[str, bytes], needles: set[str]) -> list[str]:
    return [
        f"{name}: {needle}"
        for name, blob in blobs.items()
        for needle in needles
        if needle.encode() in blob
    ]


def _database_bytes(settings: Any) -> dict[str, bytes]:
    """The database as stored: the SQLite files, or a plain pg_dump of PostgreSQL's test database."""
    if connection.vendor == "postgresql":
        import subprocess

        conf = connection.settings_dict
        dump = subprocess.run(
            ["pg_dump", "--data-only", "-h", conf["HOST"] or "127.0.0.1",
             "-p", str(conf["PORT"] or 5432), "-U", conf["USER"] or "postgres", conf["NAME"]],
            capture_output=True, check=True, env={"PGPASSWORD": conf["PASSWORD"] or "", "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        return {"pg_dump": dump.stdout}
    connection.close()
    db = Path(settings.DATABASES["default"]["TEST"]["NAME"])
    return {p.name: p.read_bytes() for p in db.parent.glob(db.name + "*")}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)  # committed, so the bytes on disk are the real ones
def test_anonymise_leaves_no_planted_identity_anywhere(
    users_a: dict[str, Any],
    org_b: Any,
    users_b: dict[str, Any],
    build_case: Any,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from lentera.web.core.backup import backup_create, read_archive
    from lentera.web.insights.services import rebuild, warehouse_path

    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "attachments"
    with django_capture_on_commit_callbacks(execute=True):
        built = _build_everything(users_a, org_b, build_case)
    person, bystander = built["person"], built["bystander"]
    with django_capture_on_commit_callbacks(execute=True):
        planted, hashes = _plant_everywhere(person)
        rebuild(actor=users_a["analyst"])
    planted.add(_plant("file"))
    assert warehouse_path("ALFA").exists()
    # control: the scans find what is there
    assert _orm_hits(planted), "the planting did not reach the database"
    control_hashes = name_token_hashes("Tetap Utuh Sekali")

    with django_capture_on_commit_callbacks(execute=True):
        case_services.person_anonymise(
            actor=users_a["supervisor"], person=person, reason="data_subject_request"
        )

    assert _orm_hits(planted) == []
    # the organisation's job files (they can carry any imported survivor's values) are gone
    from lentera.web.jobs.models import JobInput, JobOutput

    assert not JobOutput.objects.filter(job__organisation=person.organisation).exists()
    assert not JobInput.objects.filter(job__organisation=person.organisation).exists()
    # the merged duplicate (the same human) is anonymised too; the bystander is not
    assert Person.objects.get(pk=built["duplicate"].pk).full_name.startswith("ANONIM-")
    assert Person.objects.get(pk=bystander.pk).full_name == "Tetap Utuh Sekali"
    # raw database bytes: no planted text and no blind-index row of the planted names/NIK
    blobs = _database_bytes(settings)
    assert _byte_hits(blobs, planted | hashes) == []
    assert _byte_hits(blobs, control_hashes), "control: the bystander's blind index is on disk"
    # the data directory: attachments deleted, the warehouse dropped (then rebuilt clean)
    assert not warehouse_path("ALFA").exists()
    assert list(Path(settings.MEDIA_ROOT).rglob("*.tmp")) == []
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
    rebuild(actor=users_a["analyst"])
    assert _byte_hits(_files(settings.DATA_DIR), planted | hashes) == []
    # a fresh backup, raw and decrypted
    out = tmp_path / "backup.lentera"
    backup_create(out)
    _manifest, members = read_archive(out)
    assert _byte_hits({"backup": out.read_bytes(), **members}, planted | hashes) == []
    print(f"planted {len(planted)} strings and {len(hashes)} blind-index hashes; found after: 0")


def test_retention_follows_merged_records(users_a: dict[str, Any], build_case: Any) -> None:
    worker, sup = users_a["caseworker"], users_a["supervisor"]
    kept = build_case(worker).survivors.first().person
    merged = (
        build_case(worker, name="Rekaman Ganda", nik="5301054708990011").survivors.first().person
    )
    person_merge(actor=sup, kept=kept, merged=merged)
    org = kept.organisation
    org.retention_months = 1
    org.save()
    from lentera.web.cases.models import Case

    Case.objects.update(status="closed", closed_on=dt.date(2025, 6, 1))
    candidates = case_selectors.retention_candidates(today=dt.date(2100, 1, 1))
    assert merged not in candidates and kept in candidates
    case_services.person_anonymise(actor=None, person=kept, reason="retention")
    assert Person.objects.get(pk=merged.pk).anonymised_at is not None
