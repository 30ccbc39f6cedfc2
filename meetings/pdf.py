"""The one entry point for the minutes PDF: WeasyPrint over templates/pdf/ with a fetcher that
reads only the project's own static files."""

import logging
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import RECORD_LANGUAGE

try:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    WEASYPRINT_ERROR = None
except OSError as exc:  # WeasyPrint is installed but Pango or its friends are missing.
    weasyprint = None
    URLFetcher = object
    WEASYPRINT_ERROR = str(exc)

logger = logging.getLogger(__name__)

STATIC_SCHEME = "ccm-static:"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing."""


class RefusedURL(ValueError):
    pass


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `ccm-static:path` from the project's static files and refuse every other URL
    (file:, http:, https:, data:, …), so rendering reads nothing else and fetches nothing."""

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_SCHEME):
            raise RefusedURL(f"Refused to fetch {url[:80]!r}: only the project's static files are allowed.")
        path = unquote(urlsplit(url).path).lstrip("/")
        found = finders.find(path) if ".." not in path.split("/") else None
        if not found:
            raise RefusedURL(f"Refused to fetch {url[:80]!r}: no such static file.")
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": _mime_type(path)})


def _mime_type(path):
    if path.endswith(".css"):
        return "text/css"
    if path.endswith(".ttf"):
        return "font/ttf"
    if path.endswith(".otf"):
        return "font/otf"
    if path.endswith(".woff2"):
        return "font/woff2"
    if path.endswith(".png"):
        return "image/png"
    if path.endswith(".svg"):
        return "image/svg+xml"
    return "application/octet-stream"


def _check_weasyprint():
    if weasyprint is None:
        raise PdfUnavailable(
            "WeasyPrint cannot load the system libraries it needs (Pango). "
            "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0. "
            f"({WEASYPRINT_ERROR})"
        )


def minutes_html(meeting):
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance_list(),
        "agenda": meeting.agenda(),
        "draft": not meeting.is_adopted,
        "static": STATIC_SCHEME,
    }
    # The PDF is the record: written in its own language whatever the reader's interface language.
    with translation.override(RECORD_LANGUAGE):
        return render_to_string("pdf/minutes.html", context)


def render_html_to_pdf(html):
    _check_weasyprint()
    document = weasyprint.HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf()


def render_minutes_pdf(meeting):
    return render_html_to_pdf(minutes_html(meeting))


def filename(meeting):
    return f"ccm-cc-minutes-{meeting.date.isoformat()}.pdf"
