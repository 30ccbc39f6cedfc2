"""The second factor: ISU staff and administrators enrol an authenticator app (or a passkey) on their first login
and give a code at every login when MFA_REQUIRED is on; coordinators may enrol, and then must give
one too; a recovery code stands in for the app once."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.MFA_REQUIRED = True


def log_in(client, username, next_url="/drafting/"):
    response = client.post(reverse("login"), {"username": username, "password": RIGHT, "next": next_url})
    assert response.status_code == 302
    return client.get(response["Location"])


def current_code(device, drift=0):
    """What the app shows now (drift=1: in the next 30-second step, which django-otp tolerates)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrol(client):
    """Scan the key (read from the page, as the user types it), confirm with the app's first code."""
    page = client.get(reverse("mfa_setup") + "?next=/drafting/").content.decode()
    secret = re.search(r'<code class="mfa-secret">([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    response = client.post(reverse("mfa_setup"), {"code": current_code(device), "next": "/drafting/"})
    assert response.status_code == 200
    return re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())


def test_isu_staff_are_sent_to_enrol_on_their_first_login_and_cannot_draft_before(client, isu_staff):
    response = client.post(reverse("login"), {"username": "alice", "password": RIGHT, "next": "/drafting/"})
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "Set up a second factor" in page and "data:image/svg+xml;base64," in page
    assert client.get("/drafting/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_enrolling_shows_ten_recovery_codes_once_and_opens_drafting(client, isu_staff):
    log_in(client, "alice")
    codes = enrol(client)
    assert len(set(codes)) == 10
    assert client.get("/drafting/").status_code == 200


def test_a_wrong_first_code_does_not_enrol(client, isu_staff):
    log_in(client, "alice")
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_setup"), {"code": wrong})
    assert response.status_code == 400 and "does not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_enrolled_staff_give_a_code_after_the_password_at_every_login(client, isu_staff):
    log_in(client, "alice")
    enrol(client)
    later = Client()
    response = log_in(later, "alice")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_verify"))
    assert later.get("/drafting/").status_code == 302
    device = TOTPDevice.objects.get(user=isu_staff)
    # The code used to enrol is spent; the app's next one is taken.
    response = later.post(reverse("mfa_verify"), {"code": current_code(device), "next": "/drafting/"})
    assert response.status_code == 400 and "not right" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = later.post(reverse("mfa_verify"), {"code": current_code(device, drift=1), "next": "/drafting/"})
    assert response.status_code == 302 and response["Location"] == "/drafting/"
    assert later.get("/drafting/").status_code == 200


def test_a_recovery_code_logs_in_once(client, isu_staff):
    log_in(client, "alice")
    codes = enrol(client)
    for attempt, expected in ((1, 302), (2, 400)):
        browser = Client()
        log_in(browser, "alice")
        response = browser.post(reverse("mfa_verify"), {"code": codes[0], "next": "/drafting/"})
        assert response.status_code == expected, attempt
        if expected == 302:
            assert response["Location"] == "/drafting/"
            assert browser.get("/drafting/").status_code == 200


def test_the_administrator_needs_a_second_factor_for_the_admin(client, admin_user):
    client.post(reverse("admin:login"), {"username": "dana", "password": RIGHT})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_setup"))


def test_coordinators_log_in_with_a_password_alone_unless_they_enrolled(client, coordinator):
    assert log_in(client, "bob", next_url="/meetings/").status_code == 200
    enrol(client)
    later = Client()
    response = log_in(later, "bob", next_url="/meetings/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_verify"))


def test_with_mfa_off_staff_log_in_with_a_password_alone(client, isu_staff, settings):
    settings.MFA_REQUIRED = False
    assert log_in(client, "alice").status_code == 200


def test_the_second_factor_page_sends_nobody_elsewhere_than_this_site(client, isu_staff):
    log_in(client, "alice")
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("mfa_setup"), {"code": current_code(device), "next": "https://evil.example/"})
    assert 'href="/"' in response.content.decode()


def test_the_passkey_step_of_enrolment_refuses_whoever_registered_no_passkey(client, isu_staff):
    log_in(client, "alice")
    response = client.post(reverse("mfa_setup_passkey"), {"next": "/drafting/"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_setup"))
    assert "No passkey was added." in response.content.decode()
    assert client.get("/drafting/").status_code == 302
    from django_otp.plugins.otp_static.models import StaticToken

    assert not StaticToken.objects.exists()


def test_the_set_up_page_offers_a_passkey_beside_the_authenticator_app(client, isu_staff):
    log_in(client, "alice")
    page = client.get(reverse("mfa_setup") + "?next=/drafting/").content.decode()
    assert "With a passkey" in page and "With an authenticator app" in page
    assert f'action="{reverse("mfa_setup_passkey")}"' in page


def test_without_a_next_page_the_recovery_codes_lead_to_the_home_of_ones_role(client, isu_staff):
    log_in(client, "alice")
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post(reverse("mfa_setup"), {"code": current_code(device)}).content.decode()
    assert f'href="{reverse("meetings:role_home")}">' in page
