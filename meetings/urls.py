from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_archive, name="meeting_archive"),
    path("meetings/import/", views.meeting_import, name="meeting_import"),
    path("meetings/import/confirm/", views.meeting_import_confirm, name="meeting_import_confirm"),
    path("meetings/<str:meeting_date>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:meeting_date>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("verify/", views.record_verify, name="record_verify"),
]
