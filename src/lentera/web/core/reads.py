"""Which responses carry a survivor's identity, and the middleware that audits every one.

Every URL name of the project is classified here, once: either its successful
responses may carry a survivor's identity (names, NIK, contact, narratives, files),
or they do not (with the reason). ``tests/web/test_read_audit.py`` enumerates
Django's URL resolver and fails on an unclassified route, and requests every
identity route as an authorised user to check that an audit row is written.

:class:`IdentityReadAuditMiddleware` enforces it: when a view that returns identity
wrote no audit row of its own during the request, the middleware writes a READ row
naming the route and the record ids in the URL. Views that know more (a list of
referral ids) audit themselves, and the middleware then adds nothing.
It also sends ``Cache-Control: no-store, private`` on every response to a logged-in
user or an API client, so no personal page is kept in a browser or proxy cache.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

#: URL name -> the kind of record its responses show (a survivor's identity)
IDENTITY_ROUTES: dict[str, str] = {
    # case store
    "cases:list": "cases.case",
    "cases:detail": "cases.case",
    "cases:edit": "cases.case",
    "cases:survivor_add": "cases.case",
    "cases:survivor_link": "cases.person",
    "cases:survivor_edit": "cases.casesurvivor",
    "cases:survivor_remove": "cases.casesurvivor",
    "cases:perpetrator_add": "cases.case",
    "cases:perpetrator_edit": "cases.perpetrator",
    "cases:perpetrator_delete": "cases.perpetrator",
    "cases:event_add": "cases.case",
    "cases:event_edit": "cases.traffickingevent",
    "cases:event_delete": "cases.traffickingevent",
    "cases:consent_add": "cases.case",
    "cases:note_add": "cases.case",
    "cases:attachment_add": "cases.case",
    "cases:attachment": "cases.attachment",
    "cases:attachment_delete": "cases.attachment",
    "cases:person": "cases.person",
    "cases:person_export": "cases.person",
    "cases:person_anonymise": "cases.person",
    "cases:consent_withdraw": "cases.consent",
    "cases:duplicates": "cases.person",
    "cases:duplicate_merge": "cases.person",
    "cases:duplicate_not_same": "cases.person",
    "cases:merge_undo": "cases.personmerge",
    "cases:deletion_undo": "cases.deletedrow",
    # assessments
    "assessments:screening_form": "cases.casesurvivor",
    "assessments:screening": "assessments.screening",
    "assessments:legal": "cases.casesurvivor",
    "assessments:memo": "cases.casesurvivor",
    "assessments:status_update": "cases.casesurvivor",
    # referrals, support plans, legal process
    "referrals:dashboard": "referrals.referral",
    "referrals:list": "referrals.referral",
    "referrals:inbox": "referrals.referral",
    "referrals:detail": "referrals.referral",
    "referrals:transition": "referrals.referral",
    "referrals:follow_up": "referrals.referral",
    "referrals:letter": "referrals.referral",
    "referrals:new": "cases.casesurvivor",
    "referrals:plan": "cases.casesurvivor",
    "referrals:action_edit": "referrals.supportaction",
    "referrals:action_follow_up": "referrals.supportaction",
    "referrals:legal_process": "cases.case",
    "referrals:legal_step_delete": "referrals.legalstep",
    # REST API (ninja names one URL per path; every method on it is covered)
    "api:list_cases": "cases.case",
    "api:get_case": "cases.case",
    "api:add_survivor": "cases.case",
    "api:update_survivor_link": "cases.casesurvivor",
    "api:get_case_facts": "cases.casesurvivor",
    "api:list_persons": "cases.person",
    "api:get_person": "cases.person",
    "api:list_referrals": "referrals.referral",
    "api:get_referral": "referrals.referral",
    "api:transition_referral": "referrals.referral",
    # reintegration: plans, follow-ups, the survey and departures name the survivor
    "reintegration:person": "cases.person",
    "reintegration:plan": "reintegration.reintegrationplan",
    "reintegration:plan_edit": "reintegration.reintegrationplan",
    "reintegration:departure": "reintegration.reintegrationplan",
    "reintegration:action_edit": "reintegration.planaction",
    "reintegration:followup": "reintegration.reintegrationfollowup",
    "reintegration:score": "reintegration.reintegrationfollowup",
    "api:list_reintegration_plans": "reintegration.reintegrationplan",
    "api:get_reintegration_plan": "reintegration.reintegrationplan",
    "api:list_reintegration_followups": "reintegration.reintegrationfollowup",
    "api:get_reintegration_followup": "reintegration.reintegrationfollowup",
    "api:list_reintegration_scores": "reintegration.rssscore",
    "api:get_reintegration_score": "reintegration.rssscore",
    # background jobs: an import report may carry the uploaded file's values
    "jobs:file": "jobs.joboutput",
    # the contact log (a caller's words, name and number)
    "contacts:list": "contacts.contact",
    "contacts:detail": "contacts.contact",
    "contacts:edit": "contacts.contact",
    "contacts:close": "contacts.contact",
    "contacts:convert": "contacts.contact",
    "api:list_contacts": "contacts.contact",
    "api:get_contact": "contacts.contact",
}

#: URL name -> why its responses carry no survivor identity
NO_IDENTITY_ROUTES: dict[str, str] = {
    "set_language": "a redirect",
    "accounts:login": "staff accounts only",
    "accounts:logout": "staff accounts only",
    "accounts:2fa_setup": "staff accounts only",
    "accounts:2fa_verify": "staff accounts only",
    "accounts:2fa_recover": "staff accounts only",
    "accounts:2fa_manage": "staff accounts only",
    "accounts:users": "staff accounts only",
    "accounts:user_create": "staff accounts only",
    "accounts:user_edit": "staff accounts only",
    "accounts:password_change": "staff accounts only",
    "accounts:tokens": "staff accounts only",
    "accounts:token_revoke": "staff accounts only",
    "accounts:draft_discard": "deletes the user's own form draft; a redirect",
    "accounts:teams": "staff accounts only",
    "accounts:team_edit": "staff accounts only",
    "cases:create": "an empty form; the new case is audited by the service",
    "cases:regencies": "reference data (regency names)",
    "referrals:provider_new": "the service directory (organisations)",
    "referrals:provider_edit": "the service directory (organisations)",
    "referrals:directory": "the service directory (organisations)",
    "referrals:directory_import": "the service directory (organisations)",
    "referrals:directory_template": "the service directory (organisations)",
    "referrals:directory_export": "the service directory (organisations)",
    "referrals:notifications": "notifications carry numbers and dates, never names",
    "referrals:notification": "a redirect to the record (which is audited itself)",
    "insights:dashboard": "suppressed aggregates",
    "insights:refresh": "suppressed aggregates",
    "insights:report": "suppressed aggregates",
    "releases:list": "release requests (aggregates)",
    "releases:decide": "release requests (aggregates)",
    "releases:download": "k-anonymised or noised files; the download is audited as an export",
    "releases:budget": "the ε budget",
    "releases:hub": "national aggregates",
    "imports:upload": "the import report lists row numbers, fields and reasons, not values",
    "imports:kobo": "the import report lists row numbers, fields and reasons, not values",
    "imports:template": "an empty template",
    "imports:xlsform": "an empty form definition",
    "audit:list": "the audit log holds no personal data",
    "api:openapi-json": "the API description",
    "api:openapi-view": "the API description",
    "api:api-root": "the API description",
    "api:create_case": "returns the new case; the creation is audited",
    "api:update_case": "same URL as api:get_case",
    "api:create_person": "same URL as api:list_persons",
    "api:update_person": "same URL as api:get_person",
    "api:screen_facts": "stateless engine call on the caller's own facts",
    "api:qualify_facts": "stateless engine call on the caller's own facts",
    "api:list_providers": "the service directory (organisations)",
    "api:create_provider": "the service directory (organisations)",
    "api:get_provider": "the service directory (organisations)",
    "api:create_referral": "same URL as api:list_referrals",
    "jobs:list": "job kinds, states and counts",
    "jobs:detail": "job kind, state, counts and a plain-language error",
    "jobs:retry": "a redirect to the new job",
    "core:home": "counts and the user's own tasks",
    # reintegration
    "reintegration:due": "case numbers and due dates, never names",
    "reintegration:outcomes": "suppressed aggregates",
    "reintegration:settings": "the organisation's follow-up schedule",
    "reintegration:import": "the import report lists row numbers, fields and reasons, not values",
    "api:create_reintegration_plan": "same URL as api:list_reintegration_plans",
    "api:create_reintegration_score": "same URL as api:list_reintegration_scores",
    "core:healthz": "health check",
    "core:ping": "health check",
    "core:keepalive": "an empty answer that keeps the session alive",
    # contact log form, prevention outreach, report builder
    "contacts:new": "an empty form; the new contact is audited by the service",
    "outreach:list": "outreach activities: places, topics and attendance counts",
    "outreach:new": "outreach activities: places, topics and attendance counts",
    "outreach:edit": "outreach activities: places, topics and attendance counts",
    "outreach:delete": "outreach activities: places, topics and attendance counts",
    "outreach:map": "outreach counts beside suppressed survivor aggregates and BPS poverty",
    "reporting:builder": "suppressed aggregates (report list and templates)",
    "reporting:template_new": "a report layout (metric ids)",
    "reporting:download": "suppressed aggregates; the download is audited as an export",
    "api:create_contact": "same URL as api:list_contacts",
    "api:list_outreach": "outreach activities: places, topics and attendance counts",
    "api:create_outreach": "same URL as api:list_outreach",
    "api:get_outreach": "outreach activities: places, topics and attendance counts",
}

#: the audit rows written while the current request is handled (None outside a request)
_written: ContextVar[list[str] | None] = ContextVar("lentera_request_audits", default=None)


def note_audit_row(action: str) -> None:
    """Called by ``audit_log``: remember that this request wrote an audit row."""
    rows = _written.get()
    if rows is not None:
        rows.append(action)


def rows_written() -> list[str]:
    """The actions of the audit rows written so far while handling this request."""
    return list(_written.get() or [])


def route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


class IdentityReadAuditMiddleware:
    """Audit every successful response that carries identity; no-store for personal responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _written.set([])
        try:
            response = self.get_response(request)
            written = list(_written.get() or [])
        finally:
            _written.reset(token)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        name = route_name(request)
        if (
            authenticated
            and name in IDENTITY_ROUTES
            and 200 <= response.status_code < 300
            and not written
        ):
            self._audit(request, name, user)
        return response

    @staticmethod
    def _audit(request: HttpRequest, name: str, user: Any) -> None:
        from lentera.web.audit.models import AuditAction
        from lentera.web.audit.services import audit_log

        kwargs = dict(getattr(request.resolver_match, "kwargs", {}) or {})
        ids = {k: str(v) for k, v in kwargs.items() if k.endswith("_id")}
        audit_log(
            actor=user,
            action=AuditAction.READ,
            object_type=IDENTITY_ROUTES[name],
            object_id=next(iter(ids.values()), ""),
            detail={"route": name, **ids},
        )
