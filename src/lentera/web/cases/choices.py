"""Controlled vocabularies of the case store, aligned with HTCDS v2.0.

Codes are lower_snake versions of the HTCDS value names (see docs/htcds-mapping.md);
Indonesian additions are marked.

GENERATED CLASSES: every ``TextChoices`` class below is written by ``tools/gen_vocabulary.py``
from the domain vocabulary ``src/lentera/vocabulary/data/cases.yaml``, the one place where a code
and its Indonesian and English labels are declared. Edit the YAML and rerun the tool; a test
fails while this module is stale. Labels are lazy (``term_label``): they are read from the
registry in the language of the request, like ``gettext_lazy``. Code between the classes
(``SHARED_FIELD_CODES``) is hand-written and kept by the generator.
"""

from django.db import models

from lentera.web.core.vocabulary import term_label


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "active", term_label("case_status", "active")
    FOLLOW_UP = "follow_up", term_label("case_status", "follow_up")
    CLOSED = "closed", term_label("case_status", "closed")
    CLOSED_REFERRED = "closed_referred", term_label("case_status", "closed_referred")


class Sex(models.TextChoices):
    FEMALE = "female", term_label("sex", "female")
    MALE = "male", term_label("sex", "male")
    OTHER = "other", term_label("sex", "other")
    UNKNOWN = "unknown", term_label("sex", "unknown")


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "feminine", term_label("gender", "feminine")
    MASCULINE = "masculine", term_label("gender", "masculine")
    TRANSGENDER_FEMININE = "transgender_feminine", term_label("gender", "transgender_feminine")
    TRANSGENDER_MASCULINE = "transgender_masculine", term_label("gender", "transgender_masculine")
    NON_CONFORMING = "non_conforming", term_label("gender", "non_conforming")
    UNKNOWN = "unknown", term_label("gender", "unknown")


class Education(models.TextChoices):
    """HTCDS prs_HighestLevelOfEducation (ISCED), plus none."""

    NONE = "none", term_label("education", "none")
    EARLY_CHILDHOOD = "early_childhood", term_label("education", "early_childhood")
    PRIMARY = "primary", term_label("education", "primary")
    LOWER_SECONDARY = "lower_secondary", term_label("education", "lower_secondary")
    UPPER_SECONDARY = "upper_secondary", term_label("education", "upper_secondary")
    POST_SECONDARY = "post_secondary", term_label("education", "post_secondary")
    SHORT_TERTIARY = "short_tertiary", term_label("education", "short_tertiary")
    BACHELOR = "bachelor", term_label("education", "bachelor")
    MASTER = "master", term_label("education", "master")
    DOCTORAL = "doctoral", term_label("education", "doctoral")
    UNKNOWN = "unknown", term_label("education", "unknown")


class MaritalStatus(models.TextChoices):
    """HTCDS prs_MaritalStatus (plus siri marriage, common in Indonesia)."""

    SINGLE = "single", term_label("marital_status", "single")
    MARRIED = "married", term_label("marital_status", "married")
    MARRIED_UNREGISTERED = (
        "married_unregistered",
        term_label("marital_status", "married_unregistered"),
    )
    WIDOWED = "widowed", term_label("marital_status", "widowed")
    DIVORCED = "divorced", term_label("marital_status", "divorced")
    SEPARATED = "separated", term_label("marital_status", "separated")
    UNKNOWN = "unknown", term_label("marital_status", "unknown")


class TraffickingStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    POSSIBLE = "possible_victim", term_label("trafficking_status", "possible_victim")
    ACTUAL = "actual_victim", term_label("trafficking_status", "actual_victim")
    NOT_VICTIM = "not_victim", term_label("trafficking_status", "not_victim")


class ExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfExploitation plus forced criminality (HTCDS issue #28)."""

    FORCED_LABOUR = "forced_labour", term_label("exploitation_type", "forced_labour")
    SEXUAL_EXPLOITATION = (
        "sexual_exploitation",
        term_label("exploitation_type", "sexual_exploitation"),
    )
    CHILD_LABOUR = "child_labour", term_label("exploitation_type", "child_labour")
    FORCED_MARRIAGE = "forced_marriage", term_label("exploitation_type", "forced_marriage")
    SERVITUDE = "servitude", term_label("exploitation_type", "servitude")
    FORCED_MILITARY = "forced_military", term_label("exploitation_type", "forced_military")
    ORGAN_REMOVAL = "organ_removal", term_label("exploitation_type", "organ_removal")
    FORCED_BEGGING = "forced_begging", term_label("exploitation_type", "forced_begging")
    FORCED_ADOPTION = "forced_adoption", term_label("exploitation_type", "forced_adoption")
    SURROGACY = "surrogacy", term_label("exploitation_type", "surrogacy")
    FORCED_CRIMINALITY = "forced_criminality", term_label("exploitation_type", "forced_criminality")
    OTHER = "other", term_label("exploitation_type", "other")


class SexExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfSexExploitation."""

    PROSTITUTION = "prostitution", term_label("sex_exploitation_type", "prostitution")
    PORNOGRAPHY = "pornography", term_label("sex_exploitation_type", "pornography")
    REMOTE_INTERACTIVE = (
        "remote_interactive",
        term_label("sex_exploitation_type", "remote_interactive"),
    )
    PRIVATE_SEXUAL = "private_sexual", term_label("sex_exploitation_type", "private_sexual")


class Sector(models.TextChoices):
    """HTCDS vic_ForcedLabourIndustry: ISIC rev. 4 sections (tier 1)."""

    A = "A", term_label("sector", "A")
    B = "B", term_label("sector", "B")
    C = "C", term_label("sector", "C")
    D = "D", term_label("sector", "D")
    E = "E", term_label("sector", "E")
    F = "F", term_label("sector", "F")
    G = "G", term_label("sector", "G")
    H = "H", term_label("sector", "H")
    I = "I", term_label("sector", "I")  # noqa: E741
    J = "J", term_label("sector", "J")
    K = "K", term_label("sector", "K")
    L = "L", term_label("sector", "L")
    M = "M", term_label("sector", "M")
    N = "N", term_label("sector", "N")
    O = "O", term_label("sector", "O")  # noqa: E741
    P = "P", term_label("sector", "P")
    Q = "Q", term_label("sector", "Q")
    R = "R", term_label("sector", "R")
    S = "S", term_label("sector", "S")
    T = "T", term_label("sector", "T")
    U = "U", term_label("sector", "U")


class RecruitmentMethod(models.TextChoices):
    """HTCDS vic_MethodOfRecruitment plus Indonesian recruiter channels."""

    PLACE_OF_BUSINESS = "place_of_business", term_label("recruitment_method", "place_of_business")
    EDUCATIONAL_INSTITUTION = (
        "educational_institution",
        term_label("recruitment_method", "educational_institution"),
    )
    AT_WORK = "at_work", term_label("recruitment_method", "at_work")
    ONLINE_SOCIAL_NETWORK = (
        "online_social_network",
        term_label("recruitment_method", "online_social_network"),
    )
    ONLINE_ADVERT = "online_advert", term_label("recruitment_method", "online_advert")
    TV_ADVERT = "tv_advert", term_label("recruitment_method", "tv_advert")
    NEWSPAPER_ADVERT = "newspaper_advert", term_label("recruitment_method", "newspaper_advert")
    FAMILY = "family", term_label("recruitment_method", "family")
    FRIENDS = "friends", term_label("recruitment_method", "friends")
    SPONSOR_LOCAL = "sponsor_local", term_label("recruitment_method", "sponsor_local")
    AGENCY = "agency", term_label("recruitment_method", "agency")
    OTHER = "other", term_label("recruitment_method", "other")


class RecruitmentApp(models.TextChoices):
    """HTCDS vic_RecruitmentWebsitesAndApps."""

    FACEBOOK = "facebook", term_label("recruitment_app", "facebook")
    INSTAGRAM = "instagram", term_label("recruitment_app", "instagram")
    WHATSAPP = "whatsapp", term_label("recruitment_app", "whatsapp")
    TELEGRAM = "telegram", term_label("recruitment_app", "telegram")
    MESSENGER = "facebook_messenger", term_label("recruitment_app", "facebook_messenger")
    TIKTOK = "tiktok", term_label("recruitment_app", "tiktok")
    LINE = "line", term_label("recruitment_app", "line")
    WECHAT = "wechat", term_label("recruitment_app", "wechat")
    TWITTER = "twitter", term_label("recruitment_app", "twitter")
    MICHAT = "michat", term_label("recruitment_app", "michat")
    OTHER = "other", term_label("recruitment_app", "other")


class MethodOfControl(models.TextChoices):
    """HTCDS v2.0 methods of control (Field Definitions)."""

    DEBT_BONDAGE = "debt_bondage", term_label("method_of_control", "debt_bondage")
    TAKES_EARNINGS = "takes_earnings", term_label("method_of_control", "takes_earnings")
    RESTRICTS_FINANCIAL_ACCESS = (
        "restricts_financial_access",
        term_label("method_of_control", "restricts_financial_access"),
    )
    THREATS = "threats", term_label("method_of_control", "threats")
    PSYCHOLOGICAL_ABUSE = (
        "psychological_abuse",
        term_label("method_of_control", "psychological_abuse"),
    )
    PHYSICAL_ABUSE = "physical_abuse", term_label("method_of_control", "physical_abuse")
    SEXUAL_ABUSE = "sexual_abuse", term_label("method_of_control", "sexual_abuse")
    FALSE_PROMISES = "false_promises", term_label("method_of_control", "false_promises")
    PSYCHOACTIVE_SUBSTANCES = (
        "psychoactive_substances",
        term_label("method_of_control", "psychoactive_substances"),
    )
    RESTRICTS_MOVEMENT = "restricts_movement", term_label("method_of_control", "restricts_movement")
    RESTRICTS_MEDICAL_CARE = (
        "restricts_medical_care",
        term_label("method_of_control", "restricts_medical_care"),
    )
    EXCESSIVE_WORKING_HOURS = (
        "excessive_working_hours",
        term_label("method_of_control", "excessive_working_hours"),
    )
    USES_CHILDREN = "uses_children", term_label("method_of_control", "uses_children")
    THREAT_OF_LAW_ENFORCEMENT = (
        "threat_of_law_enforcement",
        term_label("method_of_control", "threat_of_law_enforcement"),
    )
    WITHHOLDS_NECESSITIES = (
        "withholds_necessities",
        term_label("method_of_control", "withholds_necessities"),
    )
    WITHHOLDS_DOCUMENTS = (
        "withholds_documents",
        term_label("method_of_control", "withholds_documents"),
    )
    OTHER = "other", term_label("method_of_control", "other")


class Harm(models.TextChoices):
    """Harm codes of the case-facts contract (aggravations)."""

    SERIOUS_INJURY = "serious_injury", term_label("harm", "serious_injury")
    SERIOUS_MENTAL_DISORDER = (
        "serious_mental_disorder",
        term_label("harm", "serious_mental_disorder"),
    )
    INFECTIOUS_DISEASE = "infectious_disease", term_label("harm", "infectious_disease")
    PREGNANCY = "pregnancy", term_label("harm", "pregnancy")
    REPRODUCTIVE_HARM = "reproductive_harm", term_label("harm", "reproductive_harm")
    DEATH = "death", term_label("harm", "death")


class LegalAct(models.TextChoices):
    """Acts of the case-facts contract."""

    RECRUITMENT = "recruitment", term_label("legal_act", "recruitment")
    TRANSPORTATION = "transportation", term_label("legal_act", "transportation")
    TRANSFER = "transfer", term_label("legal_act", "transfer")
    HARBOURING = "harbouring", term_label("legal_act", "harbouring")
    RECEIPT = "receipt", term_label("legal_act", "receipt")
    SENDING = "sending", term_label("legal_act", "sending")
    ADOPTION = "adoption", term_label("legal_act", "adoption")


class LegalMeans(models.TextChoices):
    """Means of the case-facts contract."""

    THREAT_OF_FORCE = "threat_of_force", term_label("legal_means", "threat_of_force")
    USE_OF_FORCE = "use_of_force", term_label("legal_means", "use_of_force")
    ABDUCTION = "abduction", term_label("legal_means", "abduction")
    CONFINEMENT = "confinement", term_label("legal_means", "confinement")
    FORGERY = "forgery", term_label("legal_means", "forgery")
    FRAUD = "fraud", term_label("legal_means", "fraud")
    DECEPTION = "deception", term_label("legal_means", "deception")
    ABUSE_OF_POWER = "abuse_of_power", term_label("legal_means", "abuse_of_power")
    ABUSE_OF_VULNERABILITY = (
        "abuse_of_vulnerability",
        term_label("legal_means", "abuse_of_vulnerability"),
    )
    DEBT_BONDAGE = "debt_bondage", term_label("legal_means", "debt_bondage")
    PAYMENT_TO_CONTROLLER = (
        "payment_to_controller",
        term_label("legal_means", "payment_to_controller"),
    )
    OTHER_COERCION = "other_coercion", term_label("legal_means", "other_coercion")


class EventStage(models.TextChoices):
    """HTCDS hte_Type."""

    RECRUITMENT = "recruitment", term_label("event_stage", "recruitment")
    TRANSIT = "transit", term_label("event_stage", "transit")
    EXPLOITATION = "exploitation", term_label("event_stage", "exploitation")
    IDENTIFICATION = "identification", term_label("event_stage", "identification")
    RETURN = "return", term_label("event_stage", "return")


class PerpetratorRole(models.TextChoices):
    """HTCDS per_RoleInProcess."""

    TRAVELLING_PARTNER = "travelling_partner", term_label("perpetrator_role", "travelling_partner")
    TRANSPORTER = "transporter", term_label("perpetrator_role", "transporter")
    RECRUITER = (
        "recruiter_or_intermediary",
        term_label("perpetrator_role", "recruiter_or_intermediary"),
    )
    BROKER = "broker_travel_agent", term_label("perpetrator_role", "broker_travel_agent")
    TRANSFERRED = "transferred_individual", term_label("perpetrator_role", "transferred_individual")
    HARBOURED = "harboured_individual", term_label("perpetrator_role", "harboured_individual")
    SOLD = "sold_individual", term_label("perpetrator_role", "sold_individual")
    BOUGHT = "bought_individual", term_label("perpetrator_role", "bought_individual")
    RECEIVED = "received_individual", term_label("perpetrator_role", "received_individual")
    CONTROLLED = "controlled_individual", term_label("perpetrator_role", "controlled_individual")
    SMUGGLER = "smuggler", term_label("perpetrator_role", "smuggler")
    ABUSER = "abuser", term_label("perpetrator_role", "abuser")
    KIDNAPPER = "kidnapper", term_label("perpetrator_role", "kidnapper")
    EXPLOITER = "exploiter", term_label("perpetrator_role", "exploiter")
    OTHER = "other", term_label("perpetrator_role", "other")


class Relationship(models.TextChoices):
    """Relationship of a perpetrator to the survivor (HTCDS vic_RelationshipToTrafficker, refined)."""

    PARENT = "parent", term_label("relationship", "parent")
    GUARDIAN = "guardian", term_label("relationship", "guardian")
    OTHER_FAMILY = "other_family", term_label("relationship", "other_family")
    PARTNER = "partner", term_label("relationship", "partner")
    FRIEND = "friend", term_label("relationship", "friend")
    NEIGHBOUR = "neighbour", term_label("relationship", "neighbour")
    ACQUAINTANCE = "acquaintance", term_label("relationship", "acquaintance")
    EMPLOYER = "employer", term_label("relationship", "employer")
    # case-facts 1.1: the groups UU 35/2014 (as amended by UU 17/2016) and UU 12/2022 Pasal 15 name
    CAREGIVER = "caregiver", term_label("relationship", "caregiver")
    EDUCATOR = "educator", term_label("relationship", "educator")
    CHILD_PROTECTION = "child_protection", term_label("relationship", "child_protection")
    PROFESSIONAL = "professional", term_label("relationship", "professional")
    CUSTODIAN = "custodian", term_label("relationship", "custodian")
    STRANGER = "stranger", term_label("relationship", "stranger")
    UNKNOWN = "unknown", term_label("relationship", "unknown")


class PerpetratorKind(models.TextChoices):
    """Indonesian-specific perpetrator categories."""

    INDIVIDUAL = "individual", term_label("perpetrator_kind", "individual")
    INDIVIDUAL_RECRUITER = (
        "individual_recruiter",
        term_label("perpetrator_kind", "individual_recruiter"),
    )
    LICENSED_AGENCY = "licensed_agency", term_label("perpetrator_kind", "licensed_agency")
    UNLICENSED_AGENCY = "unlicensed_agency", term_label("perpetrator_kind", "unlicensed_agency")
    CORPORATION = "corporation", term_label("perpetrator_kind", "corporation")


class ConsentPurpose(models.TextChoices):
    """What a survivor agreed to."""

    SERVICES = "services", term_label("consent_purpose", "services")
    REFERRAL = "referral", term_label("consent_purpose", "referral")
    DATA_SHARING = "data_sharing", term_label("consent_purpose", "data_sharing")
    REPORTING = "reporting", term_label("consent_purpose", "reporting")


class SharedField(models.TextChoices):
    """What a referral may pass to the receiving provider, as the survivor consented."""

    NAME = "name", term_label("shared_field", "name")
    SEX_AGE = "sex_age", term_label("shared_field", "sex_age")
    CONTACT = "contact", term_label("shared_field", "contact")
    NIK = "nik", term_label("shared_field", "nik")
    ADDRESS = "address", term_label("shared_field", "address")
    EXPLOITATION = "exploitation", term_label("shared_field", "exploitation")


SHARED_FIELD_CODES = frozenset(SharedField.values)


class AssistingInstitution(models.TextChoices):
    """Who assisted at an identification or a return (e.g. "pulang via Entikong dibantu KJRI")."""

    KJRI_KBRI = "kjri_kbri", term_label("assisting_institution", "kjri_kbri")
    BP3MI = "bp3mi", term_label("assisting_institution", "bp3mi")
    POLICE = "police", term_label("assisting_institution", "police")
    UPTD_PPA = "uptd_ppa", term_label("assisting_institution", "uptd_ppa")
    SOCIAL_AFFAIRS = "social_affairs", term_label("assisting_institution", "social_affairs")
    IOM = "iom", term_label("assisting_institution", "iom")
    NGO = "ngo", term_label("assisting_institution", "ngo")
    FAMILY = "family", term_label("assisting_institution", "family")
    OTHER = "other", term_label("assisting_institution", "other")


class IntakeChannel(models.TextChoices):
    """How the case came to the organisation."""

    KJRI_KBRI = "kjri_kbri", term_label("intake_channel", "kjri_kbri")
    BP3MI = "bp3mi", term_label("intake_channel", "bp3mi")
    POLICE = "police", term_label("intake_channel", "police")
    FAMILY = "family", term_label("intake_channel", "family")
    SELF = "self", term_label("intake_channel", "self")
    HOTLINE = "hotline", term_label("intake_channel", "hotline")
    NGO = "ngo", term_label("intake_channel", "ngo")
    GOVERNMENT = "government", term_label("intake_channel", "government")
    OTHER = "other", term_label("intake_channel", "other")


class CurrentSafety(models.TextChoices):
    """Where the survivor is now and whether they are safe."""

    SHELTER = "shelter", term_label("current_safety", "shelter")
    WITH_FAMILY = "with_family", term_label("current_safety", "with_family")
    STILL_ABROAD = "still_abroad", term_label("current_safety", "still_abroad")
    AT_RISK = "at_risk", term_label("current_safety", "at_risk")
    UNKNOWN = "unknown", term_label("current_safety", "unknown")


class GuardianRelationship(models.TextChoices):
    PARENT = "parent", term_label("guardian_relationship", "parent")
    OTHER_FAMILY = "other_family", term_label("guardian_relationship", "other_family")
    LEGAL_GUARDIAN = "legal_guardian", term_label("guardian_relationship", "legal_guardian")
    OTHER = "other", term_label("guardian_relationship", "other")


class ConsentSigner(models.TextChoices):
    """Who gave the consent (for a minor: a parent or guardian)."""

    SURVIVOR = "survivor", term_label("consent_signer", "survivor")
    PARENT = "parent", term_label("consent_signer", "parent")
    GUARDIAN = "guardian", term_label("consent_signer", "guardian")
    OTHER = "other", term_label("consent_signer", "other")


#: the multiple-choice fields of the survivor-in-case record and their vocabulary
LIST_CHOICES = {
    "exploitation_types": ExploitationType,
    "sex_exploitation_types": SexExploitationType,
    "recruitment_apps": RecruitmentApp,
    "means_of_control": MethodOfControl,
    "acts": LegalAct,
    "means": LegalMeans,
    "harm": Harm,
}
