from django.urls import path

from portal import api, feeds, registers, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_archive, name="meeting_archive"),
    path("meetings/<str:meeting_date>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:meeting_date>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    # Every file that has been a meeting's official record, by its SHA-256: a stable address for
    # records since superseded or signed anew.
    path("meetings/<str:meeting_date>/records/<str:sha256>.pdf", views.meeting_record_file, name="meeting_record_file"),
    path(
        "meetings/<str:meeting_date>/documents/<int:document_id>/<str:file_name>",
        views.document_download,
        name="document_download",
    ),
    path("verify/", views.record_verify, name="record_verify"),
    path("verify/certificate.pem", views.record_certificate, name="record_certificate"),
    path("search/", views.search, name="search"),
    path("feeds/minutes.atom", feeds.minutes_feed, name="minutes_feed"),
    path("feeds/decisions.atom", feeds.decisions_feed, name="decisions_feed"),
    path("feeds/meetings.ics", feeds.meetings_calendar, name="meetings_calendar"),
    path("api/v1/meetings/", api.api_meeting_list, name="api_meeting_list"),
    path("api/v1/meetings/<str:meeting_date>/", api.api_meeting_detail, name="api_meeting_detail"),
    path("api/v1/decisions/", api.api_decision_list, name="api_decision_list"),
    path("api/v1/openapi.json", api.api_openapi, name="api_openapi"),
    path("action-points/", registers.action_point_index, name="action_point_index"),
    path("decisions/", registers.decision_index, name="decision_index"),
    path("delegations/", registers.delegation_index, name="delegation_index"),
    path("delegations/<slug:slug>/", registers.delegation_detail, name="delegation_detail"),
    path("presidencies/", registers.presidency_index, name="presidency_index"),
    path("presidencies/<str:name>/", registers.presidency_detail, name="presidency_detail"),
]
