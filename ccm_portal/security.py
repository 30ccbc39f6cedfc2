"""The Sign-in security page: which second factors a user holds (authenticator app, passkeys,
recovery codes), and adding, renewing or removing them. Every change needs the second factor given
in this session and a confirmation; whoever must have a second factor cannot remove their last one."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ccm_portal import mfa

logger = logging.getLogger("ccm_portal.security")


def second_factors(user):
    """What the user can log in with after the password. Recovery codes back up the others and are
    no second factor on their own."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    passkeys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "app": app,
        "passkeys": passkeys,
        "recovery_left": recovery.token_set.count() if recovery else None,
        "count": (app is not None) + len(passkeys),
    }


def _here():
    return reverse("sign_in_security")


def _refused(request):
    """A redirect when this session may not change the user's second factors; None when it may."""
    if request.user.is_verified():
        return None
    if mfa.has_device(request.user):
        return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': _here()})}")
    messages.error(request, _("You have no second factor to change yet."))
    return redirect(_here())


def _unconfirmed(request, title, consequence, button):
    """None once the user has confirmed; otherwise the confirmation page. Nothing is done before."""
    if request.POST.get("confirmed") == "yes":
        return None
    context = {"title": title, "consequence": consequence, "button": button, "action": request.path}
    return render(request, "registration/security_confirm.html", context)


def _last_factor_refused(request, factors):
    if factors["count"] > 1 or not mfa.required_for(request.user):
        return None
    messages.error(
        request,
        _(
            "This is your only second factor, and ISU staff and administrators must keep one. "
            "Add another (a passkey or an authenticator app) before removing this one."
        ),
    )
    return redirect(_here())


def _removed(request, persistent_id, what):
    """After removing the device `persistent_id`: without any second factor left the recovery codes go too; a session
    verified with the removed device stays verified with one that remains."""
    user = request.user
    left = second_factors(user)
    if left["count"] == 0:
        StaticDevice.objects.filter(user=user).delete()
    used = request.session.get(DEVICE_ID_SESSION_KEY)
    if used == persistent_id:
        remaining = left["app"] or (left["passkeys"][0] if left["passkeys"] else None)
        if remaining is not None:
            otp_login(request, remaining)
        else:
            del request.session[DEVICE_ID_SESSION_KEY]
    mfa.note_enrolment(request, user)
    logger.info("%s removed by %r", what, user.get_username())
    if left["count"] == 0:
        messages.success(request, _("Removed. You now log in with your password alone."))
    else:
        messages.success(request, _("Removed."))
    return redirect(_here())


@login_required
def sign_in_security(request):
    context = {
        **second_factors(request.user),
        "required": mfa.required_for(request.user),
        "verified": request.user.is_verified(),
        "setup_url": f"{reverse('mfa_setup')}?{urlencode({'next': _here()})}",
    }
    return render(request, "registration/security.html", context)


@login_required
@require_POST
def recovery_codes_renew(request):
    if (page := _refused(request)) is not None:
        return page
    if not second_factors(request.user)["count"]:
        messages.error(request, _("Recovery codes back up a passkey or an authenticator app: add one first."))
        return redirect(_here())
    page = _unconfirmed(
        request,
        _("Make new recovery codes?"),
        _("Your old recovery codes stop working at once; the new ones are shown only once."),
        _("make new recovery codes"),
    )
    if page is not None:
        return page
    with transaction.atomic():
        codes = mfa.new_recovery_codes(request.user, request)
    logger.info("recovery codes renewed by %r", request.user.get_username())
    context = {"codes": codes, "next": _here(), "renewed": True}
    return render(request, "registration/mfa_recovery_codes.html", context)


@login_required
@require_POST
def authenticator_app_remove(request):
    if (page := _refused(request)) is not None:
        return page
    factors = second_factors(request.user)
    if factors["app"] is None:
        messages.error(request, _("You have no authenticator app to remove."))
        return redirect(_here())
    if (page := _last_factor_refused(request, factors)) is not None:
        return page
    page = _unconfirmed(
        request,
        _("Remove your authenticator app?"),
        _("Its codes stop working at once. You can set up an app again later."),
        _("remove the authenticator app"),
    )
    if page is not None:
        return page
    device = factors["app"]
    persistent_id = device.persistent_id
    with transaction.atomic():
        device.delete()
        return _removed(request, persistent_id, "authenticator app")


@login_required
@require_POST
def passkey_remove(request, pk):
    passkey = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    if (page := _refused(request)) is not None:
        return page
    if (page := _last_factor_refused(request, second_factors(request.user))) is not None:
        return page
    page = _unconfirmed(
        request,
        _("Remove the passkey “%(name)s”?") % {"name": passkey.name},
        _("It stops working at once for this site. Remove it from your device or password manager too."),
        _("remove the passkey"),
    )
    if page is not None:
        return page
    persistent_id = passkey.persistent_id
    with transaction.atomic():
        passkey.delete()
        return _removed(request, persistent_id, f"passkey {passkey.name!r}")
