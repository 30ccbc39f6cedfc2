"""The Sign-in security page: everyone signed in sees their second factors (authenticator app,
passkeys, recovery codes left) and changes them only with the second factor given in this session
and a confirmation; staff who must have a second factor cannot remove their last one, coordinators
may. Passkeys stand in for the app as a second factor, never for the password.

Passkeys are made here as rows (a real one needs a browser's authenticator: see
tests/test_browser_passkeys.py); the authenticator app is enrolled through its page."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.ccm_portal.test_second_factor import current_code, enrol, log_in

pytestmark = pytest.mark.django_db
SECURITY = "/sign-in-security/"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.MFA_REQUIRED = True


def passkey_of(user, name="Passkey 1"):
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=name.encode(),
        public_key=b"not used here",
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def enrolled(client, username, next_url="/drafting/"):
    """Logged in, authenticator app enrolled (which gives the second factor): the recovery codes."""
    log_in(client, username, next_url)
    return enrol(client)


def confirm(client, url):
    """The button, then the confirmation page's "Yes"."""
    page = client.post(url)
    assert page.status_code == 200 and 'name="confirmed" value="yes"' in page.content.decode()
    return client.post(url, {"confirmed": "yes"})


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_the_anonymous_are_sent_to_log_in(client):
    response = client.get(SECURITY)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={SECURITY}"


def test_the_page_lists_the_app_the_passkeys_and_the_recovery_codes_left(client, isu_staff):
    enrolled(client, "alice")
    passkey_of(isu_staff, "Work laptop")
    response = client.get(SECURITY)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Set up on" in page and "Remove the authenticator app" in page
    assert "Work laptop" in page and "never" in page and "Remove Work laptop" in page
    assert "10 recovery codes left." in page
    assert 'id="passkey-register-button"' in page and 'id="otp_webauthn_config"' in page
    assert response["Cache-Control"] == "private, no-store"


def test_both_homes_and_the_header_link_to_the_page(client, isu_staff, coordinator, settings):
    settings.MFA_REQUIRED = False
    for user, home in ((isu_staff, "meetings:drafting_workspace"), (coordinator, "meetings:coordinator_home")):
        client.force_login(user)
        page = client.get(reverse(home)).content.decode()
        assert page.count(f'href="{SECURITY}"') == 2, user


def test_new_recovery_codes_replace_the_old_ones(client, isu_staff):
    old = enrolled(client, "alice")
    response = confirm(client, reverse("recovery_codes_renew"))
    new = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert "The old ones no longer work" in response.content.decode()
    for code, expected in ((new[0], 302), (old[0], 400)):
        later = Client()
        log_in(later, "alice")
        assert later.post(reverse("mfa_verify"), {"code": code, "next": "/drafting/"}).status_code == expected


def test_asking_for_new_codes_changes_nothing_until_confirmed(client, isu_staff):
    old = enrolled(client, "alice")
    client.post(reverse("recovery_codes_renew"))
    assert sorted(StaticDevice.objects.get(user=isu_staff).token_set.values_list("token", flat=True)) == sorted(old)


def test_staff_cannot_remove_their_last_second_factor(client, isu_staff):
    enrolled(client, "alice")
    response = client.post(reverse("authenticator_app_remove"), {"confirmed": "yes"}, follow=True)
    assert "This is your only second factor" in " ".join(messages_of(response))
    assert TOTPDevice.objects.filter(user=isu_staff, confirmed=True).exists()


def test_staff_may_remove_the_app_while_a_passkey_remains_but_then_not_the_passkey(client, isu_staff):
    enrolled(client, "alice")
    passkey = passkey_of(isu_staff)
    response = confirm(client, reverse("authenticator_app_remove"))
    assert response.status_code == 302 and response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=isu_staff).exists()
    # The session was verified with the app; it stays verified and can still reach drafting.
    assert client.get("/drafting/").status_code == 200
    response = client.post(reverse("passkey_remove", args=[passkey.pk]), {"confirmed": "yes"}, follow=True)
    assert "This is your only second factor" in " ".join(messages_of(response))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_with_mfa_off_staff_may_remove_their_last_second_factor(client, isu_staff, settings):
    enrolled(client, "alice")
    settings.MFA_REQUIRED = False
    confirm(client, reverse("authenticator_app_remove"))
    assert not TOTPDevice.objects.filter(user=isu_staff).exists()


def test_a_coordinator_may_remove_their_only_second_factor_and_then_logs_in_with_a_password(client, coordinator):
    enrolled(client, "bob", next_url="/meetings/")
    response = confirm(client, reverse("authenticator_app_remove"))
    assert response.status_code == 302
    assert "You now log in with your password alone." in " ".join(messages_of(client.get(SECURITY)))
    # The recovery codes went with the last second factor.
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert log_in(Client(), "bob", next_url="/meetings/").status_code == 200


def test_a_coordinator_may_remove_a_passkey(client, coordinator):
    enrolled(client, "bob", next_url="/meetings/")
    passkey = passkey_of(coordinator)
    confirm(client, reverse("passkey_remove", args=[passkey.pk]))
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_nobody_removes_someone_elses_passkey(client, isu_staff, coordinator):
    enrolled(client, "bob", next_url="/meetings/")
    passkey = passkey_of(isu_staff)
    assert client.post(reverse("passkey_remove", args=[passkey.pk]), {"confirmed": "yes"}).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_session_that_has_not_given_its_second_factor_changes_nothing(client, isu_staff):
    enrolled(client, "alice")
    passkey = passkey_of(isu_staff)
    codes = set(StaticDevice.objects.get(user=isu_staff).token_set.values_list("token", flat=True))
    password_only = Client()
    log_in(password_only, "alice")
    for url in (
        reverse("recovery_codes_renew"),
        reverse("authenticator_app_remove"),
        reverse("passkey_remove", args=[passkey.pk]),
    ):
        response = password_only.post(url, {"confirmed": "yes"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_verify")), url
    assert password_only.get(SECURITY)["Location"].startswith(reverse("mfa_verify"))
    # Nor can it add a passkey (the package's ceremony answers 403).
    response = password_only.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=isu_staff, confirmed=True).count() == 1
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert set(StaticDevice.objects.get(user=isu_staff).token_set.values_list("token", flat=True)) == codes


def test_each_change_is_logged(client, isu_staff, caplog):
    enrolled(client, "alice")
    passkey_of(isu_staff, "Phone")
    with caplog.at_level(logging.INFO, logger="ccm_portal.security"):
        confirm(client, reverse("recovery_codes_renew"))
        confirm(client, reverse("authenticator_app_remove"))
    assert "recovery codes renewed by 'alice'" in caplog.text
    assert "authenticator app removed by 'alice'" in caplog.text


def test_a_new_app_replaces_the_old_one_and_keeps_the_passkeys(client, isu_staff):
    enrolled(client, "alice")
    passkey = passkey_of(isu_staff)
    old_app = TOTPDevice.objects.get(user=isu_staff)
    client.get(reverse("mfa_setup"))
    new_app = TOTPDevice.objects.get(user=isu_staff, confirmed=False)
    assert client.post(reverse("mfa_setup"), {"code": current_code(new_app)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=isu_staff).values_list("pk", flat=True)) == [new_app.pk]
    assert old_app.pk != new_app.pk and WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_staff_with_only_a_passkey_are_asked_for_it_not_sent_to_enrol(client, isu_staff):
    passkey_of(isu_staff)
    response = log_in(client, "alice")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_verify"))
    page = client.get(response["Location"]).content.decode()
    assert "Use a passkey" in page and "Lost your passkey?" in page
    assert 'id="otp_webauthn_config"' in page and "/static/django_otp_webauthn/otp_webauthn_auth." in page
    assert client.get("/drafting/").status_code == 302
    # The browser is asked for this user's passkey, and only it.
    options = client.post(reverse("otp_webauthn:credential-authentication-begin")).json()
    assert [c["id"] for c in options["allowCredentials"]] == ["UGFzc2tleSAx"]  # base64url of b"Passkey 1"


def test_a_passkey_never_replaces_the_password(client, isu_staff):
    passkey_of(isu_staff)
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code == 403 and response.json()["code"] == "passwordless_login_disabled"


def test_the_passkey_script_is_served_from_this_site(client, isu_staff):
    passkey_of(isu_staff)
    log_in(client, "alice")
    page = client.get(reverse("mfa_verify")).content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/") and not src.startswith("//") for src in scripts)
    catalogue = client.get(reverse("otp_webauthn:js-i18n-catalog"), headers={"accept-language": "fr"})
    assert "Enregistrement interrompu." in catalogue.content.decode()


def test_the_page_speaks_french_and_spanish(client, isu_staff, settings):
    settings.MFA_REQUIRED = False
    client.force_login(isu_staff)
    assert "Sécurité de la connexion" in client.get(SECURITY, headers={"accept-language": "fr"}).content.decode()
    assert "Seguridad del inicio de sesión" in client.get(SECURITY, headers={"accept-language": "es"}).content.decode()


def test_a_session_that_gave_its_second_factor_is_not_asked_again(client, isu_staff):
    enrolled(client, "alice")
    response = client.get(reverse("mfa_verify") + "?next=/drafting/")
    assert response.status_code == 302 and response["Location"] == "/drafting/"


def recovered(client, username, code):
    """Logged in again with the password and a recovery code."""
    client.post(reverse("logout"))
    log_in(client, username)
    assert client.post(reverse("mfa_verify"), {"code": code, "next": "/drafting/"}).status_code == 302
    assert client.get("/drafting/").status_code == 200


def test_a_session_that_gave_a_recovery_code_stays_signed_in_with_the_new_codes(client, isu_staff):
    old = enrolled(client, "alice")
    recovered(client, "alice", old[0])
    response = confirm(client, reverse("recovery_codes_renew"))
    assert response.status_code == 200 and "The old ones no longer work" in response.content.decode()
    assert client.get("/drafting/").status_code == 200


def test_the_passkey_step_of_enrolment_never_replaces_codes_for_a_session_that_gave_a_recovery_code(client, isu_staff):
    old = enrolled(client, "alice")
    TOTPDevice.objects.filter(user=isu_staff).delete()
    passkey_of(isu_staff)
    StaticDevice.objects.get(user=isu_staff).token_set.exclude(token=old[0]).delete()
    recovered(client, "alice", old[0])  # the last one
    response = client.post(reverse("mfa_setup_passkey"), {"next": "/drafting/"})
    assert response.status_code == 302 and response["Location"] == "/drafting/"
    assert not StaticDevice.objects.get(user=isu_staff).token_set.exists()
    assert client.get("/drafting/").status_code == 200
