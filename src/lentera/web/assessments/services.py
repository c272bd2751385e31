"""Screening and legal analysis of a survivor in a case: run the engines on the
case facts, store the versioned result, audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lentera import law, screening
from lentera.errors import LenteraError
from lentera.web.assessments.models import LegalAssessment, ScreeningRecord
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import case_facts_for
from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.access import require_case_role


def _own_link(actor: Any, link: CaseSurvivor) -> None:
    membership = require_case_role(actor)
    if link.case.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")


def latest_indicators(link: CaseSurvivor) -> list[str]:
    """Indicators of the survivor's most recent screening (feed the legal analysis)."""
    record = link.screenings.order_by("-created_at", "-id").first()
    return list(record.indicators) if record else []


def facts_for_link(link: CaseSurvivor, *, indicators: list[str] | None = None) -> Any:
    case = link.case
    return case_facts_for(
        case, link, indicators=latest_indicators(link) if indicators is None else indicators
    )


def prefilled_indicators(link: CaseSurvivor) -> list[str]:
    """Indicators suggested from the recorded means of control (HTCDS → ILO/EC mapping)."""
    facts = facts_for_link(link, indicators=[])
    lists = screening.lists_for(facts)
    return list(screening.indicators_from_htcds(link.means_of_control or [], lists))


@transaction.atomic
def screening_run(
    *,
    actor: Any,
    link: CaseSurvivor,
    indicators: list[str],
    evidence: Mapping[str, str] | None = None,
) -> ScreeningRecord:
    """Screen a survivor with the chosen indicators and store the result."""
    import json

    _own_link(actor, link)
    catalogue = screening.load_catalogue()
    known = {i.id for i in catalogue.indicators}
    unknown = [i for i in indicators if i not in known]
    if unknown:
        raise LenteraError(
            "unknown_indicator",
            _("Unknown indicator: %(id)s") % {"id": unknown[0]},
            field="indicators",
        )
    facts = facts_for_link(link, indicators=sorted(set(indicators)))
    result = screening.screen(facts)
    doc = result.model_dump(mode="json", by_alias=True)
    notes = {
        k: v.strip()
        for k, v in (evidence or {}).items()
        if k in set(indicators) and v and v.strip()
    }
    record = ScreeningRecord.objects.create(
        link=link,
        catalogue=doc.get("catalogue", ""),
        lists=list(screening.lists_for(facts)),
        indicators=sorted(set(indicators)),
        evidence=json.dumps(notes, ensure_ascii=False) if notes else "",
        result=doc,
        outcome=doc.get("outcome", ""),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        detail={"link": link.pk, "outcome": record.outcome, "n_indicators": len(record.indicators)},
    )
    return record


@transaction.atomic
def legal_assess(*, actor: Any, link: CaseSurvivor) -> LegalAssessment:
    """Qualify the survivor's case facts and store the versioned assessment."""
    _own_link(actor, link)
    facts = facts_for_link(link)
    result = law.qualify(facts)
    doc = result.model_dump(mode="json", by_alias=True)
    assessment = LegalAssessment.objects.create(
        link=link,
        rule_set=doc.get("rule_set", law.RULE_SET_VERSION),
        facts=facts.to_json_dict(),
        result=doc,
        tppo=(doc.get("indonesia") or {}).get("tppo"),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        detail={"link": link.pk, "rule_set": assessment.rule_set, "tppo": assessment.tppo},
    )
    return assessment


@transaction.atomic
def restitution_save(
    *, actor: Any, assessment: LegalAssessment, inputs: Mapping[str, Any]
) -> LegalAssessment:
    _own_link(actor, assessment.link)
    try:
        worksheet = law.restitution_worksheet(law.RestitutionInputs(**inputs))
    except (TypeError, ValueError) as exc:
        raise LenteraError("invalid_restitution", str(exc), field="restitution") from exc
    LegalAssessment.objects.filter(pk=assessment.pk).update(
        restitution=worksheet.model_dump(mode="json")
    )
    assessment.refresh_from_db()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=assessment, detail={"restitution": True})
    return assessment
