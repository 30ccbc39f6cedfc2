from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from ccm_portal import views
from meetings import registers
from meetings.caching import published_page
from meetings.sitemaps import SITEMAPS

admin.site.site_header = "CCM Portal administration"
admin.site.site_title = "CCM Portal admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", published_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("meetings.urls")),
    path("", include((registers.delegation_urlpatterns, "delegations"))),
]
