from django.contrib.auth.decorators import login_required
from django.urls import path

from meetings import drafting_views, home_views, import_views, views

app_name = "meetings"

urlpatterns = [
    # Each role's home (meetings/home_views.py); LOGIN_REDIRECT_URL is role_home.
    path("home/", home_views.role_home, name="role_home"),
    path("coordinators/", home_views.coordinator_home, name="coordinator_home"),
    # ISU staff's import of existing minutes; before the portal's meetings/<date>/ in the root URLconf.
    path("meetings/import/", import_views.meeting_import, name="meeting_import"),
    path("meetings/import/confirm/", import_views.meeting_import_confirm, name="meeting_import_confirm"),
    # Review and workflow (meetings/views.py).
    path("meetings/announce/", views.meeting_announce, name="meeting_announce"),
    path("meetings/<str:meeting_date>/postpone/", views.meeting_postpone, name="meeting_postpone"),
    path("meetings/<str:meeting_date>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<str:meeting_date>/start-drafting/", views.meeting_start_drafting, name="meeting_start_drafting"),
    path("meetings/<str:meeting_date>/review/", views.meeting_review, name="meeting_review"),
    path("meetings/<str:meeting_date>/review/comments/", views.comment_create, name="comment_create"),
    path(
        "meetings/<str:meeting_date>/review/comments/<int:comment_id>/reply/",
        views.comment_reply,
        name="comment_reply",
    ),
    path(
        "meetings/<str:meeting_date>/review/comments/<int:comment_id>/apply/",
        views.comment_apply,
        name="comment_apply",
    ),
    path("meetings/<str:meeting_date>/versions/", views.meeting_versions, name="meeting_versions"),
    path("meetings/<str:meeting_date>/history/", views.meeting_history, name="meeting_history"),
    path("meetings/<str:meeting_date>/circulate/", views.meeting_circulate, name="meeting_circulate"),
    path("meetings/<str:meeting_date>/withdraw/", views.meeting_withdraw, name="meeting_withdraw"),
    path("meetings/<str:meeting_date>/adopt/", views.meeting_adopt, name="meeting_adopt"),
    path("meetings/<str:meeting_date>/silence/start/", views.silence_start, name="silence_start"),
    path("meetings/<str:meeting_date>/silence/break/", views.silence_break, name="silence_break"),
    path("meetings/<str:meeting_date>/publish/", views.meeting_publish, name="meeting_publish"),
    # A published imported record corrected from its source (the import preview posts here).
    path("meetings/<str:meeting_date>/supersede/", import_views.meeting_supersede, name="meeting_supersede"),
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
        "drafting/<str:meeting_date>/documents/new/",
        drafting_views.drafting_document_attach,
        name="drafting_document_attach",
    ),
    path(
        "drafting/<str:meeting_date>/documents/<int:document_id>/replace/",
        drafting_views.drafting_document_replace,
        name="drafting_document_replace",
    ),
    path(
        "drafting/<str:meeting_date>/documents/<int:document_id>/remove/",
        drafting_views.drafting_document_remove,
        name="drafting_document_remove",
    ),
    path(
        "drafting/<str:meeting_date>/items/<int:item_id>/move/",
        drafting_views.drafting_item_move,
        name="drafting_item_move",
    ),
]


# Every page here is for ISU staff or coordinators: whoever opens one logged out (the link in a
# circulation email, a bookmark) logs in and comes back to it. Only a logged-in user who may not
# see a meeting gets 404, so a draft's existence still does not leak.
for _pattern in urlpatterns:
    _pattern.callback = login_required(_pattern.callback)
