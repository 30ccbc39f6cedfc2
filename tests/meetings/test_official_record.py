"""Adopted minutes are rendered once, stored with their SHA-256, and served as those very bytes
for ever; drafts are rendered live for those who may see them."""

import hashlib
import logging

import pytest
from django.core.management import CommandError, call_command

from delegations.models import Delegation
from meetings import pdf, workflow
from meetings.models import Meeting, OfficialRecord, RecordFrozen
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SEED = "/meetings/2018-09-25/minutes.pdf"


def test_adopting_minutes_stores_their_pdf_once_the_adoption_is_committed(django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Welcome Remarks")
    later = MeetingFactory(presidency=meeting.presidency)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.enter_archived_adoption(meeting, at_meeting=later)
        assert not OfficialRecord.objects.exists()  # not before the commit
    record = OfficialRecord.objects.get(meeting=meeting)
    with record.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == record.sha256
    assert record.size == len(content)
    assert record.weasyprint_version == pdf.weasyprint.__version__
    assert content.startswith(b"%PDF-")


def test_a_failed_rendering_at_adoption_is_logged_and_does_not_undo_the_adoption(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(meeting):
        raise pdf.PdfUnavailable("no Pango here")

    monkeypatch.setattr(pdf, "render_minutes_pdf", broken)
    meeting = MeetingFactory()
    later = MeetingFactory(presidency=meeting.presidency)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        workflow.enter_archived_adoption(meeting, at_meeting=later)
    assert "no Pango here" in caplog.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ADOPTED
    assert not OfficialRecord.objects.exists()


def test_anyone_downloads_published_minutes_as_the_stored_file_with_its_hash_as_etag(client, demo):
    response = client.get(SEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    record = OfficialRecord.objects.get(meeting__date="2018-09-25")
    content = response.content
    assert hashlib.sha256(content).hexdigest() == record.sha256
    assert response["ETag"] == f'"{record.sha256}"'
    cache = response["Cache-Control"]
    assert "immutable" in cache and "public" in cache and "max-age=31536000" in cache
    assert 'filename="ccm-cc-minutes-2018-09-25.pdf"' in response["Content-Disposition"]


def test_two_downloads_are_identical(client, demo):
    assert client.get(SEED).content == client.get(SEED).content


def test_the_hash_on_the_public_page_is_the_sha256_of_the_bytes_served(client, demo):
    content = client.get(SEED).content
    page = client.get("/meetings/2018-09-25/").content.decode()
    assert hashlib.sha256(content).hexdigest() in page


def test_a_meeting_page_shows_no_hash_before_a_record_is_stored(client, demo):
    assert "SHA-256" not in client.get("/meetings/2018-09-25/").content.decode()


def test_a_download_with_the_current_etag_gets_304_without_a_body(client, demo):
    etag = client.get(SEED)["ETag"]
    response = client.get(SEED, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_a_stale_etag_gets_the_file(client, demo):
    client.get(SEED)
    assert client.get(SEED, headers={"If-None-Match": '"0000"'}).status_code == 200


def test_a_stored_record_is_never_rendered_again(client, demo, monkeypatch):
    first = client.get(SEED).content

    def must_not_render(meeting):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "render_minutes_pdf", must_not_render)
    assert client.get(SEED).content == first


def test_the_stored_file_is_served_even_if_reference_data_changes_later(client, demo):
    first = client.get(SEED).content
    Delegation.objects.filter(name="Sri Lanka").update(name="Somewhere else")
    assert client.get(SEED).content == first


def test_the_adopted_record_itself_refuses_to_change(demo):
    with pytest.raises(RecordFrozen):
        Meeting.objects.filter(date="2018-09-25").update(venue="Somewhere else")
    assert Meeting.objects.get(date="2018-09-25").venue != "Somewhere else"


def test_a_coordinator_gets_adopted_unpublished_minutes_cached_privately(client, coordinator, demo):
    client.force_login(coordinator)
    response = client.get("/meetings/2018-08-30/minutes.pdf")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_isu_staff_get_a_draft_rendered_live_and_nothing_is_stored(client, isu_staff, demo):
    client.force_login(isu_staff)
    response = client.get("/meetings/2018-11-13/minutes.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "no-cache" in response["Cache-Control"]
    assert "ETag" not in response
    assert not OfficialRecord.objects.exists()


def test_verify_records_passes_when_every_stored_file_matches(demo, capsys):
    call_command("store_official_records")
    assert OfficialRecord.objects.count() == 2
    call_command("verify_records")
    assert "2 official record(s) verified" in capsys.readouterr().out


def test_verify_records_names_a_record_whose_stored_file_changed_by_one_byte(demo, media_root, capsys):
    call_command("store_official_records")
    record = OfficialRecord.objects.get(meeting__date="2018-09-25")
    path = media_root / record.file.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")
    assert "Meeting of 25 September 2018" in capsys.readouterr().err


def test_verify_records_names_a_record_whose_file_is_missing(demo, media_root, capsys):
    call_command("store_official_records")
    record = OfficialRecord.objects.get(meeting__date="2018-08-30")
    (media_root / record.file.name).unlink()
    with pytest.raises(CommandError):
        call_command("verify_records")
    assert "Meeting of 30 August 2018" in capsys.readouterr().err


def test_store_official_records_leaves_stored_records_alone(demo):
    call_command("store_official_records")
    before = list(OfficialRecord.objects.values_list("sha256", "file", "rendered_at"))
    call_command("store_official_records")
    assert list(OfficialRecord.objects.values_list("sha256", "file", "rendered_at")) == before


def test_a_draft_has_no_official_record(demo):
    with pytest.raises(ValueError):
        pdf.official_pdf(Meeting.objects.get(date="2018-11-13"))


def test_a_missing_stored_file_gets_a_clear_503_and_is_not_rendered_again(client, demo, media_root, caplog):
    client.get(SEED)
    record = OfficialRecord.objects.get(meeting__date="2018-09-25")
    (media_root / record.file.name).unlink()
    with caplog.at_level(logging.ERROR):
        response = client.get(SEED)
    assert response.status_code == 503
    assert "stored official record cannot be read" in response.content.decode()
    assert "missing from storage" in caplog.text
