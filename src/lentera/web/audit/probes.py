"""Cross-organisation probes: a denied request for another organisation's record is logged
where the targeted organisation sees it.

Before, a refused lookup (403/404) of organisation A's case by a user of organisation B
wrote a DENIED row only under B (when the selector wrote one at all), so A never learned
that its records were being probed (review finding 15). :class:`CrossOrganisationProbeMiddleware`
looks at every 403/404 answer to a logged-in user (web pages and the REST API) whose URL
addresses a record (``<case_id>``, ``<person_id>``, …, :data:`PROBE_TARGETS`). When that
record exists in another organisation it writes:

- under the **targeted** organisation: a DENIED row with no actor and no username (a
  member of another organisation is not A's to know), the record's type and id, the route,
  the HTTP status and the prober's organisation id (``detail.probe = "cross_organisation"``);
- under the **prober's** organisation: a DENIED row with the actor, the record type and id
  and the route, unless the view already wrote one (the selectors of cases, persons and
  screenings do); it does not say the record exists elsewhere;
- one WARNING line on the ``lentera.security`` logger (organisation ids, record type and
  id, route, status; no names) for the instance operator.

A request for an id that exists nowhere writes nothing here. Lookups that address no
record in the URL (searches, lists, ids inside a JSON body) are scoped to the user's
organisation and answer empty; they are not probes of a known record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse

from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.reads import route_name, rows_written

log = logging.getLogger("lentera.security")

#: URL argument -> (model, field the argument matches, path to the owning organisation's id)
PROBE_TARGETS: dict[str, tuple[str, str, str]] = {
    "case_id": ("cases.Case", "pk", "organisation_id"),
    "person_id": ("cases.Person", "pk", "organisation_id"),
    "link_id": ("cases.CaseSurvivor", "pk", "case__organisation_id"),
    "survivor_id": ("cases.CaseSurvivor", "pk", "case__organisation_id"),
    "perpetrator_id": ("cases.Perpetrator", "pk", "case__organisation_id"),
    "event_id": ("cases.TraffickingEvent", "pk", "case__organisation_id"),
    "consent_id": ("cases.Consent", "pk", "person__organisation_id"),
    "attachment_id": ("cases.Attachment", "pk", "case__organisation_id"),
    "merge_id": ("cases.PersonMerge", "pk", "organisation_id"),
    "screening_id": ("assessments.Screening", "pk", "organisation_id"),
    "referral_id": ("referrals.Referral", "pk", "organisation_id"),
    "provider_id": ("referrals.ServiceProvider", "pk", "organisation_id"),
    "action_id": ("referrals.SupportAction", "pk", "organisation_id"),
    "step_id": ("referrals.LegalStep", "pk", "organisation_id"),
    "notification_id": ("referrals.Notification", "pk", "user__membership__organisation_id"),
    "release_id": ("releases.Release", "pk", "organisation_id"),
    "job_id": ("jobs.Job", "pk", "organisation_id"),
    "user_id": ("accounts.Membership", "user_id", "organisation_id"),
    "team_id": ("accounts.Team", "pk", "organisation_id"),
    "token_id": ("accounts.ApiToken", "pk", "user__membership__organisation_id"),
}


def owner_organisation(argument: str, value: Any) -> tuple[str, int | None]:
    """(``app.model`` label, the id of the organisation owning the record) for a URL argument."""
    model_label, field, org_path = PROBE_TARGETS[argument]
    model = apps.get_model(model_label)
    try:
        key = int(value)
    except (TypeError, ValueError):
        return model._meta.label_lower, None
    org_id = model._base_manager.filter(**{field: key}).values_list(org_path, flat=True).first()
    return model._meta.label_lower, org_id


def record_probe(request: HttpRequest, status: int) -> int:
    """Write the rows of a denied cross-organisation request; the number of targets found."""
    user = getattr(request, "user", None)
    membership = getattr(user, "membership_or_none", None) if user is not None else None
    match = getattr(request, "resolver_match", None)
    if membership is None or match is None:
        return 0
    name = route_name(request)
    own_org = membership.organisation_id
    found = 0
    for argument, value in (match.kwargs or {}).items():
        if argument not in PROBE_TARGETS:
            continue
        object_type, target_org = owner_organisation(argument, value)
        if target_org is None or target_org == own_org:
            continue
        found += 1
        audit_log(
            actor=None,
            action=AuditAction.DENIED,
            object_type=object_type,
            object_id=str(value),
            organisation=apps.get_model("accounts.Organisation")(pk=target_org),
            detail={
                "probe": "cross_organisation",
                "from_organisation": own_org,
                "route": name,
                "status": status,
            },
        )
        if AuditAction.DENIED not in rows_written():
            audit_log(
                actor=user,
                action=AuditAction.DENIED,
                object_type=object_type,
                object_id=str(value),
                detail={"route": name, "status": status},
            )
        log.warning(
            "cross-organisation probe: organisation %s -> %s %s of organisation %s "
            "(route %s, answered %s)",
            own_org, object_type, value, target_org, name, status,
        )  # fmt: skip
    return found


class CrossOrganisationProbeMiddleware:
    """Log every 403/404 to a logged-in user that addressed another organisation's record."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code in (403, 404)
            and user is not None
            and user.is_authenticated
            and getattr(request, "resolver_match", None) is not None
        ):
            record_probe(request, response.status_code)
        return response
