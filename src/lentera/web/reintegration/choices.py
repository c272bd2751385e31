"""Vocabularies of reintegration plans, follow-ups and later departures.

The lists and their Indonesian and English labels are in the vocabulary registry
(``data/programmes.yaml``); the Indonesian words NGOs use (modal usaha, KTP, akta kelahiran,
BPJS, calo) stay in both languages.
"""

from lentera.web.core.vocabulary import text_choices

Domain = text_choices("support_domain")
ActionKind = text_choices("support_type")
ActionStatus = text_choices("support_action_status")
#: how a follow-up was made, and its outcome
Mode = text_choices("followup_mode")
Outcome = text_choices("followup_outcome")
#: a later departure: its kind, channel, and whether the same recruiter (calo) was behind it
DepartureKind = text_choices("departure_kind")
Channel = text_choices("departure_channel")
SameRecruiter = text_choices("same_recruiter")


#: the domain each kind of action belongs to
DOMAIN_OF: dict[str, str] = {
    ActionKind.VOCATIONAL_TRAINING: Domain.ECONOMIC,
    ActionKind.BUSINESS_GRANT: Domain.ECONOMIC,
    ActionKind.JOB_PLACEMENT: Domain.ECONOMIC,
    ActionKind.CASH_ASSISTANCE: Domain.ECONOMIC,
    ActionKind.SAVINGS_GROUP: Domain.ECONOMIC,
    ActionKind.FAMILY_REUNIFICATION: Domain.SOCIAL,
    ActionKind.FAMILY_ASSESSMENT: Domain.SOCIAL,
    ActionKind.RETURN_TO_SCHOOL: Domain.SOCIAL,
    ActionKind.DOCUMENT_KTP: Domain.SOCIAL,
    ActionKind.DOCUMENT_BIRTH: Domain.SOCIAL,
    ActionKind.DOCUMENT_BPJS: Domain.SOCIAL,
    ActionKind.COUNSELLING: Domain.PSYCHOSOCIAL,
    ActionKind.PEER_SUPPORT: Domain.PSYCHOSOCIAL,
    ActionKind.RESTITUTION_PAID: Domain.LEGAL,
    ActionKind.TESTIMONY: Domain.LEGAL,
}

#: kinds whose completion means the survivor has an income of their own
INCOME_KINDS = frozenset({ActionKind.JOB_PLACEMENT, ActionKind.BUSINESS_GRANT})


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


#: outcomes that count as loss to follow-up when they are the survivor's latest
LOST_OUTCOMES = frozenset({Outcome.NOT_REACHED, Outcome.REFUSED, Outcome.MOVED})

#: the RSS engine's visit outcome for each recorded outcome
ENGINE_OUTCOME: dict[str, str] = {
    Outcome.REACHED: "completed",
    Outcome.NOT_REACHED: "not_reached",
    Outcome.REFUSED: "refused",
    Outcome.MOVED: "not_reached",
    Outcome.DECEASED: "not_reached",
}


DEFAULT_SCHEDULE = [0, 3, 6, 12]
