"""Security headers on every page, no inline script or style in the templates, signed-in pages
never stored, session time limits, and `check --deploy` clean with production settings."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def test_every_page_carries_a_strict_content_security_policy(client, demo):
    for url in ("/", "/meetings/2018-09-25/", reverse("login"), "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        for directive in (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "report-uri /csp-report/",
        ):
            assert directive in policy, (url, directive)


def test_pages_carry_a_permissions_policy_and_hsts_over_https(client):
    response = client.get("/", secure=True)
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_when_asked(client, settings):
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    # Middleware reads the setting when it is built: a fresh handler, as a fresh worker would.
    response = Client().get("/meetings/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/meetings/"
    assert Client().get("/healthz").status_code == 200


def test_csp_violations_reported_by_browsers_go_to_the_log(client, caplog):
    report = '{"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline"}}'
    response = client.post("/csp-report/", report, content_type="application/csp-report")
    assert response.status_code == 204
    assert "content security policy violation" in caplog.text and "script-src" in caplog.text


def test_no_template_of_a_web_page_holds_inline_script_or_style():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parts[-2] == "emails":
            continue  # emails are read in mail clients, where no CSP applies and inline style is the norm
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=|javascript:", text, re.I):
            offending.append(str(template.relative_to(TEMPLATES)))
    assert offending == []


@pytest.mark.parametrize("persona", ["isu_staff", "coordinator"])
def test_signed_in_pages_are_private_and_never_stored(client, persona, request, demo):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/", "/meetings/2018-09-25/", "/meetings/"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_public_pages_stay_cacheable_for_anonymous_visitors(client, demo):
    assert "no-store" not in client.get("/meetings/2018-09-25/")["Cache-Control"]


def test_a_session_idle_longer_than_the_limit_is_logged_out(client, coordinator, settings, monkeypatch):
    client.force_login(coordinator)
    assert client.get("/meetings/").context["user"].is_authenticated
    later = time.time() + settings.SESSION_IDLE_MINUTES * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert not client.get("/meetings/").context["user"].is_authenticated


def test_a_busy_session_still_ends_after_its_absolute_limit(client, coordinator, settings, monkeypatch):
    client.force_login(coordinator)
    start = time.time()
    for minutes in range(0, settings.SESSION_MAX_HOURS * 60 + 1, 50):
        monkeypatch.setattr(time, "time", lambda minutes=minutes: start + minutes * 60)
        user = client.get("/meetings/").context["user"]
        if minutes < settings.SESSION_MAX_HOURS * 60:
            assert user.is_authenticated, minutes
    monkeypatch.setattr(time, "time", lambda: start + settings.SESSION_MAX_HOURS * 3600 + 60)
    assert not client.get("/meetings/").context["user"].is_authenticated


PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-of-more-than-fifty-characters-with-variety-0987654321",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "ccm-portal.example.org",
    "SITE_URL": "https://ccm-portal.example.org",
}


def run_manage(*args, env):
    clean = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "SITE_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_gives_no_warning(_isu_key_pair):
    # Production signs its official records, so it has a signing key (without one, a warning says so).
    key_file, cert_file, _fingerprint = map(str, _isu_key_pair)
    env = {**PRODUCTION, "SIGNING_KEY_FILE": key_file, "SIGNING_CERT_FILE": cert_file}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_serving_without_site_url_refuses_to_start():
    env = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    result = run_manage("shell", "-c", "import ccm_portal.wsgi", env=env)
    assert result.returncode != 0 and "SITE_URL must be set when DEBUG is off" in result.stderr
    check = run_manage("check", "--deploy", env=env)
    assert "ccm_portal.W002" in check.stderr + check.stdout
