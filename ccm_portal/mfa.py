"""The second factor (django-otp): who owes one, enrolling an authenticator app with recovery codes,
and giving a code or a passkey after the password. ISU staff and administrators owe one when MFA_REQUIRED is on;
anyone who enrolled a device gives it at every login."""

import base64
import io
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image
from django_otp_webauthn.models import WebAuthnCredential

logger = logging.getLogger("ccm_portal.security")
RECOVERY_CODES = 10


def url(name):
    return reverse(name)


def required_for(user):
    from meetings.permissions import is_isu_staff

    return settings.MFA_REQUIRED and (user.is_staff or user.is_superuser or is_isu_staff(user))


def has_device(user):
    return user_has_device(user, confirmed=True)


# Whether the signed-in user has a device, noted in the session at login and at enrolment, so that
# the check on every request costs no query.
ENROLLED = "mfa_enrolled"


def note_enrolment(request, user):
    request.session[ENROLLED] = has_device(user)


def second_factor_owed(request):
    user = request.user
    if user.is_verified():
        return False
    if ENROLLED not in request.session:
        note_enrolment(request, user)
    return required_for(user) or request.session[ENROLLED]


def _next(request):
    target = request.POST.get("next") or request.GET.get("next")
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        # An address, not the setting's URL name: pages put it in their links.
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return target


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@login_required
def mfa_verify(request):
    """The second step of logging in: a passkey, a code from the authenticator app, or a recovery code.
    (The passkey is checked by ccm_portal/passkeys.py, which the page's script calls.)"""
    if request.user.is_verified():
        return redirect(_next(request))
    if not has_device(request.user):
        note_enrolment(request, request.user)
        if not required_for(request.user):
            return redirect(_next(request))
        return redirect(f"{url('mfa_setup')}?{urlencode({'next': _next(request)})}")
    has_app = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    form = CodeForm(request.POST or None)
    if not has_app:
        form.fields["code"].help_text = _("One of your recovery codes.")
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            logger.info("second factor given by %r (%s)", request.user.get_username(), device.name)
            return redirect(_next(request))
        logger.warning("second factor refused for %r", request.user.get_username())
        form.add_error("code", _("This code is not right, or has been used. Try the current one."))
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "next": _next(request),
        "has_app": has_app,
        "has_passkey": WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "registration/mfa_verify.html", context, status=status)


def new_recovery_codes(user, request=None):
    """Ten new recovery codes for `user`, replacing any earlier ones (call it in a transaction).
    A session (`request`) that gave one of the old codes stays verified, with the new ones."""
    given_with_codes = request is not None and isinstance(getattr(request.user, "otp_device", None), StaticDevice)
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=str(_("Recovery codes")), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    if given_with_codes:
        otp_login(request, recovery)
    return codes


def _qr_data_uri(data):
    out = io.BytesIO()
    write_qrcode_image(data, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@login_required
def mfa_setup(request):
    """Enrol an authenticator app: scan the code (or type the key), confirm with a first code, and
    keep the recovery codes shown once."""
    user = request.user
    if has_device(user) and not user.is_verified():
        # Replacing a device needs the current one first.
        return redirect(f"{url('mfa_verify')}?{urlencode({'next': url('mfa_setup')})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                # A new app replaces the old one and its recovery codes; passkeys stay.
                TOTPDevice.objects.filter(user=user, confirmed=True).delete()
                device.confirmed = True
                device.save()
                codes = new_recovery_codes(user)
            otp_login(request, device)
            note_enrolment(request, user)
            logger.info("second factor enrolled by %r", user.get_username())
            context = {"codes": codes, "next": _next(request)}
            return render(request, "registration/mfa_recovery_codes.html", context)
        form.add_error("code", _("This code does not match. Check the time on your phone and try the current one."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": _qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
        "required": required_for(user),
    }
    return render(request, "registration/mfa_setup.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def mfa_setup_passkey(request):
    """The set-up page's script posts here once a passkey is registered (ccm_portal/passkeys.py logs
    the session in with it): the first second factor comes with its recovery codes, shown once."""
    user = request.user
    if not user.is_verified():
        messages.error(request, _("No passkey was added. Try again, or set up an authenticator app."))
        return redirect(f"{url('mfa_setup')}?{urlencode({'next': _next(request)})}")
    holds_codes = StaticDevice.objects.filter(user=user, token_set__isnull=False).exists()
    if holds_codes or not isinstance(user.otp_device, WebAuthnCredential):
        # This session gave another second factor, or recovery codes are already held: the codes
        # are made on the Sign-in security page, never replaced from here.
        return redirect(_next(request))
    with transaction.atomic():
        # The app key shown beside the passkey was never confirmed: it is not kept for later.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = new_recovery_codes(user)
    note_enrolment(request, user)
    logger.info("second factor enrolled by %r (passkey)", user.get_username())
    context = {"codes": codes, "next": _next(request), "passkey": True}
    return render(request, "registration/mfa_recovery_codes.html", context)
