"""A study's pages. Every view takes the study through ``access.study_view``."""

from django.urls import path

from placelab.web.studies import (
    views_access,
    views_analysis,
    views_archive,
    views_audit,
    views_compare,
    views_downloads,
    views_invite,
    views_map,
    views_protection,
    views_reference,
    views_reports,
    views_roster,
    views_setup,
    views_watch,
)

app_name = "studies"
WAVE = "<int:study_id>/waves/<int:number>/"

urlpatterns = [
    path("", views_setup.study_list, name="list"),
    path("new/", views_setup.study_create, name="create"),
    # The site's reference pool, for its staff (views_reference); not a study's address.
    path("reference-pool/", views_reference.pool, name="reference_pool"),
    path("reference-pool.json", views_reference.pool_download, name="reference_pool_download"),
    path("<int:study_id>/", views_analysis.study_detail, name="detail"),
    path("<int:study_id>/settings/", views_setup.study_settings, name="settings"),
    path("<int:study_id>/archive/", views_archive.study_archive, name="study_archive"),
    path("<int:study_id>/restore/", views_archive.study_restore, name="study_restore"),
    path("<int:study_id>/access/", views_access.access, name="access"),
    path(
        "<int:study_id>/access/<int:membership_id>/revoke/",
        views_access.revoke,
        name="access_revoke",
    ),
    path(
        "<int:study_id>/access/<int:membership_id>/resend/",
        views_access.resend,
        name="access_resend",
    ),
    path("<int:study_id>/compare/", views_compare.compare, name="compare"),
    path("<int:study_id>/compare/run/", views_compare.compare_run, name="compare_run"),
    path(
        "<int:study_id>/compare/<int:comparison_id>/status.json",
        views_compare.compare_status,
        name="compare_status",
    ),
    path(
        "<int:study_id>/compare/<int:comparison_id>/comparison.json",
        views_compare.compare_json,
        name="compare_json",
    ),
    path("<int:study_id>/audit/", views_audit.audit_log, name="audit"),
    path("<int:study_id>/audit.csv", views_audit.audit_csv, name="audit_csv"),
    path("<int:study_id>/organisations/", views_roster.organisations, name="organisations"),
    path("<int:study_id>/roster/", views_roster.roster, name="roster"),
    path("<int:study_id>/roster/import/", views_roster.roster_import, name="roster_import"),
    path(
        "<int:study_id>/roster/template.<str:format>",
        views_roster.roster_template,
        name="roster_template",
    ),
    path(
        "<int:study_id>/roster/import/<int:import_id>/",
        views_roster.roster_import_status,
        name="roster_import_status",
    ),
    path(
        "<int:study_id>/roster/import/<int:import_id>/skipped.csv",
        views_roster.roster_import_skipped,
        name="roster_import_skipped",
    ),
    path("<int:study_id>/waves/", views_setup.waves, name="waves"),
    path(WAVE, views_setup.wave, name="wave"),
    path(WAVE + "archive/", views_archive.wave_archive, name="wave_archive"),
    path(WAVE + "restore/", views_archive.wave_restore, name="wave_restore"),
    path(WAVE + "invitations/", views_invite.invitations, name="invitations"),
    path(WAVE + "invitations/send/", views_invite.send, name="invitations_send"),
    path(
        WAVE + "invitations/status.json",
        views_invite.invitations_status,
        name="invitations_status",
    ),
    path(WAVE + "invitations/email/", views_invite.invitation_wording, name="invitation_wording"),
    path(WAVE + "invitations/remind/", views_invite.remind, name="invitations_remind"),
    path(
        WAVE + "invitations/<int:invitation_id>/revoke/",
        views_invite.revoke,
        name="invitation_revoke",
    ),
    path(WAVE + "outsiders/", views_invite.outsiders, name="outsiders"),
    path(WAVE + "responses/", views_watch.responses, name="responses"),
    path(WAVE + "analysis/", views_analysis.analysis, name="analysis"),
    path(WAVE + "analysis/run/", views_analysis.run, name="analysis_run"),
    path(WAVE + "map/", views_map.network_map, name="map"),
    path(WAVE + "maps/<str:network>.svg", views_analysis.map_svg, name="map_svg"),
    path(WAVE + "maps/<str:network>.png", views_analysis.map_png, name="map_png"),
    path(WAVE + "export.zip", views_analysis.export, name="wave_export"),
    path(WAVE + "analysis/study.graphml", views_downloads.graphml, name="analysis_graphml"),
    path(WAVE + "analysis/study.gexf", views_downloads.gexf, name="analysis_gexf"),
    path(WAVE + "analysis/study.xlsx", views_downloads.xlsx, name="analysis_xlsx"),
    path(WAVE + "analysis/report.pdf", views_reports.report_pdf, name="report_pdf"),
    path(WAVE + "analysis/report.html", views_reports.report_html, name="report_html"),
    # Data protection (views_protection): the owner's deletions, retention and one person's data.
    path("<int:study_id>/protection/", views_protection.protection, name="protection"),
    path("<int:study_id>/protection/delete/", views_protection.study_delete, name="study_delete"),
    path(WAVE + "delete/", views_protection.wave_delete, name="wave_delete"),
    path(
        "<int:study_id>/roster/<int:participant_id>/delete/",
        views_protection.participant_delete,
        name="participant_delete",
    ),
    path(
        "<int:study_id>/roster/<int:participant_id>/data.json",
        views_protection.participant_export,
        name="participant_export",
    ),
    path(
        WAVE + "responses/<int:response_id>/delete/",
        views_protection.response_delete,
        name="response_delete",
    ),
]
