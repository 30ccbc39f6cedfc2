"""Adoption by silence: staff start it, any coordinator may break it, cron adopts what stayed silent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting, SilenceProcedure
from tests.factories import meeting_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    return workflow.start_silence_procedure(meeting, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=3))


def test_close_silence_procedures_adopts_minutes_whose_silence_ended_unbroken(procedure):
    call_command("close_silence_procedures", stdout=io.StringIO())
    assert Meeting.objects.get(pk=procedure.meeting_id).status == Meeting.Status.CIRCULATED  # not yet

    workflow.close_silence_procedures(now=procedure.ends_at + datetime.timedelta(minutes=1))

    meeting = Meeting.objects.get(pk=procedure.meeting_id)
    assert meeting.status == Meeting.Status.ADOPTED
    assert meeting.silence_procedure_ends_at == procedure.ends_at
    assert meeting.adoption_statement.startswith("Adopted by silence procedure")
    procedure.refresh_from_db()
    assert procedure.status == SilenceProcedure.Status.ADOPTED
    assert meeting.audit_entries.latest("id").action == "adopted"


def test_a_coordinator_breaking_silence_stops_the_adoption(procedure, coordinator):
    workflow.break_silence(procedure, by=coordinator, reason="Item 4 misstates our position.")
    workflow.close_silence_procedures(now=procedure.ends_at + datetime.timedelta(days=1))

    procedure.refresh_from_db()
    assert procedure.status == SilenceProcedure.Status.BROKEN
    assert procedure.broken_by == coordinator
    assert Meeting.objects.get(pk=procedure.meeting_id).status == Meeting.Status.CIRCULATED


def test_breaking_silence_needs_a_reason(procedure, coordinator):
    with pytest.raises(workflow.TransitionError, match="why"):
        workflow.break_silence(procedure, by=coordinator, reason="  ")


def test_silence_cannot_be_broken_twice(procedure, coordinator):
    workflow.break_silence(procedure, by=coordinator, reason="No.")
    with pytest.raises(workflow.TransitionError, match="no longer running"):
        workflow.break_silence(procedure, by=coordinator, reason="Still no.")


def test_only_one_silence_procedure_runs_at_a_time(procedure, isu_staff):
    with pytest.raises(workflow.TransitionError, match="already running"):
        workflow.start_silence_procedure(
            procedure.meeting, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=2)
        )


def test_withdrawing_the_minutes_cancels_the_running_silence_procedure(procedure, isu_staff):
    workflow.withdraw(procedure.meeting, by=isu_staff)
    procedure.refresh_from_db()
    assert procedure.status == SilenceProcedure.Status.CANCELLED
    assert workflow.close_silence_procedures(now=procedure.ends_at + datetime.timedelta(days=1)) == []


def test_a_silence_procedure_ending_in_the_past_is_refused(isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    with pytest.raises(workflow.TransitionError, match="future"):
        workflow.start_silence_procedure(meeting, by=isu_staff, ends_at=timezone.now() - datetime.timedelta(hours=1))
