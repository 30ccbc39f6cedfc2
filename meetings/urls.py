from django.urls import path

from meetings import registers, views

app_name = "meetings"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_archive, name="meeting_archive"),
    path("meetings/<str:meeting_date>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<str:meeting_date>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("action-points/", registers.action_point_index, name="action_point_index"),
]
