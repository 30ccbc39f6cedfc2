from django.urls import path

from meetings import api, feeds, registers, views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_archive, name="meeting_archive"),
    path("meetings/import/", views.meeting_import, name="meeting_import"),
    path("meetings/import/confirm/", views.meeting_import_confirm, name="meeting_import_confirm"),
    path("meetings/<str:meeting_date>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:meeting_date>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("verify/", views.record_verify, name="record_verify"),
    path("search/", views.search, name="search"),
    path("feeds/minutes.atom", feeds.minutes_feed, name="minutes_feed"),
    path("feeds/meetings.ics", feeds.meetings_calendar, name="meetings_calendar"),
    path("api/v1/meetings/", api.api_meeting_list, name="api_meeting_list"),
    path("api/v1/meetings/<str:meeting_date>/", api.api_meeting_detail, name="api_meeting_detail"),
    path("api/v1/openapi.json", api.api_openapi, name="api_openapi"),
    path("action-points/", registers.action_point_index, name="action_point_index"),
]
