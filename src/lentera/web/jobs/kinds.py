"""What each background job does. Each kind is idempotent (running it twice leaves the
same state), carries the actor for the audit, and works for one organisation unless it
is instance-wide (backups, reminders)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lentera.web.jobs.services import JobContext, job_kind


def _link(label: str, url: str) -> dict[str, str]:
    return {"label": str(label), "url": url}


@job_kind("warehouse_rebuild", _("Rebuild the analytics figures"))
def warehouse_rebuild(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.core.warehouse import built_at
    from lentera.web.insights.services import rebuild

    done = rebuild(
        actor=ctx.actor, organisation=ctx.organisation, full=bool(ctx.params.get("full"))
    )
    when = built_at(done.path)
    return {
        "built_at": when.isoformat() if when else None,
        **done.summary(),
        "links": [_link(_("Open the analytics dashboard"), reverse("insights:dashboard"))],
    }


@job_kind("evidence_report", _("Write the evidence report"))
def evidence_report(ctx: JobContext) -> dict[str, Any]:
    from lentera.errors import LenteraError
    from lentera.web.core.warehouse import warehouse_path
    from lentera.web.insights import services

    path = warehouse_path(ctx.organisation.code)
    if not path.exists():
        raise LenteraError(
            "warehouse_missing",
            str(_("The figures have not been built yet. Rebuild them first, then try again.")),
            kind="conflict",
        )
    fmt = ctx.params["format"]
    filters = services.parse_filters(ctx.params.get("filters") or {})
    content, name, ctype = services.evidence_report(
        actor=ctx.actor,
        path=path,
        fmt=fmt,
        lang=ctx.params.get("lang") or "id",
        filters=filters,
        organisation=ctx.organisation,
    )
    ctx.attach(name, content, ctype)
    return {
        "links": [
            _link(_("Download the evidence report"), reverse("jobs:file", args=[ctx.job.pk, name]))
        ]
    }


@job_kind("legal_memo", _("Write the legal memo"))
def legal_memo(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.assessments.memo import memo_file
    from lentera.web.cases.selectors import case_survivor_get_for_user

    p = ctx.params
    link = case_survivor_get_for_user(actor=ctx.actor, link_id=p["link"])
    content, name, ctype = memo_file(
        actor=ctx.actor, link=link, fmt=p["format"], lang=p.get("lang") or "id",
        identify=bool(p.get("identify")),
    )  # fmt: skip
    ctx.attach(name, content, ctype)
    return {"links": [_link(_("Download the memo"), reverse("jobs:file", args=[ctx.job.pk, name]))]}


@job_kind("release_request", _("Prepare a data release (risk preview)"))
def release_request(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.releases import services

    p = ctx.params
    release = services.release_request(
        actor=ctx.actor,
        kind=p["kind"],
        purpose=p["purpose"],
        k=p.get("k"),
        epsilon=p.get("epsilon"),
        dimensions=p.get("dimensions"),
    )
    return {
        "release": release.pk,
        "links": [_link(_("Open the data releases"), reverse("releases:list"))],
    }


@job_kind("release_build", _("Build and verify an approved data release"))
def release_build(ctx: JobContext) -> dict[str, Any]:
    import hashlib

    from lentera.errors import LenteraError
    from lentera.web.releases import services
    from lentera.web.releases.models import Release

    release = Release.objects.filter(
        pk=ctx.params["release"], organisation_id=ctx.organisation.pk
    ).first()
    if release is None:
        raise LenteraError("not_found", str(_("Not found.")), kind="not_found")
    release = services.release_decide(
        actor=ctx.actor, release=release, approve=True, note=ctx.params.get("note", "")
    )
    # verification: the file on disk is the one whose SHA-256 the release records
    written = (services.releases_dir() / release.file_name).read_bytes()
    if hashlib.sha256(written).hexdigest() != release.sha256:
        raise LenteraError(
            "release_unverified",
            str(_("The release file could not be verified after writing. Approve it again.")),
            kind="conflict",
        )
    return {
        "release": release.pk,
        "sha256": release.sha256,
        "links": [
            _link(_("Download the release"), reverse("releases:download", args=[release.pk])),
            _link(_("Open the data releases"), reverse("releases:list")),
        ],
    }


@job_kind("hub_import", _("Verify and merge a member's release package"))
def hub_import(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.releases.hub import hub_import as merge

    result = merge(actor=ctx.actor, bundle=ctx.input_bytes())
    result["links"] = [_link(_("Open the hub figures"), reverse("releases:hub"))]
    return result


@job_kind("duplicates_refresh", _("Look for possible duplicate survivors"))
def duplicates_refresh(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.cases.services import duplicates_refresh as refresh

    pairs = refresh(actor=ctx.actor)
    return {
        "pairs": pairs,
        "links": [_link(_("Review the possible duplicates"), reverse("cases:duplicates"))],
    }


def _import_result(ctx: JobContext, outcome: Any) -> dict[str, Any]:
    from lentera.web.imports import services

    ctx.attach(REPORT_NAME, services.report_csv(outcome), "text/csv")
    result = services.outcome_summary(outcome)
    result["links"] = [
        _link(_("Download the report (CSV)"), reverse("jobs:file", args=[ctx.job.pk, REPORT_NAME])),
        _link(_("Import another file"), reverse("imports:upload")),
    ]
    return result


REPORT_NAME = "laporan-impor.csv"


@job_kind("import_file", _("Check or import a file"))
def import_file(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.imports import services

    outcome = services.import_file(
        actor=ctx.actor,
        fmt=ctx.params["format"],
        filename=ctx.input_name or "upload",
        content=ctx.input_bytes(),
        mode=ctx.params["mode"],
        progress=ctx.progress,
    )
    return _import_result(ctx, outcome)


@job_kind("import_kobo", _("Fetch and import from KoboToolbox"))
def import_kobo(ctx: JobContext) -> dict[str, Any]:
    import json

    from lentera import intake
    from lentera.errors import LenteraError
    from lentera.web.imports import services

    secret = json.loads(ctx.input_bytes())
    try:
        outcome = services.import_kobo_api(
            actor=ctx.actor,
            server_url=ctx.params["server_url"],
            asset_uid=ctx.params["asset_uid"],
            token=secret["token"],
            mode=ctx.params["mode"],
            progress=ctx.progress,
        )
    except intake.KoboError as exc:
        lang = ctx.params.get("lang") or "id"
        raise LenteraError(exc.code, intake.message(exc.code, lang, exc.params)) from exc
    return _import_result(ctx, outcome)


@job_kind("reintegration_import", _("Check or import survey submissions"))
def reintegration_import(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.reintegration.imports import submissions_import

    report = submissions_import(
        actor=ctx.actor,
        filename=ctx.input_name or "upload",
        content=ctx.input_bytes(),
        dry_run=bool(ctx.params.get("dry_run", True)),
        progress=ctx.progress,
        fetched=bool(ctx.params.get("fetched", False)),
    )
    return {
        "rows": report.rows,
        "matched": report.matched,
        "scored": report.scored,
        "skipped": report.skipped,
        "written_rows": report.written_rows,
        "written": report.written,
        "dry_run": report.dry_run,
        # row, column and a message naming the problem (form codes and dates, no names)
        "problems": [
            {"row": p.row, "field": p.field, "message": str(p.message)}
            for p in report.problems[:50]
        ],
        "links": [_link(_("Import another file"), reverse("reintegration:import"))],
    }


@job_kind("retention", _("Apply the retention period"))
def retention(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.cases.selectors import retention_candidates
    from lentera.web.cases.services import person_anonymise

    people = [p for p in retention_candidates() if p.organisation_id == ctx.organisation.pk]
    for i, person in enumerate(people, 1):
        person_anonymise(actor=ctx.actor, person=person, reason="retention_period_ended")
        ctx.progress(i, len(people))
    return {"anonymised": len(people)}


@job_kind("referral_reminders", _("Create the day's reminders"), scope="instance")
def referral_reminders(ctx: JobContext) -> dict[str, Any]:
    # the reminders of referrals, reintegration follow-ups and the contact log, one daily run
    from lentera.web.contacts.reminders import run_contact_reminders
    from lentera.web.referrals.reminders import run_reminders
    from lentera.web.reintegration.reminders import run_reminders as run_followup_reminders

    email = os.environ.get("LENTERA_REMINDER_EMAIL") == "1"
    referrals = run_reminders(email=email)
    followups = run_followup_reminders(email=email)
    contacts = run_contact_reminders()
    return {
        "created": referrals.created + followups.created + contacts.created,
        "emailed": referrals.emailed + followups.emailed,
    }


def backup_dir() -> Path:
    return Path(os.environ.get("LENTERA_BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


#: scheduled backups kept (the oldest beyond this are deleted after a good new one)
BACKUP_KEEP = int(os.environ.get("LENTERA_BACKUP_KEEP", "14"))


@job_kind("backup", _("Back up the instance"), scope="instance")
def backup(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.core.backup import backup_create, backup_verify

    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    out = folder / f"lentera-{stamp}.lentera-backup"
    manifest = backup_create(out)
    backup_verify(out)
    kept = sorted(folder.glob("lentera-*.lentera-backup"))
    for old in kept[:-BACKUP_KEEP] if BACKUP_KEEP > 0 else []:
        old.unlink()
    return {
        "file": out.name,
        "rows": sum(manifest.tables.values()),
        "files": len(manifest.files),
    }


@job_kind("jobs_cleanup", _("Delete kept uploads of old jobs"), scope="instance")
def jobs_cleanup(ctx: JobContext) -> dict[str, Any]:
    from lentera.web.jobs.models import ACTIVE, JobInput

    cutoff = timezone.now() - dt.timedelta(days=1)
    deleted, _n = (
        JobInput.objects.filter(job__created_at__lt=cutoff).exclude(job__status__in=ACTIVE).delete()
    )
    return {"deleted": deleted}
