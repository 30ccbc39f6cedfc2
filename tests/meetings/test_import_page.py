"""The ISU's import page: upload → preview with warnings → confirm → saved, for ISU staff only."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegations.models import Delegation
from meetings.models import Meeting
from tests.meetings.importing import INTERLEAVED, ONE_PER_LINE, load_reference_data
from tests.seed import SEED_FILE

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("meetings:meeting_import")
CONFIRM_URL = reverse("meetings:meeting_import_confirm")


@pytest.fixture
def reference(db):
    load_reference_data()


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


def upload(client, text, name="minutes.txt", **data):
    file = SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text)
    return client.post(IMPORT_URL, {"file": file, "status": "draft", **data})


def payload(response):
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


def test_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(IMPORT_URL)["Location"] == f"/accounts/login/?next={IMPORT_URL}"
    assert client.post(CONFIRM_URL, {}).status_code == 302


@pytest.mark.parametrize("persona", ["coordinator", "outsider"])
def test_non_staff_get_404(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(CONFIRM_URL, {}).status_code == 404


def test_isu_staff_see_the_upload_form(staff_client):
    response = staff_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_upload_shows_a_preview_and_saves_nothing(staff_client, reference):
    response = upload(staff_client, SEED_FILE.read_text(encoding="utf-8"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "19 delegations present (27 representatives), 2 apologies, 20 items." in body
    assert "Sri Lanka – 9MSP Presidency" in body
    assert "5.1 Universalization (Panama & Chile)" in body
    assert not Meeting.objects.exists()


def test_confirming_saves_a_draft_and_goes_to_its_page(staff_client, reference):
    preview = upload(staff_client, SEED_FILE.read_text(encoding="utf-8"))
    response = staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft"})
    meeting = Meeting.objects.get(date="2018-09-25")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.attendance.count() == 21


def test_the_preview_shows_warnings(staff_client, reference):
    body = upload(staff_client, INTERLEAVED).content.decode()
    assert "Warnings" in body
    assert "Mr. Tomas Berger" in body


def test_unknown_delegations_are_listed_and_created_only_when_ticked(staff_client, reference):
    preview = upload(staff_client, ONE_PER_LINE.replace("The Netherlands", "Atlantis"))
    assert "Atlantis" in preview.content.decode()
    refused = staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft"})
    assert refused.status_code == 400
    assert "Atlantis" in refused.content.decode()
    assert not Meeting.objects.exists()
    staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft", "create_delegations": "on"})
    assert Delegation.objects.filter(name="Atlantis").exists()
    assert Meeting.objects.count() == 1


def test_a_tampered_payload_is_refused(staff_client, reference):
    preview = upload(staff_client, ONE_PER_LINE)
    response = staff_client.post(CONFIRM_URL, {"payload": payload(preview) + "x", "status": "draft"})
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert not Meeting.objects.exists()


def test_an_unreadable_file_is_a_form_error_not_a_500(staff_client, reference):
    response = upload(staff_client, b"%PDF-1.4 broken", name="minutes.pdf")
    assert response.status_code == 400
    assert "minutes.pdf, line 1: a readable PDF" in response.content.decode()


def test_a_file_of_another_kind_is_refused(staff_client, reference):
    response = upload(staff_client, "hello", name="minutes.odt")
    assert response.status_code == 400
    assert "Upload a .txt, .pdf or .docx file." in response.content.decode()


def test_a_published_import_asks_how_the_minutes_were_adopted(staff_client, reference):
    response = upload(staff_client, ONE_PER_LINE, status="published")
    assert response.status_code == 400
    assert "how they were adopted" in response.content.decode()


def test_importing_minutes_already_there_is_refused_on_confirm(staff_client, reference):
    preview = upload(staff_client, ONE_PER_LINE)
    staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft"})
    again = staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft"})
    assert again.status_code == 400
    assert "already there" in again.content.decode()
    assert Meeting.objects.count() == 1


# ------------------------------------------------------------------ the source beside the record


def test_the_preview_shows_the_source_line_for_line_with_warnings_linked_to_their_lines(staff_client, reference):
    body = upload(staff_client, INTERLEAVED).content.decode()
    assert 'id="source-line-9" value="9">Mr. Tomas Berger</li>' in body
    assert '<a href="#source-line-9">Line 9: &quot;Mr. Tomas Berger&quot;' in body
    assert '<a class="small fw-normal" href="#source-line-11">line 11</a>' in body  # item 2's heading


def test_staff_correct_the_source_in_the_page_and_read_it_again(staff_client, reference):
    corrected = INTERLEAVED.replace(
        "Apologies received\nMozambique\nMr. Tomas Berger", "Mr. Tomas Berger\nApologies received\nMozambique"
    )
    response = staff_client.post(IMPORT_URL, {"text": corrected, "status": "draft", "date": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Warnings" not in body
    staff_client.post(CONFIRM_URL, {"payload": payload(response), "status": "draft"})
    meeting = Meeting.objects.get()
    assert [str(a) for a in meeting.attendance.get(delegation__name="Austria").attendees.all()] == [
        "Ms. Eva Gruber",
        "Mr. Tomas Berger",
    ]


def test_an_unknown_delegation_mapped_to_an_existing_one_becomes_its_alias(staff_client, reference):
    from delegations.models import DelegationAlias

    preview = upload(staff_client, INTERLEAVED.replace("Austria", "Republic of Austria"))
    assert "“Republic of Austria” is" in preview.content.decode()
    austria = Delegation.objects.get(name="Austria")
    response = staff_client.post(
        CONFIRM_URL, {"payload": payload(preview), "status": "draft", "alias_0": str(austria.pk)}
    )
    assert response.status_code == 302
    assert DelegationAlias.objects.get(name="Republic of Austria").delegation == austria
    assert Meeting.objects.get().attendance.filter(delegation=austria).exists()
    assert not Delegation.objects.filter(name="Republic of Austria").exists()


def test_a_mapping_that_does_not_save_leaves_no_alias_behind(staff_client, reference):
    from delegations.models import DelegationAlias

    preview = upload(staff_client, INTERLEAVED.replace("Austria", "Republic of Austria").replace("Zambia", "Atlantis"))
    austria = Delegation.objects.get(name="Austria")
    response = staff_client.post(
        CONFIRM_URL, {"payload": payload(preview), "status": "draft", "alias_0": str(austria.pk)}
    )
    assert response.status_code == 400
    assert "Atlantis" in response.content.decode()
    assert not DelegationAlias.objects.filter(name="Republic of Austria").exists()
    assert not Meeting.objects.exists()


def test_the_portals_own_pdf_is_previewed_and_saved_from_its_record(staff_client, reference, tmp_path):
    from tests.meetings.test_importer_sources import demo_pdfs

    content, record = demo_pdfs()["2018-11-13"]
    preview = upload(staff_client, content, name="minutes.pdf")
    assert "Read from the minutes.json" in preview.content.decode()
    staff_client.post(CONFIRM_URL, {"payload": payload(preview), "status": "draft"})
    meeting = Meeting.objects.get(date="2018-11-13")
    assert [item.title for item in meeting.agenda()] == [item["title"] for item in record["items"]]
