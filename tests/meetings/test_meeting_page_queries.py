import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import published_meeting

pytestmark = pytest.mark.django_db


def queries_for(client, meeting):
    with CaptureQueriesContext(connection) as context:
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return len(context.captured_queries)


def test_meeting_page_runs_the_same_number_of_queries_for_3_and_30_items(client):
    small = published_meeting(items=3, delegations=2)
    large = published_meeting(items=30, delegations=12, sub_items=2)
    assert queries_for(client, small) == queries_for(client, large)


def test_meeting_page_query_count_is_small(client, django_assert_max_num_queries):
    meeting = published_meeting(items=4)
    with django_assert_max_num_queries(12):
        client.get(meeting.get_absolute_url())
