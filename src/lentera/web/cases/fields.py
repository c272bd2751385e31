"""One list of editable fields per entity of the case store.

Every writer and every form reads its fields here: the services accept exactly these (an
unknown key is refused), the forms' ``Meta.fields`` and the REST API's request schemas are
derived from them, and ``tests/web/cases/test_fields.py`` fails when a schema that cannot be
derived (the API's response bodies, the intake engine's ``PersonRecord``) drifts.

To add a field to the survivor: add it to the model (and a migration), to ``PERSON_FIELDS``
here, and — when it can hold identity — to ``cases/identity.py``. The order is the order the
forms show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

#: a case (``Case``); ``owner`` is set by the service, not shown on the case form
CASE_FIELDS = (
    "status",
    "opened_on",
    "offence_date",
    "closed_on",
    "closure_reason",
    "intake_channel",
    "intake_channel_other",
    "summary",
    "owner",
)

#: a survivor's personal data (``Person``)
PERSON_FIELDS = (
    "full_name",
    "other_names",
    "nik",
    "birth_date",
    "estimated_age",
    "age_recorded_on",
    "sex",
    "gender",
    "citizenship",
    "origin_address",
    "origin_province_code",
    "origin_regency_code",
    "phone",
    "education",
    "marital_status",
    "number_of_children",
    "disability",
    "guardian_name",
    "guardian_relationship",
    "languages",
)

#: a survivor's part in one case (``CaseSurvivor``)
LINK_FIELDS = (
    "trafficking_status",
    "age_at_offence",
    "exploitation_types",
    "sex_exploitation_types",
    "exploitation_occurred",
    "sector",
    "recruitment_method",
    "recruitment_apps",
    "means_of_control",
    "other_specified",
    "acts",
    "means",
    "harm",
    "is_migrant_worker",
    "documents_falsified",
    "age_falsified",
    "job_differs_from_contract",
    "placed_in_closed_country",
    "current_safety",
    "current_location",
    "interviewed_on",
    "victim_pregnant",
    "victim_unconscious_or_helpless",
    "child_marriage",
    "harmful_work",
    "perpetrators_acted_jointly",
    "more_than_one_victim",
    "disaster_or_conflict",
    "electronic_means",
)

#: a perpetrator of a case (``Perpetrator``)
PERPETRATOR_FIELDS = (
    "name",
    "kind",
    "roles",
    "other_specified",
    "relationship",
    "sex",
    "nationality",
    "is_state_official",
    "is_organised_group",
    "abused_power",
    "repeat_offender",
    "notes",
)

#: one step of the trafficking journey (``TraffickingEvent``)
EVENT_FIELDS = (
    "stage",
    "date",
    "country",
    "region_code",
    "place",
    "assisted_by",
    "description",
)


def none_to_empty(model: type[models.Model], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with ``None`` as ``""`` on the model's text fields (a JSON ``null`` or an empty
    form choice): a text column stores "no answer" as ``""``, never NULL."""
    text = {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.null
    }
    return {k: ("" if v is None and k in text else v) for k, v in data.items()}


def _span(
    fields: tuple[str, ...], first: str, stop: str | None = None, *, without: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The run of ``fields`` from ``first`` up to (not including) ``stop`` (or the end), less
    ``without``: a section lists its fields in the entity's order without spelling them again."""
    end = fields.index(stop) if stop else len(fields)
    return tuple(f for f in fields[fields.index(first) : end] if f not in without)


#: The sections of the long edit pages, in page order: ``(key, fields)``. Each section is saved
#: on its own ("Simpan bagian ini"); together they hold every field the form shows, once
#: (``tests/web/cases/test_section_save.py`` checks it). The headings are in
#: ``cases/forms.py`` (``SECTION_TITLES``).
CASE_SECTIONS = (
    ("status", _span(CASE_FIELDS, "status", "intake_channel")),
    ("intake", _span(CASE_FIELDS, "intake_channel", "owner")),
)
PERSON_SECTIONS = (
    ("identity", _span(PERSON_FIELDS, "full_name", "origin_address", without=("age_recorded_on",))),
    ("origin", _span(PERSON_FIELDS, "origin_address", "education")),
    ("family", _span(PERSON_FIELDS, "education")),
)
LINK_SECTIONS = (
    ("exploitation", _span(LINK_FIELDS, "trafficking_status", "acts")),
    ("elements", _span(LINK_FIELDS, "acts", "is_migrant_worker")),
    ("migration", _span(LINK_FIELDS, "is_migrant_worker", "current_safety")),
    ("now", _span(LINK_FIELDS, "current_safety", "victim_pregnant")),
    ("aggravating", _span(LINK_FIELDS, "victim_pregnant")),
)
