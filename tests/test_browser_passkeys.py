"""A staff member who enrolled an authenticator app adds a passkey on the Sign-in security page and
then logs in with the password and the passkey, in a real browser (Debian's Chromium, driven by
Playwright) under the strict Content-Security-Policy. The passkey lives in Chromium's virtual
WebAuthn authenticator (DevTools protocol), which stands in for a phone or a security key.

Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a thread
with a running loop; so the data is made before the browser starts and checked after it closed."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.test_browser_flow import LAUNCH_ARGS, log_in
from tests.test_browser_second_factor import authenticator_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture(autouse=True)
def _unhashed_static_names(settings):
    """The live server serves static files (here the passkey scripts) from the app folders by their
    own names, not the manifest's hashed ones, so the page must ask for them by those names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_staff_add_a_passkey_and_log_in_with_it(chromium, live_server, isu_staff, settings):
    from playwright.sync_api import expect, sync_playwright

    settings.MFA_REQUIRED = True
    # The live server's address is the site's: a passkey is bound to its host name and origin.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    base = live_server.url
    assert base.startswith("http://localhost:")
    drafting = base + reverse("meetings:drafting_workspace")
    violations, errors = [], []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.on(
            "console", lambda message: violations.append(message.text) if "Content Security" in message.text else None
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})

        # Enrolled with an authenticator app on the first login.
        log_in(page, base, "alice")
        page.goto(drafting)
        secret = page.locator("code.mfa-secret").inner_text()
        page.get_by_label("Code from the app").fill(authenticator_app(secret))
        page.get_by_role("button", name="Confirm").click()
        page.get_by_role("link", name="Continue").click()
        expect(page).to_have_url(drafting)

        page.get_by_role("link", name="Sign-in security").first.click()
        expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()
        expect(page.get_by_text("You have no passkey.")).to_be_visible()
        page.get_by_role("button", name="Add a passkey").click()
        expect(page.get_by_text("Your passkey is added.")).to_be_visible()
        expect(page.locator("#passkey-list")).to_contain_text("Passkey 1")
        # The passkey is in the authenticator, bound to this site.
        stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})
        assert [c["rpId"] for c in stored["credentials"]] == ["localhost"]

        page.get_by_role("button", name="Log out").click()
        log_in(page, base, "alice")
        page.goto(drafting)
        expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
        page.get_by_role("button", name="Use a passkey").click()
        expect(page).to_have_url(drafting)
        expect(page.get_by_role("heading", name="ISU workspace")).to_be_visible()
        browser.close()

    assert violations == [] and errors == []
    passkey = WebAuthnCredential.objects.get(user=isu_staff)
    assert passkey.name == "Passkey 1" and passkey.last_used_at is not None


def test_staff_enrol_a_passkey_on_their_first_login_and_keep_its_recovery_codes(
    chromium, live_server, isu_staff, settings
):
    from playwright.sync_api import expect, sync_playwright

    settings.MFA_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    base = live_server.url
    drafting = base + reverse("meetings:drafting_workspace")
    violations, errors = [], []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.on(
            "console", lambda message: violations.append(message.text) if "Content Security" in message.text else None
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        devtools.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})

        log_in(page, base, "alice")
        page.goto(drafting)
        expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
        page.get_by_role("button", name="Add a passkey").click()
        expect(page.get_by_text("Your passkey is set up.")).to_be_visible()
        codes = page.locator("#recovery-codes li").all_inner_texts()
        page.get_by_role("link", name="Continue").click()
        expect(page).to_have_url(drafting)
        expect(page.get_by_role("heading", name="ISU workspace")).to_be_visible()

        # The next login asks for the passkey; a recovery code would do instead.
        page.get_by_role("button", name="Log out").click()
        log_in(page, base, "alice")
        page.goto(drafting)
        expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
        page.get_by_role("button", name="Use a passkey").click()
        expect(page).to_have_url(drafting)
        browser.close()

    assert violations == [] and errors == []
    assert len(set(codes)) == 10
    assert WebAuthnCredential.objects.filter(user=isu_staff, confirmed=True).count() == 1
    # The app key the set-up page showed beside the passkey was never confirmed: it is gone.
    assert not TOTPDevice.objects.filter(user=isu_staff).exists()
