"""Reads from the case store, always scoped to the actor's organisation.

Survivor records are fetched only through these functions. Opening a case or a
survivor writes a read audit row; searches write a search audit row (without
the search terms). One module per topic; every public name is importable from here.
"""

from lentera.web.cases.selectors.attachments import attachment_get_for_user, attachment_read
from lentera.web.cases.selectors.case_page import (
    COUNT_CAP,
    PAGE_SIZE,
    CasePage,
    case_page_for_user,
)
from lentera.web.cases.selectors.cases import (
    CaseFilters,
    case_for_edit,
    case_get_for_user,
    case_list_for_user,
    case_recent_for_user,
    case_stats_for_user,
    with_survivor_counts,
)
from lentera.web.cases.selectors.data_rights import (
    identity_group,
    person_export_data,
    person_export_pdf,
    retention_candidates,
)
from lentera.web.cases.selectors.deletions import deletions_undoable
from lentera.web.cases.selectors.duplicates import (
    INTAKE_THRESHOLD,
    THRESHOLD,
    active_persons,
    candidates_for_user,
    case_references_of,
    duplicate_review_for_user,
    existing_matches,
    likely_duplicates,
    linkage_record,
    merge_get_for_user,
    merges_for_user,
)
from lentera.web.cases.selectors.persons import (
    case_persons,
    case_survivor_get_for_user,
    consent_get_for_user,
    current_consents,
    event_get_for_user,
    perpetrator_get_for_user,
    person_consents,
    person_get_for_user,
    person_links,
    person_list_for_user,
    person_merges,
    persons_matching,
    survivor_for_edit,
)

__all__ = [
    "COUNT_CAP",
    "INTAKE_THRESHOLD",
    "PAGE_SIZE",
    "THRESHOLD",
    "CaseFilters",
    "CasePage",
    "active_persons",
    "attachment_get_for_user",
    "attachment_read",
    "candidates_for_user",
    "case_for_edit",
    "case_get_for_user",
    "case_list_for_user",
    "case_page_for_user",
    "case_persons",
    "case_recent_for_user",
    "case_references_of",
    "case_stats_for_user",
    "case_survivor_get_for_user",
    "consent_get_for_user",
    "current_consents",
    "deletions_undoable",
    "duplicate_review_for_user",
    "event_get_for_user",
    "existing_matches",
    "identity_group",
    "likely_duplicates",
    "linkage_record",
    "merge_get_for_user",
    "merges_for_user",
    "perpetrator_get_for_user",
    "person_consents",
    "person_export_data",
    "person_export_pdf",
    "person_get_for_user",
    "person_links",
    "person_list_for_user",
    "person_merges",
    "persons_matching",
    "retention_candidates",
    "survivor_for_edit",
    "with_survivor_counts",
]
