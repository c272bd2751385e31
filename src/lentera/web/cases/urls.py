from lentera.web.cases import views
from lentera.web.cases.views import (
    attachments,
    cases,
    consents_notes,
    perpetrators_events,
    persons,
    survivors,
)
from lentera.web.core.routes import main_routes, record_routes, table_routes

app_name = "cases"
urlpatterns = [
    *main_routes(cases, "case", "list", "detail", "edit"),
    *table_routes(
        views,
        """
        new/        cases.case_create       create
        regencies/  cases.regency_options   regencies
        """,
    ),
    *record_routes(survivors, "survivor", "add", parent="case"),
    *record_routes(survivors, "survivor", "edit", "remove", key="link_id"),
    *table_routes(survivors, "<int:case_id>/survivors/link/ survivor_link_existing survivor_link"),
    *record_routes(perpetrators_events, "perpetrator", "add", "edit", "delete", parent="case"),
    *record_routes(perpetrators_events, "event", "add", "edit", "delete", parent="case"),
    *record_routes(consents_notes, "consent", "add", "withdraw", parent="case"),
    *record_routes(consents_notes, "note", "add", parent="case"),
    *record_routes(attachments, "attachment", "add", "delete", parent="case"),
    *table_routes(attachments, "attachments/<int:attachment_id>/ attachment_download attachment"),
    *record_routes(persons, "person", "detail", "anonymise"),
    *table_routes(
        views,
        """
        persons/<int:person_id>/export.<str:fmt>    persons.person_export
        duplicates/                                 duplicates.duplicate_list   duplicates
        duplicates/merge/                           duplicates.duplicate_merge
        duplicates/not-same/                        duplicates.duplicate_not_same
        deletions/<int:deletion_id>/undo/           undo.deletion_undo
        merges/<int:merge_id>/undo/                 duplicates.merge_undo
        """,
    ),
]
