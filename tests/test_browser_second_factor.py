"""ISU staff enrol an authenticator app and log in with it in a real browser (Debian's Chromium,
driven by Playwright), under the strict Content-Security-Policy. The codes are computed from the key
the page shows, as the app would.

Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a thread
with a running loop; so the data is made before the browser starts and checked after it closed."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_browser_flow import LAUNCH_ARGS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def authenticator_app(secret, step_offset=0):
    """RFC 6238 TOTP, six digits, 30-second steps, SHA-1: what a phone app shows for `secret`."""
    key = base64.b32decode(secret.replace(" ", ""))
    counter = int(time.time()) // 30 + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_staff_enrol_an_authenticator_app_and_then_log_in_with_it(chromium, live_server, isu_staff, settings):
    from playwright.sync_api import expect, sync_playwright

    settings.MFA_REQUIRED = True
    base = live_server.url
    violations = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        first = browser.new_context().new_page()
        first.on(
            "console", lambda message: violations.append(message.text) if "Content Security" in message.text else None
        )
        log_in(first, base, "alice")
        first.goto(base + reverse("meetings:drafting_workspace"))
        expect(first.get_by_role("heading", name="Set up a second factor")).to_be_visible()
        expect(first.get_by_role("img", name="QR code of the authenticator key")).to_be_visible()
        secret = first.locator("code.mfa-secret").inner_text()
        first.get_by_label("Code from the app").fill(authenticator_app(secret))
        first.get_by_role("button", name="Confirm").click()
        expect(first.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        assert first.locator("#recovery-codes li").count() == 10
        first.get_by_role("link", name="Continue").click()
        expect(first).to_have_url(base + reverse("meetings:drafting_workspace"))

        second = browser.new_context().new_page()
        log_in(second, base, "alice")
        second.goto(base + reverse("meetings:drafting_workspace"))
        expect(second.get_by_role("heading", name="Second factor")).to_be_visible()
        # The code used to enrol is spent; the app's next one is accepted.
        second.get_by_label("Code").fill(authenticator_app(secret, step_offset=1))
        second.get_by_role("button", name="Continue").click()
        expect(second).to_have_url(base + reverse("meetings:drafting_workspace"))
        browser.close()

    assert violations == []
    assert TOTPDevice.objects.get(user=isu_staff).confirmed
