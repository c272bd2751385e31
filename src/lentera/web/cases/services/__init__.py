"""Writes to the case store. Keyword-only, transactional, ``actor=`` first, audited.

Every service checks the actor's organisation and role (:mod:`lentera.web.core.access`),
validates with :func:`lentera.web.core.services.clean` (messages name the field), writes,
and appends an audit row that holds field names, never values. One module per topic,
Zulip-style; every public name is importable from here so call sites say
``services.case_open``. The reads are in :mod:`lentera.web.cases.selectors`, the field lists
in :mod:`lentera.web.cases.fields`.
"""

from lentera.web.cases.services.attachments import (
    attachment_add,
    attachment_delete,
    reencrypt_all,
)
from lentera.web.cases.services.bulk import (
    CaseDraft,
    PreparedCase,
    Refusal,
    SurvivorDraft,
    cases_prepare,
    cases_write,
)
from lentera.web.cases.services.cases import (
    case_checks,
    case_open,
    case_update,
    refresh_case_indexes,
)
from lentera.web.cases.services.consents import (
    ConsentDraft,
    consent_record,
    consents_record,
    note_add,
)
from lentera.web.cases.services.data_rights import consent_withdraw, person_anonymise
from lentera.web.cases.services.deletions import deletion_undo
from lentera.web.cases.services.duplicates import (
    duplicates_refresh,
    mark_not_same,
    merge_undo,
    person_merge,
)
from lentera.web.cases.services.events import event_add, event_checks, event_delete, event_update
from lentera.web.cases.services.perpetrators import (
    perpetrator_add,
    perpetrator_checks,
    perpetrator_delete,
    perpetrator_update,
)
from lentera.web.cases.services.persons import person_checks, person_create, person_update
from lentera.web.cases.services.survivors import (
    case_survivor_add,
    case_survivor_create,
    case_survivor_edit,
    case_survivor_remove,
    case_survivor_update,
    link_checks,
)

__all__ = [
    "CaseDraft",
    "ConsentDraft",
    "PreparedCase",
    "Refusal",
    "SurvivorDraft",
    "attachment_add",
    "attachment_delete",
    "case_checks",
    "case_open",
    "case_survivor_add",
    "case_survivor_create",
    "case_survivor_edit",
    "case_survivor_remove",
    "case_survivor_update",
    "case_update",
    "cases_prepare",
    "cases_write",
    "consent_record",
    "consent_withdraw",
    "consents_record",
    "deletion_undo",
    "duplicates_refresh",
    "event_add",
    "event_checks",
    "event_delete",
    "event_update",
    "link_checks",
    "mark_not_same",
    "merge_undo",
    "note_add",
    "perpetrator_add",
    "perpetrator_checks",
    "perpetrator_delete",
    "perpetrator_update",
    "person_anonymise",
    "person_checks",
    "person_create",
    "person_merge",
    "person_update",
    "reencrypt_all",
    "refresh_case_indexes",
]
