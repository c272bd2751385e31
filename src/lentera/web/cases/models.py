"""The case store: cases, survivors (persons), perpetrators, events, consent, notes.

(Over 500 lines: it is the schema of the case store — twelve models that reference each other
and one migration history; splitting it would scatter the schema without shortening any model.)

Personal fields are encrypted at rest (:mod:`lentera.web.core.fields`);
look-ups go through keyed blind indexes. Every row belongs to one organisation
and is read only through the org-scoped selectors in ``selectors.py``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.cases import choices
from lentera.web.cases.kept_copies import DeletedRow as DeletedRow
from lentera.web.core.contradictions import ReadableConstraints
from lentera.web.core.fields import EncryptedDateField, EncryptedTextField
from lentera.web.core.models import (
    Created,
    CreatedBy,
    Edited,
    ShownById,
    YearCounter,
    code_field,
    optional_fk,
    organisation_fk,
    organisation_unique,
    user_fk,
)


class CaseCounter(YearCounter):
    """The last case number issued per organisation and year."""

    class Meta(YearCounter.Meta):
        constraints = [organisation_unique("year", name="case_counter_unique")]


class Case(ReadableConstraints, CreatedBy, Edited):
    """A trafficking case handled by one organisation."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("case number"), max_length=32)
    status = code_field(_("status"), choices.CaseStatus, 16, default=choices.CaseStatus.ACTIVE)
    owner = user_fk(related_name="owned_cases", verbose_name=_("case owner"))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = EncryptedTextField(_("reason for closure"), blank=True, default="")
    offence_date = models.DateField(
        _("offence date"),
        null=True,
        blank=True,
        help_text=_("When the acts took place; decides which law applies."),
    )
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    intake_channel = code_field(_("how the case came in"), choices.IntakeChannel, 16, optional=True)
    intake_channel_other = models.CharField(
        _("other channel (specify)"), max_length=200, blank=True, default=""
    )

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            organisation_unique("reference", name="case_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_on"]),
            models.Index(fields=["organisation", "-opened_on", "-id"]),
        ]

    def __str__(self) -> str:
        return self.reference


class Person(ShownById, CreatedBy, Edited):
    """A survivor (or possible victim). A person can be in several cases of the same organisation."""

    shown_as = "person"

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="persons")
    full_name = EncryptedTextField(_("full name"))
    other_names = EncryptedTextField(_("other names / aliases"), blank=True, default="")
    nik = EncryptedTextField(
        _("NIK"),
        blank=True,
        default="",
        help_text=_("16-digit national identity number (Nomor Induk Kependudukan)."),
    )
    nik_index = models.CharField(max_length=64, blank=True, default="", db_index=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"),
        null=True,
        blank=True,
        help_text=_("If the date of birth is unknown: age in years when recorded."),
    )
    age_recorded_on = models.DateField(null=True, blank=True)
    sex = code_field(_("sex"), choices.Sex, 8, default=choices.Sex.UNKNOWN)
    gender = code_field(_("gender"), choices.Gender, 24, default=choices.Gender.UNKNOWN)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="ID")
    origin_address = EncryptedTextField(_("origin address"), blank=True, default="")
    origin_province_code = models.CharField(
        _("origin province"), max_length=2, blank=True, default=""
    )
    origin_regency_code = models.CharField(
        _("origin regency/city"), max_length=4, blank=True, default=""
    )
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    education = code_field(_("education"), choices.Education, 24, default=choices.Education.UNKNOWN)
    marital_status = code_field(
        _("marital status"), choices.MaritalStatus, 24, default=choices.MaritalStatus.UNKNOWN
    )
    number_of_children = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True
    )
    disability = models.BooleanField(_("disability"), null=True, blank=True)
    guardian_name = EncryptedTextField(
        _("parent or guardian (wali), for a child"), blank=True, default=""
    )
    guardian_relationship = code_field(
        _("relationship of the guardian"), choices.GuardianRelationship, 16, optional=True
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("E.g. Dawan (Uab Meto), Bahasa Indonesia."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")
        indexes = [models.Index(fields=["organisation", "nik_index"])]


class PersonNameToken(models.Model):
    """Blind index of one normalised name token of a person (HMAC; no plaintext)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    organisation = organisation_fk()
    token_hash = models.CharField(max_length=64)

    class Meta:
        # covering: a name search reads the persons of a token from the index alone (at 100k
        # survivors, reading each of a common token's rows from the table cost ~10x more)
        indexes = [
            models.Index(fields=["organisation", "token_hash", "person"], name="name_token_lookup")
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "token_hash"], name="name_token_unique")
        ]

    def __str__(self) -> str:
        return self.token_hash[:12]


class CaseTag(models.Model):
    """Indexed filter values of a case (origin province, exploitation type, and each pair of
    the two), kept in step by the services (``services.cases.case_tags``).

    The case list filters by one tag: a province and a type chosen together are looked up as
    one ``province_type`` tag (``53:forced_labour``), one index range, not as the intersection
    of a province's and a type's cases.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("origin province")
        EXPLOITATION = "exploitation", _("exploitation type")
        PROVINCE_TYPE = "province_type", _("origin province and exploitation type")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tags")
    organisation = organisation_fk()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "code", "case"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "code"], name="case_tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}={self.code}"

    @staticmethod
    def pair_code(province: str, exploitation_type: str) -> str:
        """The code of a ``province_type`` tag: ``53:forced_labour``."""
        return f"{province}:{exploitation_type}"


class CaseSurvivor(Created, Edited):
    """A survivor's part in a case: what was done to them, how they were controlled."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="survivors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    trafficking_status = code_field(
        _("trafficking status"),
        choices.TraffickingStatus,
        24,
        default=choices.TraffickingStatus.POSSIBLE,
    )
    age_at_offence = models.PositiveSmallIntegerField(
        _("age at the time of the offence"),
        null=True,
        blank=True,
        help_text=_("Leave empty to compute it from the date of birth and the offence date."),
    )
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    sex_exploitation_types = models.JSONField(
        _("types of sexual exploitation"), default=list, blank=True
    )
    exploitation_occurred = models.BooleanField(
        _("exploitation actually occurred"), null=True, blank=True
    )
    sector = code_field(_("sector (ISIC)"), choices.Sector, 1, optional=True)
    recruitment_method = code_field(
        _("method of recruitment"), choices.RecruitmentMethod, 32, optional=True
    )
    recruitment_apps = models.JSONField(
        _("recruitment websites and apps"), default=list, blank=True
    )
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    acts = models.JSONField(_("acts established"), default=list, blank=True)
    means = models.JSONField(_("means established"), default=list, blank=True)
    harm = models.JSONField(_("harm suffered"), default=list, blank=True)
    is_migrant_worker = models.BooleanField(_("migrant worker"), null=True, blank=True)
    documents_falsified = models.BooleanField(_("documents falsified"), null=True, blank=True)
    age_falsified = models.BooleanField(_("age falsified"), null=True, blank=True)
    job_differs_from_contract = models.BooleanField(
        _("job differs from contract"), null=True, blank=True
    )
    placed_in_closed_country = models.BooleanField(
        _("placed in a closed destination country"), null=True, blank=True
    )
    other_specified = EncryptedTextField(_("“Other” chosen above: specify"), blank=True, default="")
    current_safety = code_field(
        _("where the survivor is now"), choices.CurrentSafety, 16, optional=True
    )
    current_location = EncryptedTextField(
        _("current location or contact place"), blank=True, default=""
    )
    interviewed_on = models.DateField(_("date of the interview"), null=True, blank=True)
    # case-facts 1.1 (unknown stays null)
    victim_pregnant = models.BooleanField(_("victim was pregnant"), null=True, blank=True)
    victim_unconscious_or_helpless = models.BooleanField(
        _("victim was unconscious or helpless"), null=True, blank=True
    )
    child_marriage = models.BooleanField(_("child marriage"), null=True, blank=True)
    harmful_work = models.BooleanField(
        _("work harmful to a child's health, safety or morals"), null=True, blank=True
    )
    perpetrators_acted_jointly = models.BooleanField(
        _("two or more perpetrators acted together"), null=True, blank=True
    )
    more_than_one_victim = models.BooleanField(
        _("the offence had more than one victim"), null=True, blank=True
    )
    disaster_or_conflict = models.BooleanField(
        _("during an emergency, conflict, disaster or war"), null=True, blank=True
    )
    electronic_means = models.BooleanField(_("electronic means used"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("survivor in case")
        verbose_name_plural = _("survivors in case")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_survivor_unique")
        ]
        # a survivor search goes from matched persons to their cases: index-only
        indexes = [models.Index(fields=["person", "case"], name="case_survivor_person_case")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.person_id}"


class Perpetrator(ShownById, Created, Edited):
    """A perpetrator or connected person in a case."""

    shown_as = "perpetrator"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedTextField(_("name or alias"), blank=True, default="")
    kind = code_field(
        _("kind"), choices.PerpetratorKind, 24, default=choices.PerpetratorKind.INDIVIDUAL
    )
    roles = models.JSONField(_("role in the process"), default=list, blank=True)
    relationship = code_field(
        _("relationship to the survivor"),
        choices.Relationship,
        16,
        default=choices.Relationship.UNKNOWN,
    )
    sex = code_field(_("sex"), choices.Sex, 8, default=choices.Sex.UNKNOWN)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, default="")
    is_state_official = models.BooleanField(_("state official"), null=True, blank=True)
    is_organised_group = models.BooleanField(_("part of an organised group"), null=True, blank=True)
    other_specified = EncryptedTextField(_("“Other” chosen above: specify"), blank=True, default="")
    abused_power = models.BooleanField(
        _("official who abused power, resulting in the trafficking"), null=True, blank=True
    )
    repeat_offender = models.BooleanField(
        _("convicted before of the same offence"), null=True, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")


class TraffickingEvent(Created, Edited):
    """A recruitment, transit or exploitation event (HTCDS historic trafficking events)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    stage = code_field(_("stage"), choices.EventStage, 16)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    region_code = models.CharField(
        _("region (province or regency)"), max_length=4, blank=True, default=""
    )
    place = EncryptedTextField(_("place"), blank=True, default="")
    description = EncryptedTextField(_("description"), blank=True, default="")
    assisted_by = code_field(
        _("assisted by"),
        choices.AssistingInstitution,
        16,
        optional=True,
        help_text=_("For an identification or a return: who helped (KJRI, BP3MI, police…)."),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")

    def __str__(self) -> str:
        return f"{self.stage} {self.date or ''}"


class Consent(models.Model):
    """What a survivor agreed to, recorded by whom and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    case = optional_fk(Case, related_name="consents")
    purpose = code_field(_("purpose"), choices.ConsentPurpose, 16)
    granted = models.BooleanField(_("granted"))
    form_version = models.CharField(
        _("consent form version"), max_length=32, default="lentera-consent/1"
    )
    note = EncryptedTextField(_("note"), blank=True, default="")
    signed_by = code_field(_("consent given by"), choices.ConsentSigner, 16, optional=True)
    signer_name = EncryptedTextField(_("name of the person who signed"), blank=True, default="")
    shared_fields = models.JSONField(
        _("data that may be shared"),
        default=list,
        blank=True,
        help_text=_(
            "For a referral consent: what the survivor agreed may be passed to the service provider."
        ),
    )
    recorded_by = user_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.purpose}={self.granted}"


class CaseNote(ShownById, Created):
    """A dated entry in the case timeline."""

    shown_as = "note"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = user_fk()
    body = EncryptedTextField(_("note"))

    class Meta(Created.Meta):
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")


class Attachment(ShownById):
    """A file attached to a case, stored encrypted on disk under a random name."""

    shown_as = "attachment"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    filename = EncryptedTextField(_("file name"))
    description = EncryptedTextField(_("description"), blank=True, default="")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16)
    uploaded_by = user_fk()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class PersonPair(models.Model):
    """Two survivor records of one organisation (abstract: the pairs
    the linkage model proposes and the pairs a caseworker ruled apart have their own tables,
    each with its own unique constraint on the pair)."""

    #: how ``str()`` joins the two ids
    joiner: ClassVar[str]

    organisation = organisation_fk()
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.person_a_id}{self.joiner}{self.person_b_id}"


class DuplicateCandidate(PersonPair):
    """A pair of the organisation's survivors that the linkage model scores as likely the same."""

    joiner = "~"

    probability = models.FloatField()
    #: [[field, level, match weight], ...] — no personal values
    evidence = models.JSONField(default=list)
    model_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique")
        ]


class NotSamePerson(PersonPair):
    """A caseworker's decision that two records are different people (never proposed again)."""

    joiner = "≠"

    decided_by = user_fk()
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="not_same_pair_unique")
        ]


class PersonMerge(models.Model):
    """Two records of one survivor merged into one; everything needed to undo it."""

    organisation = organisation_fk()
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved_links = models.JSONField(default=list)
    moved_consents = models.JSONField(default=list)
    filled_fields = models.JSONField(default=list)
    #: JSON of the kept record's personal fields before the merge (encrypted), restored by undo
    kept_before = EncryptedTextField(blank=True, default="")
    kept_version = models.PositiveIntegerField()
    merged_by = user_fk()
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = user_fk(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id}→{self.kept_id}"
