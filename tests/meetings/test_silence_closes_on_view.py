"""A silence procedure past its end is closed by the first page that shows it, with the same
workflow function the scheduled command runs, so no page says "running" after the end."""

import datetime

import pytest
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting, SilenceProcedure
from tests.factories import meeting_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_procedure(isu_staff, monkeypatch):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    procedure = workflow.start_silence_procedure(
        meeting, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=3)
    )
    later = procedure.ends_at + datetime.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock moves past the end
    return procedure


def test_the_meeting_page_adopts_minutes_whose_silence_has_ended(client, coordinator, ended_procedure):
    client.force_login(coordinator)
    page = client.get(ended_procedure.meeting.get_absolute_url()).content.decode()
    ended_procedure.refresh_from_db()
    assert ended_procedure.status == SilenceProcedure.Status.ADOPTED
    assert Meeting.objects.get(pk=ended_procedure.meeting_id).status == Meeting.Status.ADOPTED
    assert "Silence procedure running" not in page


def test_the_coordinators_home_no_longer_lists_an_ended_procedure(client, coordinator, ended_procedure):
    client.force_login(coordinator)
    response = client.get("/coordinators/")
    assert response.context["in_silence"] == []
    assert Meeting.objects.get(pk=ended_procedure.meeting_id).status == Meeting.Status.ADOPTED


def test_closing_on_view_and_the_command_adopt_once(client, isu_staff, ended_procedure):
    client.force_login(isu_staff)
    client.get("/drafting/")
    assert workflow.close_silence_procedures() == []
    assert ended_procedure.meeting.audit_entries.filter(action="adopted").count() == 1
