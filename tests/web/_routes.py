"""Every route of the project, and one object of every kind to fill its arguments.

Used by the isolation sweep and the read-audit sweep. Routes come from Django's URL
resolver and from the API's OpenAPI document; :func:`fill` fails (never skips) when a
route has an argument this kit cannot build, so a new route must be taught here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

#: values for arguments that are not record ids, per route (view name) where they differ
FORMATS: dict[str, dict[str, str]] = {
    "cases:person_export": {"fmt": "json"},
    "assessments:memo": {"fmt": "pdf"},
    "referrals:letter": {"fmt": "pdf"},
    "referrals:directory_template": {"fmt": "csv"},
    "insights:report": {"fmt": "html"},
    "imports:template": {"fmt": "lentera", "ext": "csv"},
    "jobs:file": {"name": "laporan-impor.csv"},
}
#: text the fixture world puts in organisation A's records (names, NIK, phone, narratives)
SECRETS = (
    "Sutinah",
    "5301054708990003",
    "081234567890",
    "Catatan rahasia",
    "Pak Calo",
    "Rekaman Ganda",
)
_ARG = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    pattern: str  # "cases/<int:case_id>/"
    name: str  # "cases:detail"
    args: tuple[str, ...]


def django_routes() -> list[Route]:
    out: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                walk(p, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                pattern = prefix + str(p.pattern)
                name = f"{ns}:{p.name}" if ns else (p.name or "")
                out.append(Route(pattern, name, tuple(_ARG.findall(pattern))))

    walk(get_resolver(), "", "")
    return out


def openapi_operations() -> list[tuple[str, str, str]]:
    """(path, method, operationId) of every operation in the API's OpenAPI document."""
    from lentera.web.api.api import api

    schema = api.get_openapi_schema()
    return [
        (path, method.upper(), op.get("operationId", ""))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def fill(route: Route, ids: dict[str, Any]) -> str:
    """The URL of ``route`` pointing at the world's objects; fails if an argument is unknown."""
    values = {**ids, **FORMATS.get(route.name, {})}
    missing = [a for a in route.args if a not in values]
    assert not missing, (
        f"no way to build argument(s) {missing} of route {route.name} ({route.pattern})"
    )
    return "/" + _ARG.sub(lambda m: str(values[m.group(1)]), route.pattern)


def fill_openapi(path: str, ids: dict[str, Any]) -> str:
    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in ids]
    assert not missing, f"no way to build argument(s) {missing} of API path {path}"
    return re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)


def build_world(users: dict[str, Any], build_case: Any) -> dict[str, Any]:
    """One object of every kind a route can address, in the users' organisation."""
    from lentera.web.assessments.services import screening_save
    from lentera.web.cases import services as case_services
    from lentera.web.cases.services import consent_record, person_merge
    from lentera.web.referrals import services as rs
    from lentera.web.referrals.models import Notification
    from lentera.web.releases.models import Release

    worker, admin = users["caseworker"], users["org_admin"]
    case = build_case(worker)
    link = case.survivors.first()
    other = build_case(worker, name="Rekaman Ganda", nik="5301054708990011")
    merge = person_merge(
        actor=users["supervisor"], kept=link.person, merged=other.survivors.first().person
    )
    consent = consent_record(
        actor=worker, person=link.person, case=case, purpose="referral", granted=True,
        shared_fields=["name", "contact", "nik"],
    )  # fmt: skip
    attachment = case_services.attachment_add(
        actor=worker, case=case, filename="Sutinah-ktp.txt", data=b"KTP Sutinah", description="x"
    )
    provider = rs.provider_save(
        actor=worker,
        data={"name": "Rumah Aman", "institution_type": "ngo_shelter", "services": ["shelter"],
              "province_codes": ["53"]},
    )  # fmt: skip
    referral = rs.referral_send(
        actor=worker, link=link, provider=provider, services=["shelter"], reason="Butuh rumah aman."
    )
    action = rs.action_save(
        actor=worker, link=link,
        data={"service_type": "shelter", "objective": "Tempat aman", "planned_end": dt.date(2027, 1, 1)},
    )  # fmt: skip
    step = rs.legal_step_add(
        actor=worker, case=case, step="police_report", date=dt.date(2025, 1, 5)
    )
    notification = Notification.objects.create(user=worker, kind="x", key="k", url="/")
    release = Release.objects.create(
        organisation=case.organisation, release_id="r1", kind="ctdc_2024", k=5, purpose="uji",
        requested_by=admin,
    )  # fmt: skip
    screening = screening_save(
        actor=worker, link=link, indicators=["adult_labour.D4.excessive_hours"], notes={}
    )
    from lentera.web.jobs.models import Job

    job = Job.objects.create(
        organisation=case.organisation, actor=worker, kind="import_file", status="failed"
    )
    from lentera.web.jobs.services import JobContext

    JobContext(job).attach("laporan-impor.csv", b"baris,kolom,masalah\n", "text/csv")
    reint = _reintegration_world(worker, case, link)
    # a deleted perpetrator whose deletion can still be undone
    deletion = case_services.perpetrator_delete(
        actor=worker, perpetrator=case_services.perpetrator_add(actor=worker, case=case, name="x")
    )
    contact_id, activity_id, report_id = _contacts_world(users, case)
    from lentera.web.accounts.teams import team_create

    team = team_create(actor=admin, name="Tim Kupang", member_ids=[worker.pk])
    return {
        **reint,
        "contact_id": contact_id,
        "activity_id": activity_id,
        "report_id": report_id,
        "case_id": case.pk,
        "link_id": link.pk,
        "survivor_id": link.pk,
        "person_id": link.person_id,
        "perpetrator_id": case.perpetrators.first().pk,
        "event_id": case.events.first().pk,
        "consent_id": consent.pk,
        "attachment_id": attachment.pk,
        "merge_id": merge.pk,
        "deletion_id": deletion.pk,
        "screening_id": screening.pk,
        "referral_id": referral.pk,
        "provider_id": provider.pk,
        "action_id": action.pk,
        "step_id": step.pk,
        "notification_id": notification.pk,
        "release_id": release.pk,
        "job_id": job.pk,
        "user_id": worker.pk,
        "token_id": 0,
        "team_id": team.pk,
    }


def _reintegration_world(worker: Any, case: Any, link: Any) -> dict[str, Any]:
    """A plan (its notes carry a secret), an action, a scored follow-up, a departure."""
    from lentera.web.reintegration import services as ri

    plan = ri.plan_create(
        actor=worker, person=link.person, case=case, return_date=dt.date(2025, 1, 10),
        notes="Catatan rahasia: pulang ke rumah ibu.",
    )  # fmt: skip
    action = ri.action_save(
        actor=worker,
        plan=plan,
        data={"kind": "business_grant", "cost": 2_500_000, "note": "Pak Calo"},
    )
    followup = plan.followups.order_by("months").first()
    ri.followup_record(
        actor=worker, followup=followup, outcome="reached", done_on=dt.date(2025, 1, 12)
    )
    score = ri.score_record(
        actor=worker,
        followup=followup,
        answers={"economic.work": "irregular", "social.housing": "fair"},
    )
    ri.departure_record(
        actor=worker, plan=plan,
        data={"kind": "re_migration", "departed_on": dt.date(2025, 6, 1), "channel": "undocumented"},
    )  # fmt: skip
    return {
        "plan_id": plan.pk,
        "plan_action_id": action.pk,
        "followup_id": followup.pk,
        "score_id": score.pk,
    }


def _contacts_world(users: dict[str, Any], case: Any) -> tuple[int, int, int]:
    """A contact (naming the survivor, linked to the case), an outreach activity, a report."""
    from lentera.web.contacts.services import contact_create
    from lentera.web.outreach.services import activity_create
    from lentera.web.reporting.models import GeneratedReport

    contact = contact_create(
        actor=users["caseworker"], channel="phone", reporter="family",
        concern="Ibu Sutinah mencari anaknya", caller_phone="081234567890",
        missing_person=True, destination_country="MY",
    )  # fmt: skip
    contact.case = case
    contact.save(update_fields=["case"])
    activity = activity_create(
        actor=users["caseworker"], kind="village", date=dt.date(2025, 3, 1), province="53",
        village="Oelbubuk", topics=["safe_migration"], female_18_35=12,
    )  # fmt: skip
    report = GeneratedReport.objects.create(
        organisation=case.organisation, template_id="donor", title="Laporan", period="2025-Q1",
        lang="id", fmt="xlsx", version=1, file_name="donor-2025-Q1-v1-id.xlsx", sha256="0" * 64,
        created_by=users["analyst"],
    )  # fmt: skip
    return contact.pk, activity.pk, report.pk
