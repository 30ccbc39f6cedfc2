"""Keys for signing official records: `signing_key create`, what `check` says about the
configuration, and the settings that go together."""

import io

import pytest
from django.core import checks
from django.core.management import CommandError, call_command

from meetings import signing

pytestmark = pytest.mark.django_db


def create(tmp_path, *extra):
    output = io.StringIO()
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    call_command("signing_key", "create", "--key-file", str(key), "--cert-file", str(cert), *extra, stdout=output)
    return key, cert, output.getvalue()


def messages(**kwargs):
    return {message.id: message.msg for message in checks.run_checks(**kwargs)}


def test_signing_key_create_makes_a_key_and_certificate_that_sign(tmp_path):
    key_file, cert_file, output = create(tmp_path)
    key = signing.load_key(key_file, cert_file)
    assert key.fingerprint in output
    assert "Implementation Support Unit" in key.certificate.subject.human_friendly
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_a_demo_key_says_it_is_one(tmp_path):
    key_file, cert_file, output = create(tmp_path, "--demo")
    assert "DEMO signing key" in output and "never use it in production" in output
    assert "demo" in signing.load_key(key_file, cert_file).certificate.subject.human_friendly


def test_a_key_is_never_overwritten_and_if_missing_leaves_it_alone(tmp_path):
    key_file, _, _ = create(tmp_path)
    before = key_file.read_bytes()
    with pytest.raises(CommandError, match="never overwritten"):
        create(tmp_path)
    assert create(tmp_path, "--if-missing")[2] == ""
    assert key_file.read_bytes() == before


def test_a_key_with_a_passphrase_needs_it(tmp_path, settings):
    settings.SIGNING_KEY_PASSPHRASE = "correct horse"
    key_file, cert_file, _ = create(tmp_path)
    assert b"ENCRYPTED" in key_file.read_bytes()
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = str(key_file), str(cert_file)
    assert signing.configured_key().fingerprint
    settings.SIGNING_KEY_PASSPHRASE = "wrong"
    assert "SIGNING_KEY_PASSPHRASE" in messages()["meetings.E001"]


def test_a_key_that_does_not_match_its_certificate_stops_the_start(tmp_path, settings, _isu_key_pair):
    key_file, _, _ = create(tmp_path)
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = str(key_file), str(_isu_key_pair[1])
    assert "does not belong to the certificate" in messages()["meetings.E001"]


def test_a_missing_key_file_stops_the_start(tmp_path, settings):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = str(tmp_path / "no.pem"), str(tmp_path / "no-cert.pem")
    assert "SIGNING_KEY_FILE" in messages()["meetings.E001"]


def test_check_deploy_warns_that_records_would_be_stored_unsigned_without_a_key(db):
    assert "unsigned" in messages(include_deployment_checks=True)["meetings.W001"]


def test_check_deploy_is_quiet_about_signing_with_a_key(isu_signing_key):
    found = messages(include_deployment_checks=True)
    assert "meetings.W001" not in found and "meetings.E001" not in found


def test_signing_key_show_names_the_configured_certificate(isu_signing_key):
    output = io.StringIO()
    call_command("signing_key", "show", stdout=output)
    assert isu_signing_key in output.getvalue()


def test_key_and_certificate_are_configured_together():
    from tests.ccm_portal.test_settings import load_settings

    result = load_settings(SECRET_KEY="s", SIGNING_KEY_FILE="/somewhere/key.pem", SIGNING_CERT_FILE="")
    assert result.returncode != 0
    assert "SIGNING_KEY_FILE and SIGNING_CERT_FILE are set together, or neither" in result.stderr


def test_with_a_key_that_cannot_be_used_the_pdf_link_explains_instead_of_failing(
    client, demo, tmp_path, settings, _isu_key_pair
):
    key_file, _, _ = create(tmp_path)
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = str(key_file), str(_isu_key_pair[1])
    response = client.get("/meetings/2018-09-25/minutes.pdf")
    assert response.status_code == 503
    assert "does not belong to the certificate" in response.content.decode()
    from meetings.models import OfficialRecord

    assert not OfficialRecord.objects.exists()


def test_staff_are_told_when_the_configured_key_cannot_be_used(client, isu_staff, tmp_path, settings):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = str(tmp_path / "no.pem"), str(tmp_path / "no-cert.pem")
    client.force_login(isu_staff)
    page = client.get("/drafting/").content.decode()
    assert "The signing key cannot be used" in page
