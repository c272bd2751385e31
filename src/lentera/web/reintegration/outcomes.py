"""Outcome figures of the organisation's reintegration work, read from its analytics warehouse.

For supervisors. The same figures as the analytics dashboard and the evidence report: one
function, :func:`lentera.analytics.outcomes.reintegration_outcomes`, reads the organisation's
DuckDB warehouse (built from the de-identified snapshot, never from this app's tables in the
request) and applies the small-cell suppression of ``metrics.yaml`` (counts 1–4 as "<5"; scores,
means, medians and rates over fewer than 5 survivors read "suppressed"). A missing or stale
warehouse queues a rebuild (:mod:`lentera.web.jobs.warehouse`); the page says when the figures
were built. The comparison between groups is not randomised: the caveat comes with the figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import require_supervisor
from lentera.web.core.i18n import current_lang
from lentera.web.jobs.warehouse import current_warehouse


@dataclass(frozen=True)
class OutcomesPage:
    """What the outcomes page shows: the suppressed outcomes (None until the warehouse is
    built), when the warehouse was built, the rebuild queued or running."""

    outcomes: Any  # lentera.analytics.outcomes.Outcomes | None
    built_at: dt.datetime | None
    job: Any


def outcomes_for_user(*, actor: User) -> OutcomesPage:
    """The reintegration outcomes of the actor's organisation from its warehouse, suppressed
    (supervisors only); audited as a read of aggregates."""
    # heavy backend (DuckDB, pandas): loaded only when the page is asked for
    from lentera.analytics.outcomes import reintegration_outcomes

    require_supervisor(actor)
    state = current_warehouse(actor=actor)
    result = None
    if state.path is not None:
        result = reintegration_outcomes(state.path, lang=current_lang())
    audit_log(
        actor=actor, action=AuditAction.READ, object_type="reintegration.outcomes",
        detail={
            "kind": "aggregates", "source": "warehouse",
            "built_at": state.built_at.isoformat() if state.built_at else None,
        },
    )  # fmt: skip
    return OutcomesPage(outcomes=result, built_at=state.built_at, job=state.job)
