"""Limits on what one request can cost: draft PDFs render a few at a time ("busy, try again" beyond),
and inputs that used to answer 500 (a crafted PDF, NUL characters) get a clear 4xx."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ccm_portal.limits import draft_pdf_slot, password_check_slot
from meetings.models import Meeting
from tests.factories import meeting_in
from tests.meetings.importing import load_reference_data
from tests.seed import SEED_FILE

pytestmark = pytest.mark.django_db


def crafted_pdf(references=300_000):
    """A small PDF (1.8 MB) whose page tree names one page `references` times."""
    kids = b" ".join([b"3 0 R"] * references)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(references).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_staff_asking_for_a_draft_pdf_while_the_render_slots_are_taken_are_told_to_try_again(client, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    with draft_pdf_slot() as granted:  # another worker's render holds the only slot
        assert granted
        response = client.get(meeting.get_pdf_url())
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "try again in a few seconds" in response.content.decode()
    response = client.get(meeting.get_pdf_url())
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_a_login_while_the_password_check_slots_are_taken_is_asked_to_try_again(client, coordinator, login_url):
    with password_check_slot() as granted:  # another worker is hashing a password
        assert granted
        response = client.post(login_url, {"username": "bob", "password": "correct horse battery"})
    assert response.status_code == 429 and response["Retry-After"] == "2"
    assert "Many logins are being checked right now" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "bob", "password": "correct horse battery"})
    assert response.status_code == 302


def test_more_slots_let_more_draft_pdfs_render_at_once(settings):
    settings.DRAFT_PDF_CONCURRENCY = 2
    with draft_pdf_slot() as first, draft_pdf_slot() as second, draft_pdf_slot() as third:
        assert (first, second, third) == (True, True, False)


@pytest.fixture
def importing_staff(client, isu_staff):
    load_reference_data()
    client.force_login(isu_staff)
    return client


def test_a_crafted_pdf_with_300000_page_references_is_refused_with_a_message(importing_staff):
    upload = SimpleUploadedFile("minutes.pdf", crafted_pdf(), content_type="application/pdf")
    response = importing_staff.post(reverse("meetings:meeting_import"), {"file": upload, "status": "draft"})
    assert response.status_code == 400
    assert "a PDF with a text layer" in response.content.decode()
    assert not Meeting.objects.exists()


def test_imported_text_with_nul_characters_is_refused_naming_the_line(importing_staff):
    text = SEED_FILE.read_text(encoding="utf-8").replace("\n", "\n\x00", 1)
    upload = SimpleUploadedFile("minutes.txt", text.encode())
    response = importing_staff.post(reverse("meetings:meeting_import"), {"file": upload, "status": "draft"})
    assert response.status_code == 400
    assert "without NUL characters" in response.content.decode() and "line 2" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("address", ["/presidencies/%00/", "/delegations/%00/", "/meetings/%00/", "/search/?q=%00"])
def test_an_address_with_a_nul_character_is_a_bad_request(client, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_an_item_body_over_the_cap_is_refused_with_a_message_and_nothing_saved(client, isu_staff, demo):
    from meetings.forms import ITEM_BODY_MAX_CHARS
    from meetings.models import AgendaItem
    from tests.meetings.pages import form_data

    item = AgendaItem.objects.get(meeting=demo["2018-11-13"], title="Update by the Presidency")
    url = f"/drafting/2018-11-13/items/{item.pk}/"
    client.force_login(isu_staff)
    data = form_data(client.get(url), "form", "action_points", "decisions")
    data["body"] = "The Committee discussed the matter. " * (ITEM_BODY_MAX_CHARS // 36 + 100)
    response = client.post(url, data)
    assert response.status_code in (200, 400)
    assert f"Ensure this value has at most {ITEM_BODY_MAX_CHARS} characters" in response.content.decode()
    before = item.body
    item.refresh_from_db()
    assert item.body == before
