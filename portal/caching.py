"""HTTP caching of public pages: they change only when something is published or announced.

`published_page` gives anonymous GETs an ETag and Last-Modified taken from the latest publication,
answers conditional requests with 304, and keeps rendered pages in the server cache. It never
applies to logged-in users (whose pages may show more than the published record), to requests
carrying a session or pending messages, or to a response that used a CSRF token or set a cookie.
Views that serve drafts or a per-request nonce must not use it.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from meetings.models import Meeting

CACHE_SECONDS = 24 * 3600
STAMP_SECONDS = 1.0
_stamp_memo = (0.0, None)
_last_read = None
# Pages vary with the language (Accept-Language or the language cookie) and with who is logged in.
VARY = ("Accept-Language", "Cookie")


def _read_stamp():
    # Public pages show published minutes and announcements: the latest change to either, in one
    # query (a union of the two partial indexes' reads).
    latest = (
        Meeting.objects.published()
        .order_by()
        .values_list("updated_at", flat=True)
        .union(Meeting.objects.announced().order_by().values_list("updated_at", flat=True))
        .order_by("-updated_at")
        .first()
    )
    return (f"{latest.timestamp():.6f}" if latest else "none"), latest


def publication_stamp():
    """(stamp, last_modified): the time of the latest change to published minutes, which moves
    whenever minutes are published (whatever publication date they are given), read through an
    index; as a string for keys, and as the pages' Last-Modified.

    Each process remembers it for STAMP_SECONDS, so a busy page costs no query; the process that
    publishes forgets it at once (`forget_stamp`), the others within STAMP_SECONDS."""
    global _stamp_memo, _last_read
    read_at, stamp = _stamp_memo
    now = time.monotonic()
    if stamp is None or now - read_at >= STAMP_SECONDS:
        try:
            stamp = _read_stamp()
        except DatabaseError:
            # While the database is down, the pages cached for the last stamp read keep being served.
            if _last_read is None:
                raise
            return _last_read
        _stamp_memo = (now, stamp)
        _last_read = stamp
    return stamp


def forget_stamp():
    global _stamp_memo
    _stamp_memo = (0.0, None)


def on_minutes_published(sender, **kwargs):
    """Pages cached under the old stamp are stale from now on (meetings.workflow.minutes_published)."""
    forget_stamp()


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.user.is_authenticated


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def published_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        stamp, latest = publication_stamp()
        request.publication_stamp = stamp
        language = translation.get_language() or settings.LANGUAGE_CODE
        path = request.get_full_path()
        digest = hashlib.sha256(f"{stamp}|{language}|{path}".encode()).hexdigest()[:32]
        etag = quote_etag(digest)
        last_modified = int(latest.timestamp()) if latest else None

        def finish(response):
            response.headers.setdefault("ETag", etag)
            if last_modified:
                response.headers.setdefault("Last-Modified", http_date(last_modified))
            patch_cache_control(response, public=True, no_cache=True)
            patch_vary_headers(response, VARY)
            return response

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return finish(not_modified)
        key = f"published-page:{digest}:{request.method == 'HEAD'}"
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(request, response):
            finish(response)
            cache.set(key, response, CACHE_SECONDS)
        return response

    return wrapper
