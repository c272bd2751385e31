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

app_name = "cases"
urlpatterns = [
    path("", cases.case_list, name="list"),
    path("new/", cases.case_create, name="create"),
    path("regencies/", cases.regency_options, name="regencies"),
    path("<int:case_id>/", cases.case_detail, name="detail"),
    path("<int:case_id>/edit/", cases.case_edit, name="edit"),
    path("<int:case_id>/survivors/new/", survivors.survivor_add, name="survivor_add"),
    path("<int:case_id>/survivors/link/", survivors.survivor_link_existing, name="survivor_link"),
    path("survivors/<int:link_id>/edit/", survivors.survivor_edit, name="survivor_edit"),
    path("survivors/<int:link_id>/remove/", survivors.survivor_remove, name="survivor_remove"),
    path(
        "<int:case_id>/perpetrators/new/",
        perpetrators_events.perpetrator_add,
        name="perpetrator_add",
    ),
    path(
        "perpetrators/<int:perpetrator_id>/edit/",
        perpetrators_events.perpetrator_edit,
        name="perpetrator_edit",
    ),
    path(
        "perpetrators/<int:perpetrator_id>/delete/",
        perpetrators_events.perpetrator_delete,
        name="perpetrator_delete",
    ),
    path("<int:case_id>/events/new/", perpetrators_events.event_add, name="event_add"),
    path("events/<int:event_id>/edit/", perpetrators_events.event_edit, name="event_edit"),
    path("events/<int:event_id>/delete/", perpetrators_events.event_delete, name="event_delete"),
    path("<int:case_id>/consents/new/", consents_notes.consent_add, name="consent_add"),
    path("<int:case_id>/notes/new/", consents_notes.note_add, name="note_add"),
    path("<int:case_id>/attachments/new/", attachments.attachment_add, name="attachment_add"),
    path("attachments/<int:attachment_id>/", attachments.attachment_download, name="attachment"),
    path(
        "attachments/<int:attachment_id>/delete/",
        attachments.attachment_delete,
        name="attachment_delete",
    ),
    path("persons/<int:person_id>/", persons.person_detail, name="person"),
    path("persons/<int:person_id>/export.<str:fmt>", persons.person_export, name="person_export"),
    path("persons/<int:person_id>/anonymise/", persons.person_anonymise, name="person_anonymise"),
    path(
        "consents/<int:consent_id>/withdraw/",
        consents_notes.consent_withdraw,
        name="consent_withdraw",
    ),
    path("duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("duplicates/merge/", duplicates.duplicate_merge, name="duplicate_merge"),
    path("duplicates/not-same/", duplicates.duplicate_not_same, name="duplicate_not_same"),
    path("deletions/<int:deletion_id>/undo/", undo.deletion_undo, name="deletion_undo"),
    path("merges/<int:merge_id>/undo/", duplicates.merge_undo, name="merge_undo"),
]
