"""Org-scoped reads of screenings, legal assessments and restitution claims.

A screening is fetched by id only through :func:`screening_get_for_user` (scoped to the
actor's organisation, audited). Everything else is read from a survivor link the view
got from ``cases.selectors.case_survivor_get_for_user``, which already scoped it.
Writes, including opening a new legal assessment, are in :mod:`.services`.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.law import QualificationResult
from lentera.law.process import charged_laws, restitution_law
from lentera.law.restitution import RestitutionInput, worksheet
from lentera.screening import choose_lists, load_catalogue
from lentera.web.accounts.models import User
from lentera.web.assessments.models import LegalAssessment, RestitutionClaim, Screening
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import case_facts_for
from lentera.web.cases.models import Case, CaseSurvivor, Perpetrator
from lentera.web.core.access import require_case_role

HISTORY = 20  # versions listed under a screening form or a legal page

#: the restitution worksheet's inputs, in form order ("notes" is not an amount)
RESTITUTION_FIELDS = (
    "lost_property", "promised_monthly_wage", "received_monthly_wage", "months_worked",
    "regional_minimum_wage", "suffering", "medical", "other", "notes",
    "final_judgment_notified_on", "court_warning_on", "paid_on",
)  # fmt: skip


# ---------------------------------------------------------------- screenings
def screening_get_for_user(*, actor: User, screening_id: int | str) -> Screening:
    membership = require_case_role(actor)
    row = (
        Screening.objects.select_related(
            "case_survivor__case", "case_survivor__person", "created_by"
        )
        .filter(pk=screening_id, organisation_id=membership.organisation_id)
        .first()
    )
    if row is None:
        audit_log(
            actor=actor,
            action=AuditAction.DENIED,
            object_type="assessments.screening",
            object_id=screening_id,
        )
        raise LenteraError("not_found", _("Screening not found."), kind="not_found")
    audit_log(actor=actor, action=AuditAction.READ, obj=row)
    return row


def latest_screening(link: CaseSurvivor) -> Screening | None:
    return link.screenings.order_by("-number").first()


def screening_history(link: CaseSurvivor) -> list[Screening]:
    """The survivor's latest screenings, newest first."""
    return list(link.screenings.select_related("created_by").order_by("-number")[:HISTORY])


def screening_is_latest(screening: Screening) -> bool:
    return screening.number == screening.case_survivor.screenings.count()


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


def case_with_facts(link: CaseSurvivor) -> Case:
    """The survivor's case with what its facts are built from (events, perpetrators)."""
    return Case.objects.prefetch_related("events", "perpetrators").get(pk=link.case_id)


def screening_lists(link: CaseSurvivor) -> tuple[str, list[str]]:
    """The age group and the lists the engine would use for this survivor's facts."""
    facts = case_facts_for(case_with_facts(link), link)
    group, lists, _reasons = choose_lists(facts)
    return group, lists


# ---------------------------------------------------------------- legal assessments
def legal_assessment_latest(link: CaseSurvivor) -> LegalAssessment | None:
    """The survivor's newest stored legal assessment (which may be out of date: see
    ``services.legal_assessment_get_or_open``)."""
    return link.legal_assessments.order_by("-number").first()


def legal_assessment_before(link: CaseSurvivor, number: int) -> LegalAssessment | None:
    """The version before ``number`` (what a "what changed" list compares with)."""
    return link.legal_assessments.filter(number__lt=number).order_by("-number").first()


def legal_assessment_history(link: CaseSurvivor) -> list[LegalAssessment]:
    return list(link.legal_assessments.select_related("created_by").order_by("-number")[:HISTORY])


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


# ---------------------------------------------------------------- restitution
def restitution_claim_for(link: CaseSurvivor) -> RestitutionClaim | None:
    return RestitutionClaim.objects.filter(case_survivor=link).first()


def restitution_sheet(claim: RestitutionClaim | None) -> dict[str, Any] | None:
    """The worksheet's amounts under the law restitution is ordered under (the charges met)."""
    if claim is None:
        return None
    latest = legal_assessment_latest(claim.case_survivor)
    law = restitution_law(charged_laws([latest.engine_result]) if latest else None)
    return worksheet(
        RestitutionInput(
            **{k: getattr(claim, k) for k in RESTITUTION_FIELDS if k != "notes"}, law=law
        )
    )


# ---------------------------------------------------------------- for the memo
def survivor_letter(link: CaseSurvivor) -> str:
    """The pseudonym letter of a survivor in their case ("A" for the first, by id)."""
    survivors = list(link.case.survivors.order_by("id").values_list("pk", flat=True))
    return chr(ord("A") + survivors.index(link.pk) % 26) if link.pk in survivors else "A"


def case_perpetrators(case: Case) -> list[Perpetrator]:
    return list(case.perpetrators.order_by("id"))
