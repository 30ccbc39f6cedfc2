"""Deep links survive login: the review link in a circulation email, opened logged out, leads to
the login page and back to the review; only a logged-in user who may not see the minutes gets 404."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import meeting_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["meeting_review", "meeting_versions", "meeting_history", "drafting_meeting"])
def test_a_logged_out_visitor_is_sent_to_log_in_and_back(client, isu_staff, name):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    url = reverse(f"meetings:{name}", args=[meeting.date.isoformat()])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_the_coordinator_comes_back_to_the_review_after_logging_in(client, isu_staff, coordinator):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    url = reverse("meetings:meeting_review", args=[meeting.date.isoformat()])
    response = client.post(
        f"{reverse('login')}?next={url}",
        {"username": "bob", "password": "correct horse battery", "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert response.status_code == 200


def test_a_logged_out_visitor_cannot_tell_a_draft_from_no_meeting(client):
    draft = meeting_in(Meeting.Status.DRAFT)
    exists = client.get(reverse("meetings:meeting_review", args=[draft.date.isoformat()]))
    missing = client.get(reverse("meetings:meeting_review", args=["1999-01-01"]))
    assert exists.status_code == missing.status_code == 302


def test_a_logged_in_coordinator_gets_404_for_a_draft(client, coordinator):
    draft = meeting_in(Meeting.Status.DRAFT)
    client.force_login(coordinator)
    assert client.get(reverse("meetings:meeting_review", args=[draft.date.isoformat()])).status_code == 404
