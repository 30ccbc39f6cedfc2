"""Anyone may upload a PDF to /verify/ and learn, by its SHA-256, whether it is an official
record and which one; nothing uploaded is kept."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import OfficialRecord

pytestmark = pytest.mark.django_db

URL = reverse("portal:record_verify")


def upload(content, name="minutes.pdf"):
    return {"document": SimpleUploadedFile(name, content, content_type="application/pdf")}


@pytest.fixture
def official(client, demo):
    """The published seed minutes as downloaded, and the adopted-but-unpublished 30 August ones."""
    published = client.get("/meetings/2018-09-25/minutes.pdf").content
    from meetings import pdf

    pdf.official_pdf(demo["2018-08-30"])
    return published


def test_anyone_sees_the_verify_page_linked_from_every_page(client, db):
    assert client.get(URL).status_code == 200
    assert URL in client.get("/").content.decode()


def test_an_official_pdf_is_recognised_with_its_meeting_and_a_link(client, official):
    response = client.post(URL, upload(official))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is an official record." in page
    assert "meeting of 25 September 2018" in page
    assert 'href="/meetings/2018-09-25/"' in page
    assert hashlib.sha256(official).hexdigest() in page


def test_a_pdf_changed_by_one_byte_is_not_an_official_record(client, official):
    changed = bytearray(official)
    changed[len(changed) // 2] ^= 0x01
    page = client.post(URL, upload(bytes(changed))).content.decode()
    assert "This file is not an official record" in page
    assert "This is an official record." not in page


def test_the_public_is_not_linked_to_minutes_that_are_not_published(client, official):
    record = OfficialRecord.objects.get(meeting__date="2018-08-30")
    with record.file.open("rb") as handle:
        page = client.post(URL, upload(handle.read())).content.decode()
    assert "This is an official record." in page
    assert 'href="/meetings/2018-08-30/"' not in page


def test_a_file_that_is_not_a_pdf_gets_a_clear_message(client, db):
    response = client.post(URL, upload(b"GIF89a not a pdf at all", name="picture.pdf"))
    assert response.status_code == 400
    assert "This file is not a PDF." in response.content.decode()


def test_an_empty_upload_gets_a_clear_message(client, db):
    response = client.post(URL, upload(b""))
    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()


def test_no_file_gets_a_clear_message(client, db):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, db, settings):
    settings.VERIFY_MAX_UPLOAD = 1024
    response = client.post(URL, upload(b"%PDF-1.7\n" + b"0" * 2048))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_an_upload_declared_far_over_the_limit_is_refused_before_it_is_read(client, db, settings):
    settings.VERIFY_MAX_UPLOAD = 1024
    response = client.post(URL, upload(b"%PDF-1.7\n" + b"0" * 200_000))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_nothing_uploaded_is_stored(client, official, media_root):
    before = sorted(path.name for path in media_root.rglob("*") if path.is_file())
    client.post(URL, upload(b"%PDF-1.7 something else"))
    client.post(URL, upload(official))
    assert sorted(path.name for path in media_root.rglob("*") if path.is_file()) == before
    assert OfficialRecord.objects.count() == 2
