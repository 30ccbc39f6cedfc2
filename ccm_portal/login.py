"""Login defences around Django's own auth views: who the client is, a log line per login, a longer
password for staff, and a rate limit on password-reset emails (the lockout itself is django-axes)."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import signals
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("ccm_portal.security")


def client_ip(request):
    """The address a request came from: the peer, or behind TRUSTED_PROXY_COUNT proxies the address
    the outermost trusted one saw (the rest of X-Forwarded-For can be forged by the client)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


@receiver(signals.user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info("login succeeded for %r from %s", user.get_username(), client_ip(request) if request else "-")


@receiver(signals.user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failed for %r from %s", credentials.get("username", ""), client_ip(request) if request else "-"
    )


class StaffMinimumLengthValidator:
    """Django's minimum length, longer for ISU staff and administrators."""

    def __init__(self, min_length=12):
        self.min_length = min_length

    def validate(self, password, user=None):
        from meetings.permissions import is_isu_staff

        if user is None or not (user.is_staff or user.is_superuser or (user.pk and is_isu_staff(user))):
            return
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "Staff passwords must contain at least %(min_length)d character.",
                    "Staff passwords must contain at least %(min_length)d characters.",
                    self.min_length,
                ),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return ngettext(
            "Staff passwords must contain at least %(min_length)d character.",
            "Staff passwords must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: 429 and how long the lockout lasts."""
    from ccm_portal import limits

    limits.hold_back_refusal()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _over_limit(kind, value, limit):
    """Count one more request for (kind, value) this hour; True once over `limit`."""
    key = f"password-reset:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, refusing (429, with a message) more than PASSWORD_RESETS_PER_HOUR
    requests an hour for one email address, and five times that from one client address."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        limit = settings.PASSWORD_RESETS_PER_HOUR
        by_address = _over_limit("email", email, limit)
        by_client = _over_limit("client", client_ip(self.request), 5 * limit)
        if by_address or by_client:
            logger.warning("password reset refused for %r from %s: too many", email, client_ip(self.request))
            message = _("Too many password reset requests. Please wait an hour before trying again.")
            context = {"form": form, "throttled": message}
            return render(self.request, "registration/password_reset_form.html", context, status=429)
        return super().form_valid(form)
