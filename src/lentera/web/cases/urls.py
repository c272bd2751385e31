from django.urls import path

from lentera.web.cases.views import (
    attachments,
    cases,
    consents_notes,
    duplicates,
    perpetrators_events,
    persons,
    survivors,
    undo,
)
from lentera.web.core.routes import main_routes, record_routes

app_name = "cases"
urlpatterns = [
    *main_routes(cases, "case", "list", "detail", "edit"),
    path("new/", cases.case_create, name="create"),
    path("regencies/", cases.regency_options, name="regencies"),
    *record_routes(survivors, "survivor", "add", parent="case"),
    *record_routes(survivors, "survivor", "edit", "remove", key="link_id"),
    path("<int:case_id>/survivors/link/", survivors.survivor_link_existing, name="survivor_link"),
    *record_routes(perpetrators_events, "perpetrator", "add", "edit", "delete", parent="case"),
    *record_routes(perpetrators_events, "event", "add", "edit", "delete", parent="case"),
    *record_routes(consents_notes, "consent", "add", "withdraw", parent="case"),
    *record_routes(consents_notes, "note", "add", parent="case"),
    *record_routes(attachments, "attachment", "add", "delete", parent="case"),
    path("attachments/<int:attachment_id>/", attachments.attachment_download, name="attachment"),
    *record_routes(persons, "person", "detail", "anonymise"),
    path("persons/<int:person_id>/export.<str:fmt>", persons.person_export, name="person_export"),
    path("duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("duplicates/merge/", duplicates.duplicate_merge, name="duplicate_merge"),
    path("duplicates/not-same/", duplicates.duplicate_not_same, name="duplicate_not_same"),
    path("deletions/<int:deletion_id>/undo/", undo.deletion_undo, name="deletion_undo"),
    path("merges/<int:merge_id>/undo/", duplicates.merge_undo, name="merge_undo"),
]
