from django.urls import path

from meetings import api, drafting_views, feeds, registers, review_views, views

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
    # Review and workflow (meetings/review_views.py).
    path("meetings/<str:meeting_date>/review/", review_views.meeting_review, name="meeting_review"),
    path("meetings/<str:meeting_date>/review/comments/", review_views.comment_create, name="comment_create"),
    path(
        "meetings/<str:meeting_date>/review/comments/<int:comment_id>/reply/",
        review_views.comment_reply,
        name="comment_reply",
    ),
    path("meetings/<str:meeting_date>/versions/", review_views.meeting_versions, name="meeting_versions"),
    path("meetings/<str:meeting_date>/history/", review_views.meeting_history, name="meeting_history"),
    path("meetings/<str:meeting_date>/circulate/", review_views.meeting_circulate, name="meeting_circulate"),
    path("meetings/<str:meeting_date>/withdraw/", review_views.meeting_withdraw, name="meeting_withdraw"),
    path("meetings/<str:meeting_date>/adopt/", review_views.meeting_adopt, name="meeting_adopt"),
    path("meetings/<str:meeting_date>/silence/start/", review_views.silence_start, name="silence_start"),
    path("meetings/<str:meeting_date>/silence/break/", review_views.silence_break, name="silence_break"),
    path("meetings/<str:meeting_date>/publish/", review_views.meeting_publish, name="meeting_publish"),
    # ISU staff's drafting pages
    path("drafting/", drafting_views.drafting_workspace, name="drafting_workspace"),
    path("drafting/new/", drafting_views.drafting_meeting_new, name="drafting_meeting_new"),
    path("drafting/preview/", drafting_views.drafting_preview, name="drafting_preview"),
    path("drafting/<str:meeting_date>/", drafting_views.drafting_meeting, name="drafting_meeting"),
    path("drafting/<str:meeting_date>/attendance/", drafting_views.drafting_attendance, name="drafting_attendance"),
    path("drafting/<str:meeting_date>/follow-ups/", drafting_views.drafting_follow_up, name="drafting_follow_up"),
    path("drafting/<str:meeting_date>/items/add/", drafting_views.drafting_item_add, name="drafting_item_add"),
    path("drafting/<str:meeting_date>/items/<int:item_id>/", drafting_views.drafting_item, name="drafting_item"),
    path(
        "drafting/<str:meeting_date>/items/<int:item_id>/remove/",
        drafting_views.drafting_item_remove,
        name="drafting_item_remove",
    ),
    path(
        "drafting/<str:meeting_date>/items/<int:item_id>/move/",
        drafting_views.drafting_item_move,
        name="drafting_item_move",
    ),
]
