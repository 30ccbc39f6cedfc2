from django.contrib import admin
from django.urls import include, path

from meetings import registers

admin.site.site_header = "CCM Portal administration"
admin.site.site_title = "CCM Portal admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("meetings.urls")),
    path("", include((registers.delegation_urlpatterns, "delegations"))),
]
