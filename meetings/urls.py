from django.urls import path

from meetings import drafting_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_archive, name="meeting_archive"),
    path("meetings/<str:meeting_date>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:meeting_date>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
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
