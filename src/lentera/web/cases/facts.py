"""The single bridge from the ORM to the engines: build ``lentera.case-facts/1.1``.

Unknown stays unknown: a field is null unless the record establishes it.
Derivations are listed here so a paralegal can trace every fact:

- ``victim.age_at_offence``: the recorded age at offence, else computed from the
  date of birth and the offence date, else from the estimated age shifted by the
  years between recording and offence; null if none of these is known.
- ``movement``: origin from the first recruitment event (else the survivor's
  origin region, in Indonesia); destination from the last exploitation event.
  ``crossed_regions_within_indonesia`` is true when origin and destination are
  both in Indonesia in different regions, false when in the same, else null.
- ``acts``: recorded acts ∪ acts implied by perpetrator roles and event stages.
- ``means``: recorded means ∪ means implied by the HTCDS methods of control.
- ``exploitation.purposes``: from the HTCDS exploitation types.
- ``perpetrator.*``: true if any perpetrator has it, false if every perpetrator
  is known not to, else null.
- ``perpetrator.relations`` (1.1): the statutory groups the perpetrators' recorded
  relationships fall in (``RELATION_OF``); null when no perpetrator's relationship is
  known, [] when they are known and none is such a group.
- the other 1.1 facts come from the survivor-in-case record (null = unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from lentera.facts import CaseFacts
from lentera.facts.mapping import (
    acts_from,
    means_from_methods_of_control,
    purposes_from_exploitation,
)
from lentera.web.cases.choices import PerpetratorKind, Relationship
from lentera.web.cases.models import Case, CaseSurvivor

#: case-store relationship -> case-facts 1.1 relation (the groups the statutes name)
RELATION_OF = {
    Relationship.PARENT: "parent",
    Relationship.GUARDIAN: "guardian",
    Relationship.OTHER_FAMILY: "other_family",
    Relationship.CAREGIVER: "caregiver",
    Relationship.EDUCATOR: "educator",
    Relationship.CHILD_PROTECTION: "child_protection_official",
    Relationship.PROFESSIONAL: "mandated_professional",
    Relationship.CUSTODIAN: "custodian",
    Relationship.EMPLOYER: "employer_or_superior",
}


def _relations(perpetrators: list[Any]) -> list[str] | None:
    known = [p.relationship for p in perpetrators if p.relationship != Relationship.UNKNOWN]
    if not known:
        return None
    return sorted({RELATION_OF[r] for r in known if r in RELATION_OF})


def _age_between(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_at_offence(case: Case, link: CaseSurvivor) -> int | None:
    """The survivor's age at the offence: recorded, else from the date of birth, else from the
    estimated age shifted to the offence date; None when unknown or implausible (see above)."""
    if link.age_at_offence is not None:
        return link.age_at_offence
    person = link.person
    return age_from(
        case.offence_date, person.birth_date, person.estimated_age, person.age_recorded_on
    )


def age_from(
    offence_date: dt.date | None,
    birth_date: dt.date | None,
    estimated_age: int | None,
    age_recorded_on: dt.date | None,
) -> int | None:
    """:func:`age_at_offence` when no age at offence is recorded, from plain values (the
    analytics export reads them as columns); the date of birth matters only with an offence
    date."""
    if offence_date and birth_date:
        age = _age_between(birth_date, offence_date)
        return age if 0 <= age <= 120 else None
    if offence_date and estimated_age is not None and age_recorded_on:
        age = estimated_age - (age_recorded_on.year - offence_date.year)
        return age if 0 <= age <= 120 else None
    return None


def _any(values: Iterable[bool | None]) -> bool | None:
    values = list(values)
    if any(v is True for v in values):
        return True
    if values and all(v is False for v in values):
        return False
    return None


def case_facts_for(case: Case, link: CaseSurvivor, *, indicators: Iterable[str] = ()) -> CaseFacts:
    """Case facts for one survivor of a case (the case should have events and perpetrators prefetched)."""
    person = link.person
    events = list(case.events.all())
    perpetrators = list(case.perpetrators.all())

    recruitment = [e for e in events if e.stage == "recruitment"]
    exploitation = [e for e in events if e.stage == "exploitation"]
    origin_country = recruitment[0].country if recruitment and recruitment[0].country else None
    origin_region = (
        recruitment[0].region_code if recruitment and recruitment[0].region_code else None
    )
    if origin_country is None and (person.origin_province_code or person.origin_regency_code):
        origin_country = "ID"
    if origin_region is None and (origin_country in (None, "ID")):
        origin_region = person.origin_regency_code or person.origin_province_code or None
    destination_country = (
        exploitation[-1].country if exploitation and exploitation[-1].country else None
    )
    destination_region = (
        exploitation[-1].region_code if exploitation and exploitation[-1].region_code else None
    )
    crossed: bool | None = None
    if (
        origin_country == "ID"
        and destination_country == "ID"
        and origin_region
        and destination_region
    ):
        common = min(len(origin_region), len(destination_region))
        crossed = origin_region[:common] != destination_region[:common]

    roles = [r for p in perpetrators for r in (p.roles or [])]
    acts = dict.fromkeys(link.acts or [])
    acts.update(
        dict.fromkeys(acts_from(perpetrator_roles=roles, event_stages=[e.stage for e in events]))
    )
    means = dict.fromkeys(link.means or [])
    means.update(dict.fromkeys(means_from_methods_of_control(link.means_of_control or [])))
    purposes = purposes_from_exploitation(
        link.exploitation_types or [], link.sex_exploitation_types or []
    )

    def kind_flag(kinds: set[str]) -> bool | None:
        return _any([p.kind in kinds for p in perpetrators]) if perpetrators else None

    perpetrator: dict[str, Any] = {
        "state_official": _any([p.is_state_official for p in perpetrators]),
        "corporation": kind_flag(
            {
                PerpetratorKind.CORPORATION,
                PerpetratorKind.LICENSED_AGENCY,
                PerpetratorKind.UNLICENSED_AGENCY,
            }
        ),
        "organised_group": _any([p.is_organised_group for p in perpetrators]),
        "parent_or_guardian": (
            _any(
                [
                    True
                    if p.relationship in {Relationship.PARENT, Relationship.GUARDIAN}
                    else (None if p.relationship == Relationship.UNKNOWN else False)
                    for p in perpetrators
                ]
            )
            if perpetrators
            else None
        ),
        "individual_placing_migrant_workers": kind_flag({PerpetratorKind.INDIVIDUAL_RECRUITER}),
        "abused_power": _any([p.abused_power for p in perpetrators]),
        "relations": _relations(perpetrators),
        "acted_jointly": link.perpetrators_acted_jointly,
        "repeat_offender": _any([p.repeat_offender for p in perpetrators]),
    }

    document = {
        "schema": "lentera.case-facts/1.1",
        "case_ref": case.reference,
        "offence_date": case.offence_date.isoformat() if case.offence_date else None,
        "victim": {
            "age_at_offence": age_at_offence(case, link),
            "sex": person.sex or None,
            "citizenship": person.citizenship or None,
            "disability": person.disability,
            "pregnant": link.victim_pregnant,
            "unconscious_or_helpless": link.victim_unconscious_or_helpless,
        },
        "movement": {
            "origin_country": origin_country,
            "destination_country": destination_country,
            "origin_region": origin_region,
            "destination_region": destination_region,
            "crossed_regions_within_indonesia": crossed,
        },
        "acts": list(acts),
        "means": list(means),
        "exploitation": {
            "purposes": list(purposes),
            "occurred": link.exploitation_occurred,
            "child_marriage": link.child_marriage,
            "harmful_work": link.harmful_work,
        },
        "harm": list(link.harm or []),
        "perpetrator": perpetrator,
        "migrant_work": {
            "is_migrant_worker": link.is_migrant_worker,
            "documents_falsified": link.documents_falsified,
            "age_falsified": link.age_falsified,
            "job_differs_from_contract": link.job_differs_from_contract,
            "placed_in_closed_country": link.placed_in_closed_country,
        },
        "circumstances": {
            "more_than_one_victim": link.more_than_one_victim,
            "disaster_or_conflict": link.disaster_or_conflict,
            "electronic_means": link.electronic_means,
        },
        "indicators": sorted(set(indicators)),
    }
    return CaseFacts.model_validate(document)
