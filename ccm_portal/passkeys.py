"""Passkeys (WebAuthn, through django-otp-webauthn) as a second factor: registering one from the
Sign-in security page and giving one after the password. Never a way to log in without the password
(OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off); each registration and use is logged."""

import logging

from django.contrib import messages
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from ccm_portal import mfa

logger = logging.getLogger("ccm_portal.security")


class PasskeyHelper(WebAuthnHelper):
    def create_credential(self, user, response, parsed_credential, original_data):
        """Each passkey gets a name the user can tell apart on the security page."""
        device = super().create_credential(user, response, parsed_credential, original_data)
        taken = set(WebAuthnCredential.objects.filter(user=user).values_list("name", flat=True))
        number = 1
        while (name := _("Passkey %(number)s") % {"number": number}) in taken:
            number += 1
        device.name = name
        return device


class _Logged:
    """Refusals are logged on the security log, as wrong codes are."""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            user = self.request.user
            who = user.get_username() if user.is_authenticated else "anonymous"
            logger.warning("passkey %s refused for %r (%s)", self.ceremony, who, exc.code)
        return super().handle_exception(exc)


class BeginRegistration(_Logged, views.BeginCredentialRegistrationView):
    ceremony = "registration"
    messages = {
        "user_not_verified": gettext_lazy(
            "Give your second factor first: a new passkey can only be added by whoever holds an existing one."
        )
    }


class CompleteRegistration(_Logged, views.CompleteCredentialRegistrationView):
    ceremony = "registration"
    messages = BeginRegistration.messages

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            mfa.note_enrolment(self.request, self.request.user)
            logger.info("passkey added by %r", self.request.user.get_username())
            # The page reloads to list the new passkey under this message.
            messages.success(self.request, _("Your passkey is added. You can use it after your password."))
        return response


class BeginAuthentication(_Logged, views.BeginCredentialAuthenticationView):
    ceremony = "authentication"


class CompleteAuthentication(_Logged, views.CompleteCredentialAuthenticationView):
    ceremony = "authentication"

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            logger.info("second factor given by %r (passkey)", self.request.user.get_username())
        return response


# The package's own names (its template tags reverse them), mounted under /accounts/ so that a user
# who still owes the second factor can reach them (ccm_portal/middleware.py).
urlpatterns = [
    path("registration/begin/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("registration/complete/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    # The package's button texts in the user's language: its catalogue, plus ours (locale/*/djangojs.po).
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
