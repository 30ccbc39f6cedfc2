"""HTTP caching of public pages: they change only when something is published or announced.

`published_page` gives anonymous GETs an ETag and Last-Modified taken from the latest publication,
answers conditional requests with 304, and names the key its page is kept under in the server cache.
It never applies to logged-in users (whose pages may show more than the published record), to
requests carrying a session or pending messages, or to a response that used a CSRF token or set a
cookie. Views that serve drafts or a per-request nonce must not use it.

`serve_published_pages`, a middleware placed before the session, authentication and second-factor
middleware, stores those pages once every inner middleware has added its headers, and answers the
next anonymous request for them from the cache before any of that work is done — as Django's own
FetchFromCacheMiddleware does. The headers the outer middleware add (security headers, the CSP,
the Permissions-Policy) are added to each answer afresh.
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


def _anonymous_request(request):
    """A GET or HEAD without a session or pending messages: nobody is logged in, so the page shows
    the published record only. (Logging in is the only way to a session.)"""
    if request.method not in ("GET", "HEAD"):
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _cacheable_request(request):
    return _anonymous_request(request) and not request.user.is_authenticated


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _page_key(request, language):
    """Where the page for this address, language and method is kept: one entry each, holding the
    publication stamp it was rendered under beside the response (so that a page nobody caches costs
    no stamp read, and a new stamp replaces the old entry rather than adding one)."""
    address = hashlib.sha256(f"{language}|{request.get_full_path()}".encode()).hexdigest()[:32]
    return f"published-page:{address}:{request.method == 'HEAD'}"


def _etag(stamp, key):
    return quote_etag(hashlib.sha256(f"{stamp}|{key}".encode()).hexdigest()[:32])


def published_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        # The stamp serve_published_pages read for this request, if it did (it is then read once).
        stamp, latest = getattr(request, "publication_stamp_read", None) or publication_stamp()
        request.publication_stamp = stamp
        key = _page_key(request, translation.get_language() or settings.LANGUAGE_CODE)
        etag = _etag(stamp, key)
        last_modified = int(latest.timestamp()) if latest else None

        def finish(response):
            response.headers.setdefault("ETag", etag)
            if last_modified:
                # The stamp's date, even over a feed's own (its latest publication date, which a
                # correction of a published record does not move): the date sent is the date checked.
                response.headers["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, no_cache=True)
            patch_vary_headers(response, VARY)
            return response

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return finish(not_modified)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(request, response):
            finish(response)
            # serve_published_pages stores it on its way out, with the inner middleware's headers.
            request.published_page_entry = key, stamp
        return response

    return wrapper


def serve_published_pages(get_response):
    """Middleware: an anonymous request for a published page that is in the cache under the current
    publication stamp is answered from it (or with 304) at once; a published page rendered for an
    anonymous request is stored."""

    def middleware(request):
        if _anonymous_request(request):
            request.get_host()  # an address this site does not serve is refused (400) all the same
            # As LocaleMiddleware (inside this one) will choose: the language cookie, then Accept-Language.
            entry = cache.get(_page_key(request, translation.get_language_from_request(request)))
            try:
                current = publication_stamp() if entry is not None else None
            except DatabaseError:
                current = None  # a worker that never read the stamp cannot tell: the view answers (503)
            if current is not None:
                request.publication_stamp_read = current
                stamp, cached = entry
                if stamp == current[0]:
                    latest = current[1]
                    return (
                        get_conditional_response(
                            request,
                            etag=cached.headers.get("ETag"),
                            last_modified=int(latest.timestamp()) if latest else None,
                            response=cached,
                        )
                        or cached
                    )
        response = get_response(request)
        entry = getattr(request, "published_page_entry", None)
        if entry is not None and _cacheable_response(request, response):
            key, stamp = entry
            cache.set(key, (stamp, response), CACHE_SECONDS)
        return response

    return middleware
