"""Controlled vocabularies of the case store, aligned with HTCDS v2.0.

Codes are lower_snake versions of the HTCDS value names (see docs/htcds-mapping.md);
Indonesian additions are marked.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "active", _("Active")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CLOSED_REFERRED = "closed_referred", _("Closed – referred")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "feminine", _("Feminine")
    MASCULINE = "masculine", _("Masculine")
    TRANSGENDER_FEMININE = "transgender_feminine", _("Transgender feminine")
    TRANSGENDER_MASCULINE = "transgender_masculine", _("Transgender masculine")
    NON_CONFORMING = "non_conforming", _("Non-conforming")
    UNKNOWN = "unknown", _("Not specified / unknown")


class Education(models.TextChoices):
    """HTCDS prs_HighestLevelOfEducation (ISCED), plus none."""

    NONE = "none", _("No schooling")
    EARLY_CHILDHOOD = "early_childhood", _("Early childhood education")
    PRIMARY = "primary", _("Primary (SD)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (SMP)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (SMA/SMK)")
    POST_SECONDARY = "post_secondary", _("Post-secondary non-tertiary")
    SHORT_TERTIARY = "short_tertiary", _("Short-cycle tertiary (D1–D3)")
    BACHELOR = "bachelor", _("Bachelor's (S1/D4)")
    MASTER = "master", _("Master's (S2)")
    DOCTORAL = "doctoral", _("Doctoral (S3)")
    UNKNOWN = "unknown", _("Unknown")


class MaritalStatus(models.TextChoices):
    """HTCDS prs_MaritalStatus (plus siri marriage, common in Indonesia)."""

    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    MARRIED_UNREGISTERED = "married_unregistered", _("Married, unregistered (nikah siri)")
    WIDOWED = "widowed", _("Widowed")
    DIVORCED = "divorced", _("Divorced")
    SEPARATED = "separated", _("Separated")
    UNKNOWN = "unknown", _("Unknown")


class TraffickingStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    POSSIBLE = "possible_victim", _("Possible victim")
    ACTUAL = "actual_victim", _("Actual victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class ExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfExploitation plus forced criminality (HTCDS issue #28)."""

    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Servitude")
    FORCED_MILITARY = "forced_military", _("Forced military (non-state actors)")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_ADOPTION = "forced_adoption", _("Forced adoption")
    SURROGACY = "surrogacy", _("Surrogacy")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality (e.g. online scams)")
    OTHER = "other", _("Other")


class SexExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfSexExploitation."""

    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE_INTERACTIVE = "remote_interactive", _("Remote interactive services (online)")
    PRIVATE_SEXUAL = "private_sexual", _("Private sexual services")


class Sector(models.TextChoices):
    """HTCDS vic_ForcedLabourIndustry: ISIC rev. 4 sections (tier 1)."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning")
    E = "E", _("Water supply, sewerage and waste")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food service")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance")
    L = "L", _("Real estate")
    M = "M", _("Professional, scientific and technical")
    N = "N", _("Administrative and support services")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Households as employers (domestic work)")
    U = "U", _("Extraterritorial organisations")


class RecruitmentMethod(models.TextChoices):
    """HTCDS vic_MethodOfRecruitment plus Indonesian recruiter channels."""

    PLACE_OF_BUSINESS = "place_of_business", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "educational_institution", _("At an educational institution")
    AT_WORK = "at_work", _("At work")
    ONLINE_SOCIAL_NETWORK = "online_social_network", _("Through online social networks")
    ONLINE_ADVERT = "online_advert", _("Through an online advertisement")
    TV_ADVERT = "tv_advert", _("Through a television advert")
    NEWSPAPER_ADVERT = "newspaper_advert", _("Through a newspaper advert")
    FAMILY = "family", _("Through family or family events")
    FRIENDS = "friends", _("Through friends or social events")
    SPONSOR_LOCAL = "sponsor_local", _("Village recruiter (sponsor / calo)")
    AGENCY = "agency", _("Placement agency (P3MI)")
    OTHER = "other", _("Other")


class RecruitmentApp(models.TextChoices):
    """HTCDS vic_RecruitmentWebsitesAndApps."""

    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "facebook_messenger", "Facebook Messenger"
    TIKTOK = "tiktok", "TikTok"
    LINE = "line", "Line"
    WECHAT = "wechat", "WeChat"
    TWITTER = "twitter", "X / Twitter"
    MICHAT = "michat", "MiChat"
    OTHER = "other", _("Other")


class MethodOfControl(models.TextChoices):
    """HTCDS v2.0 methods of control (Field Definitions)."""

    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    TAKES_EARNINGS = "takes_earnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts financial access")
    THREATS = "threats", _("Threats")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    FALSE_PROMISES = "false_promises", _("False promises")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Psychoactive substances")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts movement")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Restricts medical care")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    USES_CHILDREN = "uses_children", _("Uses children")
    THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", _("Threat of law enforcement")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds necessities")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds documents")
    OTHER = "other", _("Other")


class Harm(models.TextChoices):
    """Harm codes of the case-facts contract (aggravations)."""

    SERIOUS_INJURY = "serious_injury", _("Serious injury (luka berat)")
    SERIOUS_MENTAL_DISORDER = "serious_mental_disorder", _("Serious mental disorder")
    INFECTIOUS_DISEASE = "infectious_disease", _("Infectious disease")
    PREGNANCY = "pregnancy", _("Pregnancy")
    REPRODUCTIVE_HARM = "reproductive_harm", _("Loss or impairment of reproductive function")
    DEATH = "death", _("Death")


class LegalAct(models.TextChoices):
    """Acts of the case-facts contract."""

    RECRUITMENT = "recruitment", _("Recruitment (perekrutan)")
    TRANSPORTATION = "transportation", _("Transportation (pengangkutan)")
    TRANSFER = "transfer", _("Transfer (pemindahan)")
    HARBOURING = "harbouring", _("Harbouring (penampungan)")
    RECEIPT = "receipt", _("Receipt (penerimaan)")
    SENDING = "sending", _("Sending (pengiriman)")
    ADOPTION = "adoption", _("Adoption for payment (pengangkatan anak)")


class LegalMeans(models.TextChoices):
    """Means of the case-facts contract."""

    THREAT_OF_FORCE = "threat_of_force", _("Threat of force (ancaman kekerasan)")
    USE_OF_FORCE = "use_of_force", _("Use of force (penggunaan kekerasan)")
    ABDUCTION = "abduction", _("Abduction (penculikan)")
    CONFINEMENT = "confinement", _("Confinement (penyekapan)")
    FORGERY = "forgery", _("Forgery (pemalsuan)")
    FRAUD = "fraud", _("Fraud (penipuan)")
    DECEPTION = "deception", _("Deception (penipuan)")
    ABUSE_OF_POWER = "abuse_of_power", _("Abuse of power (penyalahgunaan kekuasaan)")
    ABUSE_OF_VULNERABILITY = (
        "abuse_of_vulnerability",
        _("Abuse of a position of vulnerability (posisi rentan)"),
    )
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage (penjeratan utang)")
    PAYMENT_TO_CONTROLLER = (
        "payment_to_controller",
        _("Payment to a person in control (memberi bayaran)"),
    )
    OTHER_COERCION = "other_coercion", _("Other coercion (Palermo only)")


class EventStage(models.TextChoices):
    """HTCDS hte_Type."""

    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")
    IDENTIFICATION = "identification", _("Identification (found or reported as a victim)")
    RETURN = "return", _("Return or repatriation")


class PerpetratorRole(models.TextChoices):
    """HTCDS per_RoleInProcess."""

    TRAVELLING_PARTNER = "travelling_partner", _("Travelling partner")
    TRANSPORTER = "transporter", _("Transporter")
    RECRUITER = "recruiter_or_intermediary", _("Recruiter or intermediary")
    BROKER = "broker_travel_agent", _("Broker / travel agent")
    TRANSFERRED = "transferred_individual", _("Transferred the person")
    HARBOURED = "harboured_individual", _("Harboured the person")
    SOLD = "sold_individual", _("Sold the person")
    BOUGHT = "bought_individual", _("Bought the person")
    RECEIVED = "received_individual", _("Received the person")
    CONTROLLED = "controlled_individual", _("Controlled the person")
    SMUGGLER = "smuggler", _("Smuggler")
    ABUSER = "abuser", _("Abuser")
    KIDNAPPER = "kidnapper", _("Kidnapper")
    EXPLOITER = "exploiter", _("Exploiter")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    """Relationship of a perpetrator to the survivor (HTCDS vic_RelationshipToTrafficker, refined)."""

    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    OTHER_FAMILY = "other_family", _("Other family member")
    PARTNER = "partner", _("Partner or spouse")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour / same village")
    ACQUAINTANCE = "acquaintance", _("Acquaintance (incl. online)")
    EMPLOYER = "employer", _("Employer, superior or manager")
    # case-facts 1.1: the groups UU 35/2014 (as amended by UU 17/2016) and UU 12/2022 Pasal 15 name
    CAREGIVER = "caregiver", _("Caregiver of the child")
    EDUCATOR = "educator", _("Educator or education staff")
    CHILD_PROTECTION = "child_protection", _("Official handling child protection")
    PROFESSIONAL = "professional", _("Health worker or other mandated professional")
    CUSTODIAN = "custodian", _("Staff entrusted with the victim's care or custody")
    STRANGER = "stranger", _("Not acquainted")
    UNKNOWN = "unknown", _("Unknown")


class PerpetratorKind(models.TextChoices):
    """Indonesian-specific perpetrator categories."""

    INDIVIDUAL = "individual", _("Individual")
    INDIVIDUAL_RECRUITER = (
        "individual_recruiter",
        _("Individual recruiter (calo / sponsor) placing migrant workers"),
    )
    LICENSED_AGENCY = "licensed_agency", _("Licensed placement agency (P3MI)")
    UNLICENSED_AGENCY = "unlicensed_agency", _("Unlicensed agency")
    CORPORATION = "corporation", _("Other corporation")


class ConsentPurpose(models.TextChoices):
    """What a survivor agreed to."""

    SERVICES = "services", _("Receiving services")
    REFERRAL = "referral", _("Referral to other organisations")
    DATA_SHARING = "data_sharing", _("De-identified data sharing")
    REPORTING = "reporting", _("Reporting to police / prosecutor")


class SharedField(models.TextChoices):
    """What a referral may pass to the receiving provider, as the survivor consented."""

    NAME = "name", _("Name")
    SEX_AGE = "sex_age", _("Sex and age")
    CONTACT = "contact", _("Phone number")
    NIK = "nik", _("NIK")
    ADDRESS = "address", _("Home address and region")
    EXPLOITATION = "exploitation", _("What happened (exploitation, recruitment, destination)")


SHARED_FIELD_CODES = frozenset(SharedField.values)


class AssistingInstitution(models.TextChoices):
    """Who assisted at an identification or a return (e.g. "pulang via Entikong dibantu KJRI")."""

    KJRI_KBRI = "kjri_kbri", _("Indonesian consulate or embassy (KJRI / KBRI)")
    BP3MI = "bp3mi", _("BP3MI / BP2MI")
    POLICE = "police", _("Police")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA / P2TP2A")
    SOCIAL_AFFAIRS = "social_affairs", _("Social affairs office (Dinas Sosial)")
    IOM = "iom", _("IOM")
    NGO = "ngo", _("NGO")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class IntakeChannel(models.TextChoices):
    """How the case came to the organisation."""

    KJRI_KBRI = "kjri_kbri", _("Indonesian consulate or embassy (KJRI / KBRI)")
    BP3MI = "bp3mi", _("BP3MI / BP2MI")
    POLICE = "police", _("Police")
    FAMILY = "family", _("Family or community")
    SELF = "self", _("The survivor came forward")
    HOTLINE = "hotline", _("Hotline (SAPA 129 or other)")
    NGO = "ngo", _("Referred by an NGO")
    GOVERNMENT = "government", _("Other government office")
    OTHER = "other", _("Other")


class CurrentSafety(models.TextChoices):
    """Where the survivor is now and whether they are safe."""

    SHELTER = "shelter", _("In a shelter (rumah aman / RPTC)")
    WITH_FAMILY = "with_family", _("Back with family, safe")
    STILL_ABROAD = "still_abroad", _("Still abroad")
    AT_RISK = "at_risk", _("At risk (threats, contact with the perpetrators)")
    UNKNOWN = "unknown", _("Unknown")


class GuardianRelationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    OTHER_FAMILY = "other_family", _("Other family member")
    LEGAL_GUARDIAN = "legal_guardian", _("Guardian appointed by a court or office")
    OTHER = "other", _("Other")


class ConsentSigner(models.TextChoices):
    """Who gave the consent (for a minor: a parent or guardian)."""

    SURVIVOR = "survivor", _("The survivor")
    PARENT = "parent", _("A parent")
    GUARDIAN = "guardian", _("The guardian (wali)")
    OTHER = "other", _("Someone else (name them)")
