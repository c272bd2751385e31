"""Screenings, legal assessments and restitution claims: validated, versioned, audited writes.

Every function here writes (reads are in :mod:`.selectors`); each takes the acting user
first, checks their case role and organisation, and writes an audit row.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.law import load_kb, qualify
from lentera.screening import load_catalogue, screen
from lentera.web.accounts.models import Membership, User
from lentera.web.assessments.models import LegalAssessment, RestitutionClaim, Screening
from lentera.web.assessments.selectors import (
    RESTITUTION_FIELDS,
    case_with_facts,
    latest_screening,
    legal_assessment_latest,
)
from lentera.web.audit.services import save_created, save_new_or_edited
from lentera.web.cases.facts import case_facts_for
from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.access import require_own_organisation
from lentera.web.core.services import new_or_checked

__all__ = [
    "AMOUNT_FIELDS",
    "MAX_NOTE",
    "RESTITUTION_FIELDS",
    "legal_assessment_get_or_open",
    "restitution_save",
    "screening_save",
]

MAX_NOTE = 2000


def _membership_for(actor: User, link: CaseSurvivor) -> Membership:
    """The actor's case-role membership, provided the survivor's case is in their organisation."""
    return require_own_organisation(
        actor, link.case.organisation_id, message=_("Survivor not found.")
    )


@transaction.atomic
def screening_save(
    *, actor: User, link: CaseSurvivor, indicators: list[str], notes: dict[str, str]
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
    facts = case_facts_for(case_with_facts(locked), locked, indicators=clean)
    result = screen(facts, catalogue=catalogue)
    number = (locked.screenings.aggregate(n=Max("number"))["n"] or 0) + 1
    row = Screening(
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
    return save_created(actor=actor, obj=row, detail={"outcome": result.outcome, "number": number})


@transaction.atomic
def legal_assessment_get_or_open(
    *, actor: User, link: CaseSurvivor
) -> tuple[LegalAssessment, LegalAssessment | None]:
    """The assessment of the survivor's current facts, opening a new version when facts or rules changed.

    It writes (a new version, audited) whenever the stored one is out of date, so it is a
    service although the legal page and the memo call it to read; a read that must not
    write uses ``selectors.legal_assessment_latest``.
    Returns (current, previous-when-a-new-version-was-just-made).
    """
    membership = _membership_for(actor, link)
    locked = CaseSurvivor.objects.select_for_update().get(pk=link.pk)
    last_screen = latest_screening(locked)
    facts = case_facts_for(
        case_with_facts(locked), locked, indicators=last_screen.indicators if last_screen else ()
    )
    facts_json = facts.to_json_dict()
    kb = load_kb()
    latest = legal_assessment_latest(locked)
    if latest is not None and latest.facts == facts_json and latest.rule_set == kb.rule_set:
        return latest, None
    result = qualify(facts, kb=kb)
    row = LegalAssessment(
        organisation_id=membership.organisation_id,
        case_survivor=locked,
        number=(latest.number + 1) if latest else 1,
        rule_set=kb.rule_set,
        facts=facts_json,
        result=result.to_dict(),
        created_by=actor,
    )
    save_created(actor=actor, obj=row, detail={"rule_set": kb.rule_set, "number": row.number})
    return row, latest


#: amounts that are zero, not unknown, when left empty
AMOUNT_FIELDS = frozenset(
    {"lost_property", "received_monthly_wage", "months_worked", "suffering", "medical", "other"}
)


@transaction.atomic
def restitution_save(
    *, actor: User, link: CaseSurvivor, fields: dict[str, Any], version: int | None
) -> RestitutionClaim:
    """Create or update the survivor's restitution worksheet (optimistic lock on ``version``)."""
    membership = _membership_for(actor, link)
    existing = RestitutionClaim.objects.select_for_update().filter(case_survivor=link).first()
    claim = new_or_checked(
        existing,
        lambda: RestitutionClaim(
            organisation_id=membership.organisation_id, case_survivor=link, updated_by=actor
        ),
        version,
        fields,  # "stale_version" names the fields that differ
    )
    for key in RESTITUTION_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(claim, key, 0 if value is None and key in AMOUNT_FIELDS else value)
    claim.updated_by = actor
    return save_new_or_edited(actor=actor, obj=claim)
