"""Every staff page shows where the minutes stand: Draft → Circulated, version n → Adopted → Published."""

import datetime
import re

import pytest
from django.urls import reverse

from meetings import workflow
from meetings.models import Meeting
from tests.factories import meeting_in

pytestmark = pytest.mark.django_db


def steps(html):
    stepper = html.split('class="stepper ', 1)[1].split("</ol>", 1)[0]
    return [
        (state, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label)).strip())
        for state, label in re.findall(r'stepper-step stepper-(\w+)"[^>]*>(.*?)</li>', stepper, re.S)
    ]


def test_recirculated_minutes_show_their_version_as_the_current_step(client, isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    workflow.withdraw(meeting, by=isu_staff)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today() + datetime.timedelta(days=7))
    client.force_login(isu_staff)
    html = client.get(reverse("meetings:meeting_review", args=[meeting.date.isoformat()])).content.decode()
    assert steps(html) == [
        ("done", "Done: Draft"),
        ("current", "Now: Circulated, version 2"),
        ("todo", "To come: Adopted"),
        ("todo", "To come: Published"),
    ]
    assert 'aria-current="step"' in html


def test_a_withdrawn_draft_says_which_version_it_follows(client, isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    workflow.withdraw(meeting, by=isu_staff)
    client.force_login(isu_staff)
    html = client.get(meeting.get_drafting_url()).content.decode()
    assert steps(html)[0] == ("current", "Now: Draft (after version 1)")


@pytest.mark.parametrize("name", ["drafting_meeting", "drafting_attendance", "meeting_versions", "meeting_history"])
def test_the_stepper_is_on_every_staff_page_about_a_meeting(client, isu_staff, name):
    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    html = client.get(reverse(f"meetings:{name}", args=[meeting.date.isoformat()])).content.decode()
    assert steps(html)[0] == ("current", "Now: Draft")
