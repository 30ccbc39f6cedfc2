"""The demo of `make run` gives every workflow page something to show: minutes adopted and
awaiting publication, a silence procedure running, minutes circulated with two delegations' comments."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from meetings.models import AuditEntry, Meeting, ReviewComment, SilenceProcedure

pytestmark = pytest.mark.django_db


def test_the_demo_holds_one_meeting_in_each_state_of_the_work(demo_in_progress):
    assert demo_in_progress["2018-12-11"].status == Meeting.Status.ADOPTED
    assert demo_in_progress["2018-12-11"].adopted_at_meeting == demo_in_progress["2019-01-29"]
    assert demo_in_progress["2019-01-29"].status == Meeting.Status.CIRCULATED
    assert demo_in_progress["2019-02-26"].status == Meeting.Status.CIRCULATED


def test_the_demo_announces_the_next_meeting_publicly_without_its_remote_link(client, demo_in_progress):
    announced = Meeting.objects.get(status=Meeting.Status.ANNOUNCED)
    assert announced.agenda_items.exists()
    home = client.get("/").content.decode()
    assert "Next meeting" in home and announced.get_absolute_url() in home
    calendar = client.get("/feeds/meetings.ics").content.decode()
    assert f"meeting-{announced.pk}@" in calendar
    assert "meet.example.org" not in home + calendar + client.get(announced.get_absolute_url()).content.decode()


def test_a_silence_procedure_is_running_on_the_january_minutes(demo_in_progress):
    procedure = SilenceProcedure.objects.get(status=SilenceProcedure.Status.RUNNING)
    assert procedure.meeting == demo_in_progress["2019-01-29"]


def test_the_february_minutes_carry_comments_from_two_delegations(demo_in_progress):
    comments = ReviewComment.objects.filter(version__meeting=demo_in_progress["2019-02-26"])
    assert {c.author.representative.delegation.name for c in comments} == {"New Zealand", "Chile"}
    assert comments.filter(outcome=ReviewComment.Outcome.PENDING).count() == 2


def test_every_state_was_reached_through_the_workflow_and_written_in_the_history(demo_in_progress):
    actions = set(AuditEntry.objects.filter(meeting=demo_in_progress["2018-12-11"]).values_list("action", flat=True))
    assert {"meeting.created", "attendance.changed", "item.changed", "circulated", "adopted"} <= actions
    assert AuditEntry.objects.filter(meeting=demo_in_progress["2019-01-29"], action="silence.started").exists()


def test_loading_the_demo_sends_no_email_and_a_second_load_changes_nothing(demo_in_progress):
    assert mail.outbox == []
    counts = (Meeting.objects.count(), ReviewComment.objects.count(), AuditEntry.objects.count())
    call_command("loaddemo", verbosity=0)
    assert (Meeting.objects.count(), ReviewComment.objects.count(), AuditEntry.objects.count()) == counts


def test_the_staff_home_shows_each_kind_of_work(client, demo_in_progress):
    client.force_login(get_user_model().objects.get(username="isu"))
    text = client.get("/drafting/").content.decode()
    assert "2 comments awaiting a reply" in text
    assert "Silence procedures running" in text and "29 January 2019" in text
    assert "Adopted, awaiting publication" in text and "11 December 2018" in text


def test_a_demo_coordinator_finds_the_february_minutes_awaiting_comments(client, demo_in_progress):
    client.force_login(get_user_model().objects.get(username="coordinator-chile"))
    response = client.get("/meetings/2019-02-26/review/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "New Zealand (Ms. Katy Donnelly)" in text and "Chile (Ms. Pamela Moraga)" in text


def test_the_circulated_demo_minutes_carry_a_paper_presented_by_chile(client, demo_in_progress, coordinator):
    from meetings.models import Document

    meeting = demo_in_progress["2019-02-26"]
    document = Document.objects.get(meeting=meeting)
    assert (document.symbol, document.presented_by.name) == ("CCM/CC/2019/WP.1", "Chile")
    assert [d["sha256"] for d in meeting.latest_version().snapshot["documents"]] == [document.sha256]
    client.force_login(coordinator)
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
