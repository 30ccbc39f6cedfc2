"""Minutes go out, are adopted and are published only when they are a whole record: attendance
with names, a start time, text under every item that needs it, no placeholder left. Staff see
what is missing before the step; the step refuses with the same list."""

import datetime

import pytest
from django.utils import timezone, translation

from meetings import drafting, workflow
from meetings.forms import SilenceForm
from meetings.models import AgendaItem, Attendance, Meeting, MinutesVersion
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    AttendeeFactory,
    MeetingFactory,
    later_meeting,
    meeting_in,
)

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date.today() + datetime.timedelta(days=14)


def test_whole_minutes_have_no_problems():
    assert workflow.problems(meeting_in(Meeting.Status.DRAFT), "circulate") == []


def test_empty_minutes_cannot_be_circulated_and_say_why(isu_staff):
    meeting = MeetingFactory(starts_at=None, ends_at=None)
    with pytest.raises(workflow.TransitionError) as refused:
        workflow.circulate(meeting, by=isu_staff, comment_deadline=DEADLINE)
    assert refused.value.problems == [
        "The time the meeting started is missing.",
        "No attendance is recorded.",
    ]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT
    assert not MinutesVersion.objects.filter(meeting=meeting).exists()


def test_a_present_delegation_without_names_is_a_problem():
    meeting = meeting_in(Meeting.Status.DRAFT)
    row = AttendanceFactory(meeting=meeting, status=Attendance.Status.PRESENT)
    assert workflow.problems(meeting, "circulate") == [
        f"{row.delegation.name} is marked present without any representative."
    ]


def test_an_item_without_text_is_a_problem_unless_optional_or_a_heading():
    meeting = meeting_in(Meeting.Status.DRAFT, items=0)
    AgendaItemFactory(meeting=meeting, title="Update by the Presidency", body="", position=1)
    heading = AgendaItemFactory(meeting=meeting, title="Update by the Coordinators", body="", position=2)
    AgendaItemFactory(meeting=meeting, parent=heading, title="Universalization", body="", position=1)
    AgendaItemFactory(meeting=meeting, title=drafting.AOB, body="", position=3)
    assert workflow.problems(meeting, "circulate") == [
        "Item 2 (Update by the Presidency) has no text.",
        "Item 3.1 (Universalization) has no text.",
    ]


@pytest.mark.parametrize(
    "title, body, placeholder",
    [
        ("New item", "The Committee discussed it.", "New item"),
        ("Update", "The President reported on […].", "[…]"),
        ("Update", "The President reported on [...].", "[...]"),
        ("Update", "Next meeting: date TBC.", "TBC"),
        ("Update", "The report is due on XX March.", "XX"),
        ("Update", "The Committee **text**.", "**text**"),
    ],
)
def test_a_placeholder_left_in_is_a_problem(title, body, placeholder):
    meeting = meeting_in(Meeting.Status.DRAFT, items=0)
    AgendaItemFactory(meeting=meeting, title=title, body=body, position=1)
    assert workflow.problems(meeting, "circulate") == [f"Item 2 ({title}) still holds the placeholder “{placeholder}”."]


def test_a_new_meetings_standard_agenda_lists_what_is_left_to_write(isu_staff):
    meeting = drafting.create_meeting(
        isu_staff, date=datetime.date(2031, 1, 15), presidency=MeetingFactory().presidency
    )
    found = workflow.problems(meeting, "circulate")
    assert "No attendance is recorded." in found
    assert "Item 2 (Welcome Remarks) has no text." in found
    assert not any(drafting.AOB in problem for problem in found)


def test_the_problems_read_in_french_and_spanish():
    meeting = MeetingFactory(starts_at=None, ends_at=None)
    with translation.override("fr"):
        french = workflow.problems(meeting, "circulate")
    with translation.override("es"):
        spanish = workflow.problems(meeting, "circulate")
    assert french == ["L’heure de début de la réunion manque.", "Aucune présence n’est enregistrée."]
    assert spanish == ["Falta la hora de inicio de la reunión.", "No se ha registrado ninguna asistencia."]


def test_adoption_is_refused_when_the_minutes_have_problems(isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=DEADLINE)
    # Adopted minutes were checked when they went out; this checks the adoption's own guard
    # against a record that changed outside drafting (a queryset write drafting never makes).
    AgendaItem.objects.filter(meeting=meeting).update(body="")
    with pytest.raises(workflow.TransitionError, match="cannot be adopted yet"):
        workflow.adopt(meeting, by=isu_staff, at_meeting=later_meeting(meeting))
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CIRCULATED


def test_publishing_is_refused_when_the_minutes_have_problems(isu_staff):
    meeting = MeetingFactory()
    workflow.enter_archived_adoption(meeting, at_meeting=later_meeting(meeting))
    with pytest.raises(workflow.TransitionError, match="cannot be published yet"):
        workflow.publish(meeting, by=isu_staff)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ADOPTED


def test_adoption_at_a_meeting_whose_own_minutes_are_adopted_is_refused(isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    at = later_meeting(meeting)
    AttendeeFactory(attendance__meeting=at)
    AgendaItemFactory(meeting=at)
    workflow.enter_archived_adoption(at, at_meeting=later_meeting(at))
    with pytest.raises(workflow.TransitionError, match="already adopted"):
        workflow.adopt(meeting, by=isu_staff, at_meeting=at)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CIRCULATED


def test_the_adoption_form_offers_only_meetings_whose_minutes_are_open(isu_staff):
    from meetings.forms import AdoptForm

    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    open_one = later_meeting(meeting)
    closed = later_meeting(meeting)
    workflow.enter_archived_adoption(closed, at_meeting=later_meeting(closed))
    offered = list(AdoptForm(meeting=meeting).fields["at_meeting"].queryset)
    assert open_one in offered and closed not in offered


def test_a_silence_procedure_lasts_at_least_24_hours(isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    with pytest.raises(workflow.TransitionError, match="at least 24 hours"):
        workflow.start_silence_procedure(meeting, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(hours=23))
    assert not meeting.silence_procedures.exists()
    form = SilenceForm({"ends_at": (timezone.localtime() + datetime.timedelta(hours=23)).strftime("%Y-%m-%dT%H:%M")})
    assert not form.is_valid()
    assert "at least 24 hours" in str(form.errors["ends_at"])


def test_a_silence_procedure_by_default_ends_after_the_comment_deadline():
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    ends = SilenceForm.default_end(deadline)
    assert timezone.localtime(ends).date() == deadline + datetime.timedelta(days=1)
    # A deadline that is (nearly) over: still at least a day of silence.
    assert SilenceForm.default_end(timezone.localdate()) >= timezone.now() + workflow.SILENCE_MINIMUM


def test_staff_see_the_problems_before_they_circulate(client, isu_staff):
    meeting = MeetingFactory(starts_at=None, ends_at=None)
    client.force_login(isu_staff)
    page = client.get(meeting.get_drafting_url()).content.decode()
    assert "Before the next step, the minutes need attention" in page
    assert "No attendance is recorded." in page
    assert "The time the meeting started is missing." in page


def test_the_circulate_page_refuses_with_the_list(client, isu_staff):
    meeting = MeetingFactory(starts_at=None, ends_at=None)
    client.force_login(isu_staff)
    response = client.post(
        f"/meetings/{meeting.date.isoformat()}/circulate/",
        {"comment_deadline": DEADLINE.isoformat(), "confirmed": "yes"},
        follow=True,
    )
    assert "cannot be circulated yet" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DRAFT
