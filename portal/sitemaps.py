"""Canonical addresses of the public record: absolute URLs built on SITE_URL, and the sitemap."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import Meeting


def absolute_url(path):
    """The canonical absolute address of a path of this site, whichever host the request used."""
    return f"{settings.SITE_URL}{path}"


class CanonicalSitemap(Sitemap):
    """Entries on SITE_URL's scheme and host rather than the request's."""

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)
        canonical = type("CanonicalSite", (), {"domain": parts.netloc + parts.path})()
        return super().get_urls(page=page, site=canonical, protocol=parts.scheme or "https")


class MeetingSitemap(CanonicalSitemap):
    changefreq = "never"
    priority = 0.8

    def items(self):
        return Meeting.objects.published().order_by("-date").only("date", "published_at")

    def lastmod(self, meeting):
        return meeting.published_at


class StaticPageSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return ["portal:home", "portal:meeting_archive", "portal:decision_index", "portal:search"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"meetings": MeetingSitemap, "pages": StaticPageSitemap}
