from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "CCM Portal administration"
admin.site.site_title = "CCM Portal admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("meetings.urls")),
]
