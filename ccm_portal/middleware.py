"""Rules every request passes through: addresses without NUL characters, the Permissions-Policy
header, passwords checked a few at a time, session time limits, the second factor for staff, and no
storing of signed-in pages."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from ccm_portal import limits, mfa

# What a signed-in user who still owes a second factor may reach: the login and second-factor pages
# themselves, logging out, the language switcher and the health check.
SECOND_FACTOR_EXEMPT = ("/accounts/", "/i18n/", "/healthz", "/csp-report/")


def refuse_nul_characters(get_response):
    """No address of the site holds a NUL character, and the database cannot store one: 400, not 500."""

    def middleware(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest(
                "Bad request: the address contains a NUL character (%00), which no page of this site has.",
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


def bounded_password_checks(get_response):
    """Logging in (on the site or the admin) checks passwords a few at a time on each host; the
    others are asked to try again in a moment (429), at no cost to the rest of the site."""
    login_paths = (settings.LOGIN_URL, "/admin/login/")

    def middleware(request):
        if request.method != "POST" or request.path not in login_paths:
            return get_response(request)
        with limits.password_check_slot() as granted:
            if granted:
                return get_response(request)
        limits.hold_back_refusal()
        response = render(request, "registration/login_busy.html", status=429)
        response["Retry-After"] = "2"
        return response

    return middleware


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


@receiver(user_logged_in)
def start_session_clocks(sender, request, user, **kwargs):
    """The session's clocks start at login, with a note of whether the user enrolled a second factor."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["started_at"] = request.session["seen_at"] = now
        mfa.note_enrolment(request, user)


def session_limits(get_response):
    """A signed-in session ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS
    after it began. The last-seen time is written at most once a minute, not on every request."""

    def middleware(request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("started_at", now)
            seen = request.session.get("seen_at", now)
            if now - seen > settings.SESSION_IDLE_MINUTES * 60 or now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
            elif now - seen >= 60 or "seen_at" not in request.session:
                request.session["seen_at"] = now
        return get_response(request)

    return middleware


def second_factor_required(get_response):
    """Staff (and anyone who enrolled a device) reach nothing but the second-factor pages until they
    have given one; staff without a device are sent to enrol."""

    def middleware(request):
        user = request.user
        exempt = request.path.startswith(SECOND_FACTOR_EXEMPT)
        if user.is_authenticated and not exempt and mfa.second_factor_owed(request):
            target = "mfa_verify" if request.session[mfa.ENROLLED] else "mfa_setup"
            return redirect(f"{mfa.url(target)}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


def private_pages_not_stored(get_response):
    """Pages answered to a signed-in user are theirs alone: no cache, shared or private, keeps them."""

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            patch_vary_headers(response, ["Cookie"])
        return response

    return middleware
