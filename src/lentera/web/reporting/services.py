"""Writes of the report builder: keyword-only, ``actor`` first, atomic, audited.

Who: analysts, supervisors and organisation admins (the roles that see aggregate figures and
answer for them; ``docs/user-guide.md``, Roles). Every request, build and download writes an
audit row. A report is filled from the organisation's warehouse only, rebuilt from the
de-identified snapshot just before, so a report never reads survivors' records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.files import write_atomic
from lentera.reports import TemplateError, build_report, parse_period, parse_template
from lentera.reports import shipped_templates as engine_templates
from lentera.reports.render import render
from lentera.web.accounts.models import Membership, Organisation, Role, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.core.access import membership_for
from lentera.web.core.services import invalid, not_found
from lentera.web.insights.services import rebuild
from lentera.web.jobs.models import Job
from lentera.web.jobs.services import enqueue
from lentera.web.reporting.models import (
    GeneratedReport,
    ReportFormat,
    ReportLanguage,
    ReportTemplate,
)

__all__ = [
    "REPORT_ROLES",
    "report_build",
    "report_download",
    "report_request",
    "require_report_role",
    "resolve_template",
    "template_save",
]

#: the roles that may build and download reports
REPORT_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ORG_ADMIN})
#: prefix of a custom template's key (``custom:<id>``); shipped templates use their id
CUSTOM = "custom:"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
#: the most a pasted or uploaded template may hold
MAX_TEMPLATE_CHARS = 100_000


def require_report_role(actor: User) -> Membership:
    """Membership of an analyst, supervisor or organisation admin, else ``forbidden``."""
    membership = membership_for(actor)
    if membership.role not in REPORT_ROLES:
        raise LenteraError(
            "report_role_required",
            _("Only analysts, supervisors and organisation admins may build reports."),
            kind="forbidden",
        )
    return membership


def reports_dir(org_code: str) -> Path:
    return Path(settings.DATA_DIR) / "reports" / org_code


def _template_error(exc: TemplateError) -> LenteraError:
    """Every problem of a template, one per line, on the template field."""
    return LenteraError(
        "template_invalid",
        exc.message,
        field="text",
        params={"errors": {"text": list(exc.errors)}},
    )


@transaction.atomic
def template_save(*, actor: User, text: str, filename: str = "") -> ReportTemplate:
    """Validate a custom template with the engine's check and keep it (same id: replaced)."""
    membership = require_report_role(actor)
    text = (text or "").replace("\r\n", "\n")
    if not text.strip():
        raise invalid("required", _("Paste a template or choose a file."), "text")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise invalid("too_long", _("The template is too long."), "text")
    try:
        template = parse_template(text, path=filename or "template.yaml")
    except TemplateError as exc:
        raise _template_error(exc) from None
    if template.id in engine_templates():
        raise invalid(
            "template_id_taken",
            _("The id %(id)s belongs to a shipped template: choose another id.")
            % {"id": template.id},
            "text",
        )
    row, created = ReportTemplate.objects.update_or_create(
        organisation=membership.organisation,
        template_id=template.id,
        defaults={
            "template_version": template.version,
            "title": template.title["id"][:200],
            "text": text,
            "created_by": actor,
        },
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=row,
        detail={"template": template.id, "version": template.version},
    )
    return row


def resolve_template(*, actor: User, key: str) -> tuple[Any, ReportTemplate | None]:
    """The engine template for ``key`` (a shipped id or ``custom:<id>`` of the organisation)."""
    membership = require_report_role(actor)
    if key.startswith(CUSTOM):
        try:
            pk = int(key[len(CUSTOM) :])
        except ValueError:
            raise not_found(_("Template not found.")) from None
        row = ReportTemplate.objects.filter(
            pk=pk, organisation_id=membership.organisation_id
        ).first()
        if row is None:
            raise not_found(_("Template not found."))
        try:
            return parse_template(row.text, path=f"{row.template_id}.yaml"), row
        except TemplateError as exc:
            raise _template_error(exc) from None
    shipped = engine_templates()
    if key not in shipped:
        raise not_found(_("Template not found."))
    return shipped[key], None


def _check_choices(period: str, lang: str, fmt: str) -> str:
    try:
        canonical = parse_period(period).code
    except LenteraError as exc:
        raise invalid("bad_period", exc.message, "period") from None
    if lang not in ReportLanguage.values:
        raise invalid("code_unknown", _("Choose a language."), "lang")
    if fmt not in ReportFormat.values:
        raise invalid("code_unknown", _("Choose a format."), "fmt")
    return canonical


def report_request(*, actor: User, template: str, period: str, lang: str, fmt: str) -> Any:
    """Check the choices and queue the build (job ``report_build``); returns the job."""
    require_report_role(actor)
    resolve_template(actor=actor, key=template)
    canonical = _check_choices(period, lang, fmt)
    return enqueue(
        "report_build",
        actor=actor,
        params={"template": template, "period": canonical, "lang": lang, "format": fmt},
    )


def _store(org_code: str, name: str, content: bytes) -> Path:
    return write_atomic(reports_dir(org_code) / name, content)


def report_build(
    *,
    actor: User,
    template: str,
    period: str,
    lang: str,
    fmt: str,
    organisation: Organisation | None = None,
    job: Job | None = None,
    progress: Callable[[str], None] | None = None,
) -> GeneratedReport:
    """Build, store and record one report (runs in the worker); a new version each time."""
    membership = require_report_role(actor)
    organisation = organisation or membership.organisation
    if organisation.pk != membership.organisation_id:
        raise not_found()
    engine_template, custom = resolve_template(actor=actor, key=template)
    the_period = parse_period(_check_choices(period, lang, fmt))
    path = rebuild(actor=actor, organisation=organisation).path
    built = build_report(path, engine_template, the_period, lang=lang, progress=progress)
    content = render(built, f".{fmt}")
    with transaction.atomic():
        # two builds at once take version numbers one after the other: lock the organisation
        type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
        last = GeneratedReport.objects.filter(
            organisation=organisation, template_id=engine_template.id, period=the_period.code
        ).aggregate(m=Max("version"))["m"]
        version = (last or 0) + 1
        name = f"{engine_template.id}-{the_period.code}-v{version}-{lang}.{fmt}"
        _store(organisation.code, name, content)
        report = GeneratedReport(
            organisation=organisation,
            template_id=engine_template.id,
            template_version=engine_template.version,
            custom_template=custom,
            title=built.title[:200],
            period=the_period.code,
            lang=lang,
            fmt=fmt,
            version=version,
            file_name=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            job=job,
            created_by=actor,
        )
        save_created(actor=actor, obj=report, organisation=organisation, detail=_built(report))
    return report


def _built(report: GeneratedReport) -> dict[str, Any]:
    """What the audit row of a build says, read from the stored record: which template,
    period, version, format and language, and the file's SHA-256 (never a figure)."""
    return {
        "template": report.template_id,
        "template_version": report.template_version,
        "period": report.period,
        "version": report.version,
        "format": report.fmt,
        "lang": report.lang,
        "sha256": report.sha256,
    }


def report_download(*, actor: User, report: GeneratedReport) -> tuple[bytes, str, str]:
    """The stored file (checked against its SHA-256); audited as an export."""
    membership = require_report_role(actor)
    if report.organisation_id != membership.organisation_id:
        raise not_found()
    path = reports_dir(report.organisation.code) / report.file_name
    try:
        content = path.read_bytes()
    except OSError:
        raise LenteraError(
            "report_file_missing",
            _("The report file is no longer on the server. Build the report again."),
            kind="not_found",
        ) from None
    if hashlib.sha256(content).hexdigest() != report.sha256:
        raise LenteraError(
            "report_file_changed",
            _("The report file on the server does not match what was built. Build it again."),
            kind="conflict",
        )
    audit_log(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=report,
        detail={"file": report.file_name, "sha256": report.sha256},
    )
    return content, report.file_name, CONTENT_TYPES[report.fmt]
