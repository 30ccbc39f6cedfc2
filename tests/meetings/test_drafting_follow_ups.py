"""Open action points from earlier meetings are offered on a draft; a follow-up is recorded
against this meeting and moves the action point's tracking status, never the earlier record."""

import pytest

from meetings.models import ActionPoint, ActionPointFollowUp, AuditEntry

pytestmark = pytest.mark.django_db

DRAFT = "2018-11-13"
URL = f"/drafting/{DRAFT}/follow-ups/"


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


@pytest.fixture
def point(demo):
    return ActionPoint.objects.get(text__startswith="Explore the possibility of creating a CCM legislation")


def test_open_action_points_of_earlier_meetings_are_offered(staff_client, point):
    response = staff_client.get(f"/drafting/{DRAFT}/")
    offered = [p for p, _form in response.context["open_action_points"]]
    assert point in offered
    assert all(p.tracking_status == "open" and p.agenda_item.meeting.date.isoformat() < DRAFT for p in offered)
    # Already done at this meeting, so no longer open.
    assert not any(p.text.startswith("Have sample country pages") for p in offered)
    assert "The ISU presented the sample country pages." in response.content.decode()


def test_staff_record_a_follow_up_and_the_tracking_status_follows_while_the_record_stays(
    staff_client, isu_staff, demo, point
):
    response = staff_client.post(
        URL, {"action_point": point.pk, "note": "New Zealand shared a first outline.", "status": "done"}
    )
    assert response.status_code == 302
    follow_up = ActionPointFollowUp.objects.get(action_point=point)
    assert follow_up.meeting == demo[DRAFT]
    assert follow_up.note == "New Zealand shared a first outline."
    point.refresh_from_db()
    assert point.status == "open"  # as the minutes of 25 September recorded it, still
    later = ActionPointFollowUp.objects.filter(meeting__date__lt="2019-01-01")
    assert ActionPoint.objects.with_tracking_status(later).get(pk=point.pk).tracking_status == "done"
    entry = AuditEntry.objects.filter(action="follow_up.recorded").latest("id")
    assert entry.meeting == demo[DRAFT] and entry.changes["status"] == ["open", "done"]


def test_recording_again_updates_this_meetings_follow_up(staff_client, point):
    staff_client.post(URL, {"action_point": point.pk, "note": "First", "status": "open"})
    staff_client.post(URL, {"action_point": point.pk, "note": "Second", "status": "dropped"})
    assert list(ActionPointFollowUp.objects.filter(action_point=point).values_list("note", "status")) == [
        ("Second", "dropped")
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"note": "", "status": "done"}, "This field is required."),
        ({"note": "x", "status": "bogus"}, "Select a valid choice."),
        ({"note": "x", "status": "done", "action_point": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_message_never_a_500(staff_client, point, data, message):
    response = staff_client.post(URL, {"action_point": point.pk, **data}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionPointFollowUp.objects.filter(action_point=point).exists()


def test_an_action_point_of_a_later_meeting_cannot_be_followed_up(staff_client, demo):
    later = ActionPoint.objects.filter(agenda_item__meeting__date="2018-09-25").first()
    response = staff_client.post(
        "/drafting/2018-08-30/follow-ups/", {"action_point": later.pk, "note": "x", "status": "done"}
    )
    assert response.status_code == 403  # adopted minutes are frozen anyway
    assert not ActionPointFollowUp.objects.filter(action_point=later, meeting=demo["2018-08-30"]).exists()


def test_follow_ups_are_post_only(staff_client, demo):
    assert staff_client.get(URL).status_code == 405
