"""Screenings, legal assessments and restitution claims: validated, versioned, audited writes."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.law import QualificationResult, load_kb, qualify
from lentera.law.restitution import RestitutionInput, worksheet
from lentera.screening import load_catalogue, screen
from lentera.web.assessments.models import LegalAssessment, RestitutionClaim, Screening
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import case_facts_for
from lentera.web.cases.models import Case, CaseSurvivor
from lentera.web.core.access import require_case_role

MAX_NOTE = 2000


def _case_for(link: CaseSurvivor) -> Case:
    return Case.objects.prefetch_related("events", "perpetrators").get(pk=link.case_id)


def _membership_for(actor: Any, link: CaseSurvivor) -> Any:
    """The actor's case-role membership, provided the survivor's case is in their organisation."""
    membership = require_case_role(actor)
    if link.case.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")
    return membership


def latest_screening(link: CaseSurvivor) -> Screening | None:
    return link.screenings.order_by("-number").first()


def screening_prefill(link: CaseSurvivor, list_name: str) -> tuple[list[str], dict[str, str], str]:
    """Indicators to pre-tick: the last screening's, else those suggested by the means of control."""
    last = latest_screening(link)
    catalogue = load_catalogue()
    if last is not None:
        notes = json.loads(last.evidence or "{}")
        table = catalogue.by_list[list_name]
        ids = []
        for old in last.indicators:
            _l, dim, name = old.split(".")
            if (dim, name) in table:
                ids.append(table[(dim, name)].id)
                if old in notes:
                    notes[table[(dim, name)].id] = notes.pop(old)
        return ids, notes, "previous"
    return (
        catalogue.prefill_from_methods_of_control(list_name, list(link.means_of_control or [])),
        {},
        "means_of_control",
    )


def screening_lists(link: CaseSurvivor) -> tuple[str, list[str]]:
    """The age group and the lists the engine would use for this survivor's facts."""
    from lentera.screening import choose_lists

    facts = case_facts_for(_case_for(link), link)
    group, lists, _reasons = choose_lists(facts)
    return group, lists


@transaction.atomic
def screening_save(
    *, actor: Any, link: CaseSurvivor, indicators: list[str], notes: dict[str, str]
) -> Screening:
    """Screen the survivor's facts with these indicators and store the result as a new version."""
    membership = _membership_for(actor, link)
    catalogue = load_catalogue()
    clean: list[str] = []
    for i, ind in enumerate(indicators):
        if catalogue.get(ind) is None:
            raise LenteraError(
                "invalid_indicator",
                _("Unknown indicator: %(id)s") % {"id": ind},
                field=f"indicators.{i}",
            )
        if ind not in clean:
            clean.append(ind)
    kept_notes = {}
    for key, text in notes.items():
        text = (text or "").strip()
        if not text:
            continue
        if key not in clean:
            continue  # a note for an unticked indicator is not evidence of anything
        if len(text) > MAX_NOTE:
            raise LenteraError(
                "note_too_long",
                _("The evidence note for %(id)s is longer than %(n)s characters.")
                % {"id": key, "n": MAX_NOTE},
                field=f"note:{key}",
            )
        kept_notes[key] = text
    locked = CaseSurvivor.objects.select_for_update().get(pk=link.pk)
    facts = case_facts_for(_case_for(locked), locked, indicators=clean)
    result = screen(facts, catalogue=catalogue)
    number = (locked.screenings.aggregate(n=Max("number"))["n"] or 0) + 1
    row = Screening.objects.create(
        organisation_id=membership.organisation_id,
        case_survivor=locked,
        number=number,
        catalogue=catalogue.id,
        catalogue_version=catalogue.version,
        list_name=result.list,
        outcome=result.outcome,
        indicators=clean,
        evidence=json.dumps(kept_notes, ensure_ascii=False),
        result=result.to_dict(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        detail={"outcome": result.outcome, "number": number},
    )
    return row


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    return {prefix.rstrip("."): data}


def assessment_diff(old: LegalAssessment | None, new: LegalAssessment) -> dict[str, Any]:
    """What changed between two assessments: facts, Palermo, TPPO, charges, gaps."""
    if old is None:
        return {}
    of, nf = _flatten(old.facts), _flatten(new.facts)
    facts = [
        {"field": k, "old": of.get(k), "new": nf.get(k)}
        for k in sorted(set(of) | set(nf))
        if of.get(k) != nf.get(k) and k != "case_ref"
    ]

    def states(result: QualificationResult) -> dict[str, bool | None]:
        ind = result.indonesia
        return {c.id: c.met for c in (*ind.charges, *ind.alternatives)}

    old_result, new_result = old.engine_result, new.engine_result
    os_, ns = states(old_result), states(new_result)
    charges = [
        {"id": k, "old": os_.get(k), "new": ns.get(k)}
        for k in sorted(set(os_) | set(ns))
        if os_.get(k) != ns.get(k)
    ]
    og = {g.code for g in old_result.gaps}
    ng = {g.code for g in new_result.gaps}
    return {
        "from_number": old.number,
        "facts": facts,
        "palermo": (old_result.palermo.trafficking, new_result.palermo.trafficking),
        "tppo": (old_result.indonesia.tppo, new_result.indonesia.tppo),
        "charges": charges,
        "gaps_added": sorted(ng - og),
        "gaps_removed": sorted(og - ng),
        "rule_set": (old.rule_set, new.rule_set),
    }


@transaction.atomic
def legal_assessment_current(
    *, actor: Any, link: CaseSurvivor
) -> tuple[LegalAssessment, LegalAssessment | None]:
    """The assessment of the survivor's current facts; a new version is stored when facts or rules changed.

    Returns (current, previous-when-a-new-version-was-just-made).
    """
    membership = _membership_for(actor, link)
    locked = CaseSurvivor.objects.select_for_update().get(pk=link.pk)
    last_screen = latest_screening(locked)
    facts = case_facts_for(
        _case_for(locked), locked, indicators=last_screen.indicators if last_screen else ()
    )
    facts_json = facts.to_json_dict()
    kb = load_kb()
    latest = locked.legal_assessments.order_by("-number").first()
    if latest is not None and latest.facts == facts_json and latest.rule_set == kb.rule_set:
        return latest, None
    result = qualify(facts, kb=kb)
    row = LegalAssessment.objects.create(
        organisation_id=membership.organisation_id,
        case_survivor=locked,
        number=(latest.number + 1) if latest else 1,
        rule_set=kb.rule_set,
        facts=facts_json,
        result=result.to_dict(),
        created_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=row,
        detail={"rule_set": kb.rule_set, "number": row.number},
    )
    return row, latest


RESTITUTION_FIELDS = (
    "lost_property", "promised_monthly_wage", "received_monthly_wage", "months_worked",
    "regional_minimum_wage", "suffering", "medical", "other", "notes",
    "final_judgment_notified_on", "court_warning_on", "paid_on",
)  # fmt: skip


#: amounts that are zero, not unknown, when left empty
AMOUNT_FIELDS = frozenset(
    {"lost_property", "received_monthly_wage", "months_worked", "suffering", "medical", "other"}
)


@transaction.atomic
def restitution_save(
    *, actor: Any, link: CaseSurvivor, fields: dict[str, Any], version: int | None
) -> RestitutionClaim:
    membership = _membership_for(actor, link)
    claim = RestitutionClaim.objects.select_for_update().filter(case_survivor=link).first()
    if claim is not None and version is not None and claim.version != version:
        raise LenteraError(
            "conflict",
            _("Someone else saved this worksheet meanwhile; reload and try again."),
            kind="conflict",
        )
    if claim is None:
        claim = RestitutionClaim(
            organisation_id=membership.organisation_id, case_survivor=link, updated_by=actor
        )
        action = AuditAction.CREATE
    else:
        claim.version += 1
        action = AuditAction.UPDATE
    for key in RESTITUTION_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(claim, key, 0 if value is None and key in AMOUNT_FIELDS else value)
    claim.updated_by = actor
    claim.save()
    audit_log(actor=actor, action=action, obj=claim)
    return claim


def restitution_sheet(claim: RestitutionClaim | None) -> dict[str, Any] | None:
    if claim is None:
        return None
    from lentera.law.process import charged_laws, restitution_law

    latest = claim.case_survivor.legal_assessments.order_by("-number").first()
    law = restitution_law(charged_laws([latest.engine_result]) if latest else None)
    return worksheet(
        RestitutionInput(
            **{k: getattr(claim, k) for k in RESTITUTION_FIELDS if k != "notes"}, law=law
        )
    )
