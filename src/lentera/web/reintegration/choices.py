"""Vocabularies of reintegration plans, follow-ups and later departures.

Labels are English msgids translated to Bahasa Indonesia in the locale files; the
Indonesian words NGOs use (modal usaha, KTP, akta kelahiran, BPJS, calo) stay in both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")


class ActionKind(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    BUSINESS_GRANT = "business_grant", _("Business grant (modal usaha)")
    JOB_PLACEMENT = "job_placement", _("Job placement")
    CASH_ASSISTANCE = "cash_assistance", _("Cash assistance")
    SAVINGS_GROUP = "savings_group", _("Savings group")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    FAMILY_ASSESSMENT = "family_assessment", _("Family assessment")
    RETURN_TO_SCHOOL = "return_to_school", _("Return to school")
    DOCUMENT_KTP = "document_ktp", _("Identity card (KTP)")
    DOCUMENT_BIRTH = "document_birth", _("Birth certificate (akta kelahiran)")
    DOCUMENT_BPJS = "document_bpjs", _("Health insurance (BPJS)")
    COUNSELLING = "counselling", _("Counselling")
    PEER_SUPPORT = "peer_support", _("Peer support")
    RESTITUTION_PAID = "restitution_paid", _("Restitution paid")
    TESTIMONY = "testimony", _("Testimony")


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


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Mode(models.TextChoices):
    VISIT = "visit", _("Home visit")
    CALL = "call", _("Phone call")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Could not reach")
    REFUSED = "refused", _("Refused")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")


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


class DepartureKind(models.TextChoices):
    RE_MIGRATION = "re_migration", _("Left again to work (re-migration)")
    RE_EXPLOITATION = "re_exploitation", _("Exploited again (re-trafficking)")


class Channel(models.TextChoices):
    DOCUMENTED = "documented", _("Documented (official procedure)")
    UNDOCUMENTED = "undocumented", _("Undocumented (non-procedural)")
    UNKNOWN = "unknown", _("Unknown")


class SameRecruiter(models.TextChoices):
    YES = "yes", _("Yes, the same recruiter (calo)")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


DEFAULT_SCHEDULE = [0, 3, 6, 12]
