from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import ActionPoint, ActionPointFollowUp
from tests.factories import published_meeting, write_up
from tests.meetings.test_delegation_pages import assert_no_draft
from tests.meetings.test_public_pages import page_text

pytestmark = pytest.mark.django_db

TRACKER = "/action-points/"


def test_tracker_lists_every_action_point_of_the_published_minutes(client, demo):
    text = page_text(client.get(TRACKER))
    assert "9 action points" in text
    assert "Explore the possibility of creating a CCM legislation database." in text
    assert "New Zealand" in text


def test_the_demo_draft_appears_nowhere_in_the_tracker(client, demo):
    response = client.get(TRACKER)
    text = page_text(response)
    assert_no_draft(text)
    assert "The ISU presented the sample country pages." not in text
    assert "action-status-done" not in response.content.decode()  # only the draft records it done


@pytest.mark.parametrize("persona", ["isu_staff", "coordinator", "admin_user", "outsider"])
def test_logged_in_readers_see_only_published_follow_ups(client, demo, request, persona):
    client.force_login(request.getfixturevalue(persona))
    text = page_text(client.get(TRACKER))
    assert_no_draft(text)
    assert "The ISU presented the sample country pages." not in text
    assert "0 action points" in page_text(client.get(TRACKER, {"status": "done"}))


def test_a_published_follow_up_shows_under_its_action_point_and_sets_its_status(client, demo):
    from meetings import workflow

    draft = write_up(demo["2018-11-13"])
    workflow.enter_archived_adoption(
        draft, at_meeting=None, silence_procedure_ends_at=datetime(2018, 12, 1, 12, tzinfo=UTC)
    )
    workflow.publish(draft)
    text = page_text(client.get(TRACKER, {"status": "done"}))
    assert "1 action point" in text
    assert "Have sample country pages ready" in text
    assert "13 November 2018: The ISU presented the sample country pages. Done" in text


def test_tracker_filters_by_status_owner_and_thematic_area(client, demo):
    from delegations.models import ThematicArea

    assert "9 action points" in page_text(client.get(TRACKER, {"status": "open"}))
    by_owner = page_text(client.get(TRACKER, {"owner": "iraq"}))
    assert "2 action points" in by_owner and "Initial Transparency Reports" in by_owner
    area = ThematicArea.objects.get(name="Victim Assistance")
    by_area = page_text(client.get(TRACKER, {"area": area.pk}))
    assert "2 action points" in by_area and "Victim Assistance retreat" in by_area


def test_a_bad_filter_says_so_instead_of_failing(client, demo):
    response = client.get(TRACKER, {"status": "lost", "owner": "atlantis", "area": "x"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Select a valid choice" in text
    assert "0 action points" in text


def test_a_bad_page_number_shows_a_page(client, demo):
    assert client.get(TRACKER, {"page": "nine"}).status_code == 200
    assert client.get(TRACKER, {"page": "999"}).status_code == 200


def test_owner_filter_offers_only_owners_in_published_minutes(client, demo):
    body = client.get(TRACKER).content.decode()
    assert 'value="iraq"' in body
    assert 'value="zambia"' not in body


def tracker_queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("portal:action_point_index")).status_code == 200
    return len(context.captured_queries)


def add_follow_ups(meeting, later):
    for point in ActionPoint.objects.filter(agenda_item__meeting=meeting):
        ActionPointFollowUp.objects.create(action_point=point, meeting=later, note="Reported.", status="open")


def test_tracker_runs_the_same_number_of_queries_for_3_and_30_action_points(client):
    small = published_meeting(items=3, delegations=2)
    few = tracker_queries(client)
    published_meeting(items=15, delegations=4, sub_items=2, before_adoption=lambda large: add_follow_ups(small, large))
    assert tracker_queries(client) == few


def test_tracker_lists_a_meetings_action_points_in_agenda_order(client, demo):
    from tests.seed import in_order

    text = page_text(client.get(TRACKER))
    assert (
        in_order(
            text,
            [
                "Present the outcomes of the IHL meetings in Jakarta",  # 5.1
                "Follow up with the 13 States Parties",  # 5.5
                "Have sample country pages ready",  # 6.2
                "Communicate the actual date of the next meeting",  # 8
            ],
        )
        is None
    )
