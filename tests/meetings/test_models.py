import datetime

import pytest
from django.db import IntegrityError, transaction

from meetings.markup import render_markdown
from meetings.models import Attendance, Meeting
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    PresidencyFactory,
)

pytestmark = pytest.mark.django_db


def test_item_numbers_follow_order_and_start_after_present():
    meeting = MeetingFactory()
    second = AgendaItemFactory(meeting=meeting, position=2, title="Adoption of the Minutes")
    first = AgendaItemFactory(meeting=meeting, position=1, title="Welcome Remarks")
    AgendaItemFactory(meeting=meeting, parent=second, position=2, title="Victim Assistance")
    AgendaItemFactory(meeting=meeting, parent=second, position=1, title="Universalization")
    agenda = meeting.agenda()
    assert [(i.number, i.title) for i in agenda] == [("2", "Welcome Remarks"), ("3", "Adoption of the Minutes")]
    assert [(c.number, c.title) for c in agenda[1].children] == [
        ("3.1", "Universalization"),
        ("3.2", "Victim Assistance"),
    ]
    assert agenda[0] == first


def test_moving_an_item_renumbers_the_rest():
    meeting = MeetingFactory()
    a = AgendaItemFactory(meeting=meeting, position=1, title="A")
    AgendaItemFactory(meeting=meeting, position=2, title="B")
    a.position = 3
    a.save()
    assert [(i.number, i.title) for i in meeting.agenda()] == [("2", "B"), ("3", "A")]


def test_database_refuses_a_meeting_that_ends_before_it_starts():
    with pytest.raises(IntegrityError):
        MeetingFactory(starts_at=datetime.time(14), ends_at=datetime.time(12))


def test_database_refuses_a_delegation_twice_in_one_meeting():
    row = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(meeting=row.meeting, delegation=row.delegation)


def test_database_refuses_adopted_minutes_without_a_way_of_adoption():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ADOPTED, adoption_outcome="correct_record")


def test_database_refuses_a_draft_with_adoption_details():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(
            silence_procedure_ends_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
        )


def test_database_refuses_an_unknown_status():
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status="approved")


def test_database_refuses_an_action_point_due_both_on_a_date_and_at_the_next_meeting():
    with pytest.raises(IntegrityError):
        ActionPointFactory(due_on=datetime.date(2030, 1, 1), due_at_next_meeting=True)


def test_database_refuses_overlapping_presidency_start_dates():
    first = PresidencyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PresidencyFactory(starts_on=first.starts_on)


def test_presidency_for_a_date_is_the_term_covering_it():
    from delegations.models import Presidency

    earlier = PresidencyFactory(starts_on=datetime.date(2040, 9, 1), ends_on=datetime.date(2041, 8, 31))
    later = PresidencyFactory(starts_on=datetime.date(2041, 9, 1), ends_on=None)
    assert Presidency.objects.current(datetime.date(2041, 3, 1)) == earlier
    assert Presidency.objects.current(datetime.date(2045, 3, 1)) == later
    assert Presidency.objects.current(datetime.date(2039, 3, 1)) is None


def test_apologies_show_the_delegation_name_unless_labelled():
    row = AttendanceFactory(status=Attendance.Status.APOLOGIES)
    assert row.display_name == row.delegation.name


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Some *emphasis*.", "<p>Some <em>emphasis</em>.</p>"),
        ("1. first\n2. second", "<ol>\n<li>first</li>\n<li>second</li>\n</ol>"),
        ("<script>alert(1)</script>Text", "<p>Text</p>"),
        ('<img src="file:///etc/passwd">', "<p></p>"),
        ("[x](javascript:alert(1))", '<p><a rel="noopener noreferrer nofollow">x</a></p>'),
        ('<a href="#" onclick="steal()">y</a>', '<p><a href="#" rel="noopener noreferrer nofollow">y</a></p>'),
    ],
)
def test_item_bodies_render_as_sanitised_markdown(source, html):
    assert render_markdown(source) == html


def test_an_items_html_follows_its_markdown_on_save():
    item = AgendaItemFactory(body="*one*")
    item.body = "**two**"
    item.save(update_fields=["body"])
    item.refresh_from_db()
    assert item.body_html == "<p><strong>two</strong></p>"
