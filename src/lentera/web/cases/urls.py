from django.urls import path

from lentera.web.cases import duplicate_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("regencies/", views.regency_options, name="regencies"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/survivors/new/", views.survivor_add, name="survivor_add"),
    path("<int:case_id>/survivors/link/", views.survivor_link_existing, name="survivor_link"),
    path("survivors/<int:link_id>/edit/", views.survivor_edit, name="survivor_edit"),
    path("survivors/<int:link_id>/remove/", views.survivor_remove, name="survivor_remove"),
    path("<int:case_id>/perpetrators/new/", views.perpetrator_add, name="perpetrator_add"),
    path(
        "perpetrators/<int:perpetrator_id>/edit/", views.perpetrator_edit, name="perpetrator_edit"
    ),
    path(
        "perpetrators/<int:perpetrator_id>/delete/",
        views.perpetrator_delete,
        name="perpetrator_delete",
    ),
    path("<int:case_id>/events/new/", views.event_add, name="event_add"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:event_id>/delete/", views.event_delete, name="event_delete"),
    path("<int:case_id>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:case_id>/notes/new/", views.note_add, name="note_add"),
    path("<int:case_id>/attachments/new/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "attachments/<int:attachment_id>/delete/", views.attachment_delete, name="attachment_delete"
    ),
    path("persons/<int:person_id>/", views.person_detail, name="person"),
    path("persons/<int:person_id>/export.<str:fmt>", views.person_export, name="person_export"),
    path("persons/<int:person_id>/anonymise/", views.person_anonymise, name="person_anonymise"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/merge/", duplicate_views.duplicate_merge, name="duplicate_merge"),
    path("duplicates/not-same/", duplicate_views.duplicate_not_same, name="duplicate_not_same"),
    path("merges/<int:merge_id>/undo/", duplicate_views.merge_undo, name="merge_undo"),
]
