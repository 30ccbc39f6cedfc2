"""A published record imported from the archive, found to differ from its source, is corrected by a
new record that supersedes it (workflow.supersede), reached through the import page: never an
in-place edit. The superseded PDF keeps its bytes, its hash and an address; /verify/ knows it."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from meetings import pdf, workflow
from meetings.models import AgendaItem, AuditEntry, Meeting, OfficialRecord, RecordFrozen, RecordSupersession
from tests import pdf_reader
from tests.factories import later_meeting, meeting_in
from tests.meetings.importing import load_reference_data
from tests.seed import SEED_FILE

pytestmark = pytest.mark.django_db

DATE = "2018-09-25"
IMPORT_URL = reverse("meetings:meeting_import")
CONFIRM_URL = reverse("meetings:meeting_import_confirm")
SUPERSEDE_URL = reverse("meetings:meeting_supersede", args=[DATE])
PDF_URL = reverse("portal:meeting_pdf", args=[DATE])
VERIFY_URL = reverse("portal:record_verify")
SEED = SEED_FILE.read_text(encoding="utf-8")
# The transcription error: the published import says 16 Signatory States where the source says 14.
WRONG = SEED.replace("the remaining 16 Signatory States", "the remaining 61 Signatory States")
REASON = "Item 5.1 gave 61 Signatory States; the source says 16."


def _upload(client, text, **data):
    file = SimpleUploadedFile("minutes.txt", text.encode("utf-8"))
    return client.post(IMPORT_URL, {"file": file, "status": data.pop("status", "draft"), **data})


def _payload(response, form="payload"):
    return re.search(rf'name="{form}" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


@pytest.fixture
def published(staff_client):
    """The seed imported with a transcription error and published from the archive (adopted by a
    silence procedure), and its official PDF as first downloaded: (meeting, pdf bytes)."""
    load_reference_data()
    options = {"status": "published", "silence_procedure_ends": "2018-10-20"}
    preview = _upload(staff_client, WRONG, **options)
    staff_client.post(CONFIRM_URL, {"payload": _payload(preview), **options})
    meeting = Meeting.objects.get(date=DATE)
    assert meeting.status == Meeting.Status.PUBLISHED
    return meeting, staff_client.get(PDF_URL).content


def _preview_correction(client):
    return _upload(client, SEED)


def _supersede(client, reason=REASON, confirmed=True):
    preview = _preview_correction(client)
    data = {"payload": _payload(preview), "against": _payload(preview, "against"), "reason": reason}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(SUPERSEDE_URL, data)


def test_the_import_preview_of_a_published_meeting_shows_how_the_source_differs(staff_client, published):
    page = _preview_correction(staff_client).content.decode()
    assert "are already published" in page
    assert "Differences from the published record: 1 part changed" in page
    assert "<del>61</del>" in page and "<ins>16</ins>" in page
    assert f'action="{SUPERSEDE_URL}"' in page
    # The ordinary import's save button is not offered: these minutes are not imported again.
    assert f'action="{CONFIRM_URL}"' not in page


def test_superseding_asks_for_confirmation_first_and_does_nothing_until_then(staff_client, published):
    response = _supersede(staff_client, confirmed=False)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been done yet." in page and REASON in page
    assert not RecordSupersession.objects.exists()


def test_superseding_stores_a_new_record_and_keeps_the_old_one(staff_client, published, isu_staff):
    meeting, old_pdf = published
    old_sha = hashlib.sha256(old_pdf).hexdigest()
    old_record = Meeting.objects.get(pk=meeting.pk).adopted_record

    response = _supersede(staff_client)

    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    item = next(i for i in meeting.adopted_record["items"][3]["items"] if i["title"].startswith("Universalization"))
    assert "the remaining 16 Signatory States" in item["body"]
    assert meeting.adopted_record["supersedes"]["sha256"] == old_sha
    assert meeting.adopted_record["supersedes"]["reason"] == REASON
    # The adoption is the Committee's, unchanged: only the transcription was corrected.
    assert meeting.adopted_record["adoption"] == old_record["adoption"]
    supersession = RecordSupersession.objects.get(meeting=meeting)
    assert (supersession.sha256, supersession.record, supersession.by) == (old_sha, old_record, isu_staff)
    current = OfficialRecord.objects.get(meeting=meeting)
    assert current.sha256 == supersession.new_sha256 != old_sha
    assert AuditEntry.objects.filter(meeting=meeting, action="record.superseded", by=isu_staff).count() == 1
    # The new PDF is the corrected record, and says what it supersedes.
    new_pdf = staff_client.get(PDF_URL).content
    assert hashlib.sha256(new_pdf).hexdigest() == current.sha256
    text = " ".join(pdf_reader.text(new_pdf).split())
    assert "the remaining 16 Signatory States" in text and "This record supersedes the one published on" in text


def test_the_superseded_pdf_stays_downloadable_with_its_original_bytes(client, staff_client, published):
    meeting, old_pdf = published
    old_sha = hashlib.sha256(old_pdf).hexdigest()
    _supersede(staff_client)
    client.logout()
    url = reverse("portal:meeting_record_file", args=[DATE, old_sha])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == old_pdf
    assert response["ETag"] == f'"{old_sha}"'


def test_the_meeting_page_says_the_record_supersedes_the_published_one(client, staff_client, published):
    from django.test import Client

    meeting, old_pdf = published
    public = Client()
    assert "This record supersedes" not in public.get(meeting.get_absolute_url()).content.decode()
    _supersede(staff_client)
    # The public page, cached before, shows the new record at once.
    page = public.get(meeting.get_absolute_url()).content.decode()
    published_on = date_format(timezone.localtime(meeting.published_at), "j F Y")
    assert f"This record supersedes the one published on {published_on} ({REASON})." in page
    assert "Record history" in page
    assert hashlib.sha256(old_pdf).hexdigest() in page
    assert reverse("portal:meeting_record_file", args=[DATE, hashlib.sha256(old_pdf).hexdigest()]) in page


def test_verify_says_the_old_file_is_genuine_but_superseded(client, staff_client, published):
    meeting, old_pdf = published
    _supersede(staff_client)
    client.logout()
    upload = {"document": SimpleUploadedFile("old.pdf", old_pdf, content_type="application/pdf")}
    page = client.post(VERIFY_URL, upload).content.decode()
    superseded_on = date_format(timezone.localtime(RecordSupersession.objects.get().at), "j F Y")
    assert "This is a genuine official record, but it has been superseded." in page
    assert f"superseded by the record of {superseded_on} ({REASON})" in page
    assert f'href="{meeting.get_absolute_url()}#record-history"' in page
    new_pdf = client.get(PDF_URL).content
    upload = {"document": SimpleUploadedFile("new.pdf", new_pdf, content_type="application/pdf")}
    assert "This is an official record." in client.post(VERIFY_URL, upload).content.decode()


def test_a_signed_record_is_superseded_by_a_signed_one_and_the_old_signature_still_holds(
    client, isu_signing_key, staff_client, published
):
    meeting, old_pdf = published
    _supersede(staff_client)
    current = OfficialRecord.objects.get(meeting=meeting)
    assert current.is_signed and current.signing_certificate.sha256_fingerprint == isu_signing_key
    upload = {"document": SimpleUploadedFile("old.pdf", old_pdf, content_type="application/pdf")}
    page = client.post(VERIFY_URL, upload).content.decode()
    assert "but it has been superseded" in page and "The signature is valid." in page


def test_the_api_shows_the_supersession(client, staff_client, published):
    meeting, old_pdf = published
    _supersede(staff_client)
    client.logout()
    data = client.get(reverse("portal:api_meeting_detail", args=[DATE])).json()
    old_sha = hashlib.sha256(old_pdf).hexdigest()
    assert data["supersedes"]["sha256"] == old_sha and data["supersedes"]["reason"] == REASON
    assert [earlier["sha256"] for earlier in data["superseded_records"]] == [old_sha]
    assert data["superseded_records"][0]["pdf_url"].endswith(
        reverse("portal:meeting_record_file", args=[DATE, old_sha])
    )
    assert data["official_record"]["sha256"] == OfficialRecord.objects.get(meeting=meeting).sha256


def test_the_new_pdf_carries_the_supersession_in_its_minutes_json(client, staff_client, published):
    _meeting, old_pdf = published
    _supersede(staff_client)
    attached = pdf_reader.minutes_json(client.get(PDF_URL).content)
    assert attached["supersedes"]["sha256"] == hashlib.sha256(old_pdf).hexdigest()


def test_a_supersession_without_a_reason_is_refused_with_a_message(staff_client, published):
    meeting, old_pdf = published
    response = _supersede(staff_client, reason="   ")
    assert response.status_code == 400
    assert "Give the reason for the correction: it is published with the new record." in response.content.decode()
    assert not RecordSupersession.objects.exists()
    assert OfficialRecord.objects.get(meeting=meeting).sha256 == hashlib.sha256(old_pdf).hexdigest()


@pytest.mark.parametrize("persona", ["coordinator", "outsider"])
def test_others_cannot_supersede(client, staff_client, published, persona, request):
    preview = _preview_correction(staff_client)
    data = {"payload": _payload(preview), "against": _payload(preview, "against"), "reason": REASON}
    client.force_login(request.getfixturevalue(persona))
    response = client.post(SUPERSEDE_URL, {**data, "confirmed": "yes"})
    assert response.status_code == 403
    assert not RecordSupersession.objects.exists()


def test_the_anonymous_cannot_supersede(client, staff_client, published):
    preview = _preview_correction(staff_client)
    data = {"payload": _payload(preview), "against": _payload(preview, "against"), "reason": REASON}
    client.logout()
    response = client.post(SUPERSEDE_URL, {**data, "confirmed": "yes"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not RecordSupersession.objects.exists()


def test_nothing_is_half_written_when_rendering_fails(staff_client, published, monkeypatch):
    meeting, old_pdf = published
    before = Meeting.objects.get(pk=meeting.pk).adopted_record
    entries = AuditEntry.objects.filter(meeting=meeting).count()

    def broken(meeting):
        raise pdf.PdfUnavailable("Pango is missing")

    monkeypatch.setattr(pdf, "render_minutes_pdf", broken)
    response = _supersede(staff_client)
    monkeypatch.undo()

    assert response.status_code == 302
    page = staff_client.get(response["Location"]).content.decode()
    assert "could not be rendered as a PDF, so nothing was changed" in page
    assert Meeting.objects.get(pk=meeting.pk).adopted_record == before
    assert not RecordSupersession.objects.exists()
    assert OfficialRecord.objects.get(meeting=meeting).sha256 == hashlib.sha256(old_pdf).hexdigest()
    assert AuditEntry.objects.filter(meeting=meeting).count() == entries


def test_a_source_that_says_the_same_as_the_published_record_is_not_offered_as_a_correction(staff_client, published):
    page = _upload(staff_client, WRONG).content.decode()
    assert "there is nothing to correct" in page
    assert f'action="{SUPERSEDE_URL}"' not in page


def test_a_plain_edit_of_the_superseding_record_is_still_refused(staff_client, published):
    meeting, _old = published
    _supersede(staff_client)
    item = AgendaItem.objects.filter(meeting=meeting).first()
    item.body = "Edited in place."
    with pytest.raises(RecordFrozen):
        item.save()
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.adopted_record = {**meeting.adopted_record, "items": []}
    with pytest.raises(RecordFrozen):
        meeting.save()
    with pytest.raises(RecordFrozen):
        Meeting.objects.filter(pk=meeting.pk).update(adopted_record={})
    with pytest.raises(RecordSupersession.AppendOnly):
        RecordSupersession.objects.update(reason="Another reason.")


def test_minutes_circulated_and_adopted_in_the_portal_cannot_be_superseded(isu_staff):
    meeting = meeting_in(Meeting.Status.PUBLISHED, by=isu_staff)
    document = {**meeting.adopted_record, "items": []}
    with pytest.raises(workflow.TransitionError, match="circulated and adopted in the portal"):
        workflow.supersede(meeting, document, reason=REASON, by=isu_staff)
    assert not RecordSupersession.objects.exists()


def test_the_preview_says_why_portal_adopted_minutes_cannot_be_superseded(staff_client, isu_staff):
    load_reference_data()
    preview = _upload(staff_client, SEED)
    staff_client.post(CONFIRM_URL, {"payload": _payload(preview), "status": "draft"})
    meeting = Meeting.objects.get(date=DATE)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=meeting.date.today())
    workflow.adopt(meeting, by=isu_staff, at_meeting=later_meeting(meeting))
    workflow.publish(meeting, by=isu_staff)
    page = _upload(staff_client, WRONG).content.decode()
    assert "These minutes were circulated and adopted in the portal" in page
    assert f'action="{SUPERSEDE_URL}"' not in page


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.CIRCULATED, Meeting.Status.ADOPTED])
def test_only_published_minutes_can_be_superseded(status, isu_staff):
    meeting = meeting_in(status, by=isu_staff)
    with pytest.raises(workflow.TransitionError, match="Only published minutes can be superseded"):
        workflow.supersede(meeting, {"meeting": {"date": meeting.date.isoformat()}}, reason=REASON, by=isu_staff)
    assert Meeting.objects.get(pk=meeting.pk).status == status


def test_the_preview_warns_when_the_source_gives_fewer_decisions_than_the_published_record(staff_client, demo):
    # The demo's published minutes carry decisions and action points entered before their adoption,
    # which the seed's text does not give.
    page = _upload(staff_client, SEED.replace("16 Signatory States", "14 Signatory States")).content.decode()
    assert "What the source does not give is not in the new record." in page
    assert 'class="diff-pair diff-removed"' in page


def test_a_correction_previewed_against_a_record_superseded_meanwhile_is_refused(staff_client, published):
    meeting, _old = published
    stale = _payload(_preview_correction(staff_client)), _payload(_preview_correction(staff_client), "against")
    assert _supersede(staff_client).status_code == 302
    data = {"payload": stale[0], "against": stale[1], "reason": "A second reason.", "confirmed": "yes"}
    response = staff_client.post(SUPERSEDE_URL, data, follow=True)
    assert "The published record changed after your preview" in response.content.decode()
    assert RecordSupersession.objects.filter(meeting=meeting).count() == 1


def test_verify_records_passes_after_a_supersession_and_checks_the_superseded_file(
    staff_client, published, media_root, capsys
):
    from django.core.management import CommandError, call_command

    _supersede(staff_client)
    call_command("verify_records")
    assert "1 official record(s) verified" in capsys.readouterr().out
    superseded = RecordSupersession.objects.get()
    path = media_root / superseded.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")
    assert "superseded" in capsys.readouterr().err


def test_a_corrected_title_reaches_the_page_and_the_feed(client, staff_client):
    load_reference_data()
    options = {"status": "published", "silence_procedure_ends": "2018-10-20"}
    wrong_title = SEED.replace("7. Any Other Business", "7. Any Other Busines")
    preview = _upload(staff_client, wrong_title, **options)
    staff_client.post(CONFIRM_URL, {"payload": _payload(preview), **options})
    staff_client.get(PDF_URL)
    assert "Any Other Busines;" in client.get(reverse("portal:minutes_feed")).content.decode()
    preview = _preview_correction(staff_client)
    assert "<ins>Business</ins>" in preview.content.decode()
    data = {"payload": _payload(preview), "against": _payload(preview, "against"), "reason": "A typo in item 7."}
    assert staff_client.post(SUPERSEDE_URL, {**data, "confirmed": "yes"}).status_code == 302
    feed = client.get(reverse("portal:minutes_feed")).content.decode()
    assert "Any Other Business;" in feed and "Any Other Busines;" not in feed
    page = client.get(f"/meetings/{DATE}/").content.decode()
    assert "</span> Any Other Business</h2>" in page and "Any Other Busines</h2>" not in page


def test_a_correction_keeps_the_documents_the_record_lists_downloadable_and_verified(staff_client, isu_staff):
    """Files are in no source text: superseding an imported record that lists a paper keeps the
    paper listed (under the same item), downloadable, and checked by verify_records."""
    from django.core.management import call_command

    from meetings import documents

    load_reference_data()
    preview = _upload(staff_client, WRONG)
    staff_client.post(CONFIRM_URL, {"payload": _payload(preview), "status": "draft"})
    meeting = Meeting.objects.get(date=DATE)
    item = AgendaItem.objects.get(meeting=meeting, title__startswith="Universalization")
    paper = SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    document = documents.attach(
        meeting, isu_staff, paper, title="Universalization paper", kind="paper", language="en", agenda_item=item
    )
    workflow.enter_archived_adoption(
        meeting, silence_procedure_ends_at=timezone.now() - timezone.timedelta(days=1), by=isu_staff
    )
    workflow.publish(meeting, by=isu_staff)
    listed = Meeting.objects.get(pk=meeting.pk).adopted_record["documents"]
    assert [d["item"] for d in listed] == ["5.1"]

    assert _supersede(staff_client).status_code == 302

    meeting.refresh_from_db()
    assert meeting.adopted_record["documents"] == listed
    download = staff_client.get(document.get_download_url())
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == document.sha256
    assert "Universalization paper" in staff_client.get(meeting.get_absolute_url()).content.decode()
    call_command("verify_records")
