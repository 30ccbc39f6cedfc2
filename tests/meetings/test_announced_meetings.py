"""Announced meetings: ISU staff announce a meeting to come with a provisional agenda; it is public at
once (page, home page, calendar feed) without its remote link; postponing and cancelling show in
calendars; after the meeting, its minutes start from that agenda."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from meetings import workflow
from meetings.models import AuditEntry, Meeting
from tests.factories import MeetingFactory, PresidencyFactory

pytestmark = pytest.mark.django_db

ANNOUNCE_URL = "/meetings/announce/"
CALENDAR_URL = "/feeds/meetings.ics"
REMOTE_LINK = "https://meet.example.org/ccm-secret-room"
ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture
def presidency():
    """A presidency whose term covers today and the year to come."""
    today = timezone.localdate()
    return PresidencyFactory(
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=400)
    )


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def announce(client, day, **data):
    """Announce through the page, confirming as staff do."""
    fields = {
        "date": day.isoformat(),
        "starts_at": "12:30",
        "ends_at": "14:30",
        "time_zone": "Europe/Zurich",
        "venue": "Permanent Mission of Sri Lanka",
        "remote_link": REMOTE_LINK,
        "confirmed": "yes",
        **data,
    }
    response = client.post(ANNOUNCE_URL, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Meeting.objects.get(date=day)


def public_calendar():
    response = Client().get(CALENDAR_URL)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def event_of(calendar, meeting):
    uid = f"{meeting.calendar_uid}@"
    events = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid)]
    assert len(events) == 1
    return events[0]


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


def test_a_meeting_announced_by_staff_appears_at_once_in_the_public_calendar_and_on_the_home_page(
    staff_client, presidency
):
    anonymous = Client()
    # Pages seen before the announcement are cached; the announcement must show all the same.
    assert "Next meeting" not in anonymous.get("/").content.decode()
    assert anonymous.get(CALENDAR_URL).content.count(b"BEGIN:VEVENT") == 0
    day = in_days(10)

    meeting = announce(staff_client, day)

    assert meeting.status == Meeting.Status.ANNOUNCED
    event = event_of(public_calendar(), meeting)
    start = event.decoded("DTSTART")
    assert start == datetime.datetime.combine(day, datetime.time(12, 30), tzinfo=ZURICH)
    assert str(start.tzinfo) == "Europe/Zurich"
    assert event["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert event.decoded("DTEND") == datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=ZURICH)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Permanent Mission of Sri Lanka"
    home = anonymous.get("/").content.decode()
    assert "Next meeting" in home
    assert meeting.get_absolute_url() in home


def test_the_public_meeting_page_shows_the_provisional_agenda_and_no_minutes(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    page = Client().get(meeting.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "Provisional agenda" in text
    assert "Welcome Remarks" in text and "Any Other Business" in text
    assert "Download the minutes" not in text
    assert "Europe/Zurich" in text


def test_the_calendar_times_hold_in_winter_and_summer_in_the_meetings_own_zone(staff_client, presidency):
    winter = announce(staff_client, in_days(10), starts_at="09:00", ends_at="10:00")
    summer = announce(staff_client, in_days(250), starts_at="09:00", ends_at="10:00", time_zone="America/New_York")
    calendar = public_calendar()
    for meeting, zone in ((winter, ZURICH), (summer, ZoneInfo("America/New_York"))):
        start = event_of(calendar, meeting).decoded("DTSTART")
        assert start == datetime.datetime.combine(meeting.date, datetime.time(9), tzinfo=zone)
        assert start.utcoffset() == datetime.datetime.combine(meeting.date, datetime.time(9), tzinfo=zone).utcoffset()


def test_postponing_moves_the_calendar_entry_with_the_same_uid_and_a_higher_sequence(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    uid = str(event_of(public_calendar(), meeting)["UID"])
    new_day = in_days(17)

    response = staff_client.post(
        f"/meetings/{meeting.date.isoformat()}/postpone/",
        {"date": new_day.isoformat(), "starts_at": "13:00", "ends_at": "15:00", "confirmed": "yes"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{new_day.isoformat()}/"
    event = event_of(public_calendar(), meeting)
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime.datetime.combine(new_day, datetime.time(13), tzinfo=ZURICH)
    assert AuditEntry.objects.filter(meeting=meeting, action="postponed").count() == 1


def test_a_postponed_meeting_says_so_publicly_and_its_old_address_leads_to_it(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    old_url = meeting.get_absolute_url()
    workflow.postpone(meeting, None, date=in_days(17), starts_at=datetime.time(13))

    anonymous = Client()
    moved = anonymous.get(old_url)
    assert (moved.status_code, moved["Location"]) == (302, f"/meetings/{in_days(17).isoformat()}/")
    page = anonymous.get(moved["Location"]).content.decode()
    assert "Postponed: this meeting was first announced for" in page
    assert "Postponed from" in anonymous.get("/").content.decode()
    assert "Postponed from" in str(event_of(public_calendar(), meeting)["DESCRIPTION"])


def test_changing_the_provisional_agenda_or_venue_raises_the_sequence(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    staff_client.post(f"/drafting/{meeting.date.isoformat()}/items/add/", {})
    assert int(event_of(public_calendar(), meeting)["SEQUENCE"]) == 1
    assert "New item" in Client().get(meeting.get_absolute_url()).content.decode()
    meeting.refresh_from_db()
    response = staff_client.post(
        meeting.get_drafting_url(),
        {
            "date": meeting.date.isoformat(),
            "starts_at": "12:30",
            "ends_at": "14:30",
            "time_zone": "Europe/Zurich",
            "venue": "Online",
            "remote_link": REMOTE_LINK,
            "presidency": meeting.presidency_id,
            "revision": meeting.revision,
            "started": "{}",
        },
    )
    assert response.status_code == 302
    event = event_of(public_calendar(), meeting)
    assert int(event["SEQUENCE"]) == 2
    assert str(event["LOCATION"]) == "Online"


def test_a_postponement_asks_for_confirmation_first(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    response = staff_client.post(
        f"/meetings/{meeting.date.isoformat()}/postpone/", {"date": in_days(17).isoformat(), "starts_at": "13:00"}
    )
    assert response.status_code == 200
    assert "Postpone this meeting?" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.date, meeting.ics_sequence) == (in_days(10), 0)


def test_a_cancelled_meeting_says_so_on_its_page_and_in_the_calendar(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))

    response = staff_client.post(f"/meetings/{meeting.date.isoformat()}/cancel/", {"confirmed": "yes"})

    assert response.status_code == 302
    event = event_of(public_calendar(), meeting)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert "This meeting is cancelled." in page
    assert "Next meeting" not in Client().get("/").content.decode()
    assert AuditEntry.objects.filter(meeting=meeting, action="cancelled").count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_the_remote_link_never_appears_publicly(staff_client, presidency, persona, request):
    meeting = announce(staff_client, in_days(10))
    public = Client()
    if persona != "anonymous":
        public.force_login(request.getfixturevalue(persona))
    for url in ("/", meeting.get_absolute_url(), CALENDAR_URL, "/api/v1/meetings/", "/sitemap.xml"):
        assert REMOTE_LINK.encode() not in public.get(url).content, url


def test_coordinators_and_staff_see_the_remote_link_on_the_meeting_page(staff_client, presidency, coordinator):
    meeting = announce(staff_client, in_days(10))
    assert REMOTE_LINK in staff_client.get(meeting.get_absolute_url()).content.decode()
    delegate = Client()
    delegate.force_login(coordinator)
    assert REMOTE_LINK in delegate.get(meeting.get_absolute_url()).content.decode()


def test_coordinators_are_invited_with_the_calendar_entry_once_the_announcement_commits(
    staff_client, presidency, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "bob@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = announce(staff_client, in_days(10))
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    invitations = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert len(invitations) == 1
    message = invitations[0]
    assert "Invitation" in message.subject
    assert REMOTE_LINK in message.body
    assert "Welcome Remarks" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("ccm-meeting.ics", "text/calendar")
    attached = icalendar.Calendar.from_ical(content)
    event = event_of(attached, meeting)
    assert str(event["UID"]) == str(event_of(public_calendar(), meeting)["UID"])
    assert REMOTE_LINK in str(event["DESCRIPTION"])


def test_an_email_failure_does_not_undo_the_announcement(
    staff_client, presidency, coordinator, django_capture_on_commit_callbacks, settings
):
    coordinator.email = "bob@example.org"
    coordinator.save()
    settings.EMAIL_BACKEND = "tests.meetings.test_announced_meetings.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = announce(staff_client, in_days(10))
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ANNOUNCED


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("The SMTP server is down.")


def test_starting_drafting_keeps_the_agenda_and_fills_the_attendance_sheet(staff_client, presidency):
    meeting = announce(staff_client, timezone.localdate())
    staff_client.post(f"/drafting/{meeting.date.isoformat()}/items/add/", {})
    agenda_before = [(item.number, item.title) for item in meeting.agenda()]
    sequence = int(event_of(public_calendar(), meeting)["SEQUENCE"])
    uid = str(event_of(public_calendar(), meeting)["UID"])

    response = staff_client.post(f"/meetings/{meeting.date.isoformat()}/start-drafting/", {"confirmed": "yes"})

    assert response.status_code == 302
    assert response["Location"] == meeting.get_drafting_url()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert [(item.number, item.title) for item in meeting.agenda()] == agenda_before
    sheet = staff_client.get(f"/drafting/{meeting.date.isoformat()}/attendance/").content.decode()
    assert presidency.delegation.name in sheet
    event = event_of(public_calendar(), meeting)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, sequence)
    assert AuditEntry.objects.filter(meeting=meeting, action="drafting.started").count() == 1


def test_once_drafting_starts_the_public_sees_the_meeting_but_never_the_draft(staff_client, presidency):
    meeting = announce(staff_client, timezone.localdate())
    workflow.start_drafting(meeting, by=None)
    item = meeting.agenda_items.filter(parent=None).first()
    item.body = "A confidential draft paragraph."
    item.save()

    page = Client().get(meeting.get_absolute_url()).content.decode()
    feed = Client().get(CALENDAR_URL).content.decode()

    assert "Minutes in preparation" in page
    assert "Permanent Mission of Sri Lanka" in page
    for text in (page, feed):
        assert "confidential draft" not in text
        assert "Welcome Remarks" not in text
        assert REMOTE_LINK not in text
    assert Client().get(meeting.get_pdf_url()).status_code == 404
    assert Client().get(f"/api/v1/meetings/{meeting.date.isoformat()}/").status_code == 404


def test_drafting_cannot_start_before_the_meeting(staff_client, presidency):
    meeting = announce(staff_client, in_days(3))
    with pytest.raises(workflow.NotReady, match="has not taken place yet"):
        workflow.start_drafting(meeting, by=None)
    response = staff_client.post(f"/meetings/{meeting.date.isoformat()}/start-drafting/", {"confirmed": "yes"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ANNOUNCED


def test_a_draft_that_was_never_announced_stays_invisible_to_the_public():
    draft = MeetingFactory()
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert Client().get(CALENDAR_URL).content.count(b"BEGIN:VEVENT") == 0


def test_a_meeting_cannot_be_announced_in_the_past(staff_client, presidency):
    response = staff_client.post(
        ANNOUNCE_URL, {"date": in_days(-1).isoformat(), "starts_at": "12:30", "time_zone": "Europe/Zurich"}
    )
    assert response.status_code == 200
    assert "today or a later day" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_date_of_an_announced_meeting_changes_only_by_postponing(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    with pytest.raises(workflow.TransitionError, match="already a meeting"):
        workflow.postpone(meeting, None, date=announce(staff_client, in_days(11)).date, starts_at=datetime.time(9))
    with pytest.raises(workflow.TransitionError, match="Only an announced meeting"):
        workflow.cancel(workflow.cancel(meeting, None), None)


@pytest.mark.parametrize(
    ("status", "verbs"),
    [
        (Meeting.Status.ANNOUNCED, {"postpone", "cancel", "start_drafting"}),
        (Meeting.Status.CANCELLED, set()),
        (Meeting.Status.DRAFT, {"circulate", "enter_archived_adoption"}),
    ],
)
def test_the_transition_table_says_what_may_follow_each_state(status, verbs):
    meeting = Meeting(status=status)
    all_verbs = set(workflow.TRANSITIONS.values())
    assert {verb for verb in all_verbs if workflow.allowed(meeting, verb)} == verbs


def test_staff_reach_the_announce_page_from_their_workspace(staff_client):
    assert ANNOUNCE_URL in staff_client.get("/drafting/").content.decode()
    assert staff_client.get(ANNOUNCE_URL).status_code == 200


def test_an_announced_meeting_cannot_record_an_adoption(staff_client, presidency):
    from tests.factories import meeting_in

    circulated = meeting_in(Meeting.Status.CIRCULATED)
    announced = announce(staff_client, in_days(10))
    with pytest.raises(workflow.TransitionError, match="has taken place"):
        workflow.adopt(circulated, by=None, at_meeting=announced)


def test_staff_change_the_remote_link_and_zone_of_an_announced_meeting_but_not_its_date(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    response = staff_client.post(
        meeting.get_drafting_url(),
        {
            "date": in_days(12).isoformat(),  # the date field is disabled: the posted value is ignored
            "starts_at": "12:30",
            "ends_at": "14:30",
            "time_zone": "Europe/Vienna",
            "venue": "Online",
            "remote_link": "https://meet.example.org/new-room",
            "presidency": meeting.presidency_id,
            "revision": meeting.revision,
            "started": "{}",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.time_zone, meeting.remote_link) == (
        in_days(10),
        "Europe/Vienna",
        "https://meet.example.org/new-room",
    )
    assert event_of(public_calendar(), meeting)["DTSTART"].params["TZID"] == "Europe/Vienna"
    assert "new-room" not in Client().get(meeting.get_absolute_url()).content.decode()


def test_the_history_tells_the_announcement_in_sentences(staff_client, presidency):
    meeting = announce(staff_client, in_days(10))
    staff_client.post(
        f"/meetings/{meeting.date.isoformat()}/postpone/",
        {"date": in_days(17).isoformat(), "starts_at": "12:30", "confirmed": "yes"},
    )
    staff_client.post(f"/meetings/{in_days(17).isoformat()}/cancel/", {"reason": "No quorum.", "confirmed": "yes"})
    history = staff_client.get(f"/meetings/{in_days(17).isoformat()}/history/").content.decode()
    assert "announced the meeting, with a provisional agenda" in history
    assert "postponed the meeting to" in history
    assert "cancelled the meeting: “No quorum.”" in history


def test_the_calendar_reads_any_number_of_announced_meetings_in_the_same_queries(
    staff_client, presidency, django_assert_num_queries
):
    announce(staff_client, in_days(10))
    anonymous = Client()
    with django_assert_num_queries(3):  # the cache stamp, the meetings, their agenda items
        anonymous.get(CALENDAR_URL)
    announce(staff_client, in_days(11))
    announce(staff_client, in_days(12))
    with django_assert_num_queries(3):
        anonymous.get(CALENDAR_URL)
