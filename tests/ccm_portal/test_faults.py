"""Faults survived: a database outage answers a friendly 503 (cached public pages keep being
served), /healthz names what failed, an official PDF that cannot be stored at adoption is reported
and stored later, and verify_records catches records missing or changed behind the portal's back."""

import logging

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, OfficialRecord
from tests.factories import later_meeting, meeting_in

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    """Every query fails as it does when PostgreSQL is unreachable."""
    raise OperationalError("could not connect to server: Connection refused")


def test_healthz_says_ok_when_the_database_and_media_storage_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_names_the_database_when_it_is_down(client):
    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")
        live = client.get("/healthz?live")
    assert response.status_code == 503 and response.content == b"failed: database"
    assert live.status_code == 200, "the liveness probe only says the process answers"


def test_healthz_names_the_media_storage_when_files_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"failed: media storage"


def test_a_database_outage_answers_a_friendly_503_with_retry_after(demo):
    visitor = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = visitor.get("/meetings/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "cannot reach its database" in page and "Server Error" not in page


def test_cached_public_pages_keep_being_served_during_an_outage(demo):
    visitor = Client(raise_request_exception=False)
    before = visitor.get("/meetings/2018-09-25/")
    assert before.status_code == 200
    with connection.execute_wrapper(database_down):
        during = visitor.get("/meetings/2018-09-25/")
    assert during.status_code == 200 and during.content == before.content


def test_an_adoption_whose_pdf_cannot_be_stored_tells_the_staff_member_and_is_repaired_later(
    client, isu_staff, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    later = later_meeting(meeting)
    media = settings.MEDIA_ROOT
    blocker = tmp_path / "read-only"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    client.force_login(isu_staff)
    url = reverse("meetings:meeting_adopt", args=[meeting.date.isoformat()])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"at_meeting": later.pk, "outcome": "correct_record", "confirmed": "yes"}, follow=True
        )
    page = response.content.decode()
    assert "The minutes are adopted." in page and "could not be stored" in page
    assert "store_official_record" in caplog.text
    assert client.get(meeting.get_pdf_url()).status_code == 503
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")

    settings.MEDIA_ROOT = media
    call_command("store_official_records")
    assert OfficialRecord.objects.filter(meeting=meeting).exists()
    call_command("verify_records")
    assert client.get(meeting.get_pdf_url()).content.startswith(b"%PDF")


def test_verify_records_names_an_adopted_record_without_a_stored_file(demo, capsys):
    call_command("store_official_records")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM meetings_officialrecord WHERE sha256 = %s", [OfficialRecord.objects.first().sha256])
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")
    assert "no official record is stored" in capsys.readouterr().err


def test_verify_records_names_a_record_whose_published_text_was_edited_in_the_database(demo, capsys):
    call_command("store_official_records")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE meetings_agendaitem SET body = %s WHERE meeting_id = %s AND parent_id IS NULL AND position = "
            "(SELECT MIN(position) FROM meetings_agendaitem WHERE meeting_id = %s AND parent_id IS NULL)",
            ["Something the Committee never adopted.", demo["2018-09-25"].pk, demo["2018-09-25"].pk],
        )
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")
    error = capsys.readouterr().err
    assert "Meeting of 25 September 2018" in error and "no longer match" in error and "items differ" in error


def test_verify_records_names_a_record_whose_adopted_text_was_edited_in_the_database(demo, capsys):
    import json

    call_command("store_official_records")
    meeting = demo["2018-09-25"]
    meeting.refresh_from_db()
    document = meeting.adopted_record
    document["items"][0]["title"] = "Something the Committee never adopted"
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE meetings_meeting SET adopted_record = %s{cast} WHERE id = %s", [json.dumps(document), meeting.pk]
        )
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records")
    error = capsys.readouterr().err
    assert "adopted record in the database no longer matches" in error and "items differ" in error


def test_verify_records_passes_after_publication_changes_only_the_status(demo, capsys):
    call_command("store_official_records")
    call_command("verify_records")
    assert "2 official record(s) verified" in capsys.readouterr().out


def test_a_worker_that_never_read_the_stamp_answers_503_during_an_outage_even_for_a_cached_page(demo):
    from portal import caching

    visitor = Client(raise_request_exception=False)
    assert visitor.get("/meetings/2018-09-25/").status_code == 200
    caching.forget_stamp()
    caching._last_read = None  # as in a worker started after the outage began
    with connection.execute_wrapper(database_down):
        page = visitor.get("/meetings/2018-09-25/")
        live = visitor.get("/healthz?live")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert live.status_code == 200
