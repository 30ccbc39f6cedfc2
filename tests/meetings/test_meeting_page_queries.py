import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import workflow
from meetings.models import ItemLead
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    AttendanceFactory,
    AttendeeFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def published_meeting(items, delegations=5):
    meeting = MeetingFactory()
    for n in range(delegations):
        attendee = AttendeeFactory(attendance=AttendanceFactory(meeting=meeting))
        AttendeeFactory(attendance=attendee.attendance)
    for n in range(items):
        item = AgendaItemFactory(meeting=meeting, position=n)
        sub = AgendaItemFactory(meeting=meeting, parent=item, position=1)
        ActionPointFactory(agenda_item=sub).owners.add(attendee.attendance.delegation)
        DecisionFactory(agenda_item=item)
        ItemLead.objects.create(agenda_item=item, delegation=attendee.attendance.delegation)
    later = MeetingFactory(presidency=meeting.presidency)
    workflow.enter_archived_adoption(meeting, at_meeting=later)
    workflow.publish(meeting)
    return meeting


def queries_for(client, meeting):
    with CaptureQueriesContext(connection) as context:
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return len(context.captured_queries)


def test_meeting_page_runs_the_same_number_of_queries_for_3_and_30_items(client):
    small = published_meeting(items=3, delegations=2)
    large = published_meeting(items=30, delegations=12)
    assert queries_for(client, small) == queries_for(client, large)


def test_meeting_page_query_count_is_small(client, django_assert_max_num_queries):
    meeting = published_meeting(items=4)
    with django_assert_max_num_queries(12):
        client.get(meeting.get_absolute_url())
