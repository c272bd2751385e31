"""Controlled vocabularies of the case store, aligned with HTCDS v2.0.

Codes are lower_snake versions of the HTCDS value names (see docs/htcds-mapping.md);
Indonesian additions are marked.

Every choices class is built at import time from the domain vocabulary
``src/lentera/vocabulary/data/cases.yaml``, the one place where a code and its Indonesian and
English labels are declared (:func:`~lentera.web.core.vocabulary.text_choices`): a member per
code, ``Sex.FEMALE`` for ``female``. Labels are lazy: they are read from the registry in the
language of the request, like ``gettext_lazy``.
"""

from lentera.web.core.vocabulary import text_choices

CaseStatus = text_choices("case_status")
Sex = text_choices("sex")
Gender = text_choices("gender")
Education = text_choices("education")
MaritalStatus = text_choices("marital_status")
TraffickingStatus = text_choices("trafficking_status")
ExploitationType = text_choices("exploitation_type")
SexExploitationType = text_choices("sex_exploitation_type")
Sector = text_choices("sector")
RecruitmentMethod = text_choices("recruitment_method")
RecruitmentApp = text_choices("recruitment_app")
MethodOfControl = text_choices("method_of_control")
Harm = text_choices("harm")
LegalAct = text_choices("legal_act")
LegalMeans = text_choices("legal_means")
EventStage = text_choices("event_stage")
PerpetratorRole = text_choices("perpetrator_role")
Relationship = text_choices("relationship")
PerpetratorKind = text_choices("perpetrator_kind")
ConsentPurpose = text_choices("consent_purpose")
SharedField = text_choices("shared_field")
AssistingInstitution = text_choices("assisting_institution")
IntakeChannel = text_choices("intake_channel")
CurrentSafety = text_choices("current_safety")
GuardianRelationship = text_choices("guardian_relationship")
ConsentSigner = text_choices("consent_signer")

SHARED_FIELD_CODES = frozenset(SharedField.values)

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
