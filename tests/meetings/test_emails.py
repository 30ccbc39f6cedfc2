"""Who is told what, after the transaction commits, in text and HTML."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from meetings import workflow
from meetings.models import Meeting
from tests.factories import later_meeting, meeting_in

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


@pytest.fixture
def people(isu_staff, coordinator):
    isu_staff.email = "alice@example.org"
    isu_staff.save()
    coordinator.email = "bob@example.org"
    coordinator.save()
    return isu_staff, coordinator


def test_circulation_emails_each_coordinator_after_commit(people, django_capture_on_commit_callbacks):
    staff, _coordinator = people
    meeting = meeting_in(Meeting.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.circulate(meeting, by=staff, comment_deadline=IN_TWO_WEEKS)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    message = mail.outbox[0]
    assert "version 1" in message.subject
    assert f"/meetings/{meeting.date.isoformat()}/review/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html


def test_no_email_when_the_transition_is_refused(people, django_capture_on_commit_callbacks):
    staff, _coordinator = people
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=staff)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(workflow.TransitionError):
        workflow.circulate(meeting, by=staff, comment_deadline=IN_TWO_WEEKS)
    assert mail.outbox == []


def test_breaking_silence_emails_the_staff_with_the_reason(people, django_capture_on_commit_callbacks):
    staff, coordinator = people
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=staff)
    procedure = workflow.start_silence_procedure(meeting, by=staff, ends_at=timezone.now() + datetime.timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.break_silence(procedure, by=coordinator, reason="Our statement is missing.")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Our statement is missing." in mail.outbox[0].body


def test_adoption_and_publication_email_staff_and_coordinators(people, django_capture_on_commit_callbacks):
    staff, _coordinator = people
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(meeting, by=staff, at_meeting=later_meeting(meeting))
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all("adopted" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(meeting, by=staff)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all("published" in m.subject for m in mail.outbox)


def test_the_reminder_command_tells_coordinators_once_about_a_near_deadline(people, django_capture_on_commit_callbacks):
    staff, _coordinator = people
    near = meeting_in(Meeting.Status.DRAFT)
    workflow.circulate(near, by=staff, comment_deadline=datetime.date.today() + datetime.timedelta(days=1))
    far = meeting_in(Meeting.Status.DRAFT)
    workflow.circulate(far, by=staff, comment_deadline=IN_TWO_WEEKS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_comment_deadlines", stdout=io.StringIO())
        call_command("remind_comment_deadlines", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert near.date.strftime("%Y") in mail.outbox[0].subject
    assert "due by" in mail.outbox[0].subject


def test_password_reset_sends_a_link_by_email(client, people):
    staff, _coordinator = people
    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Your CCM Portal password"


class FailingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    def open(self):
        pass

    def close(self):
        pass


def test_an_smtp_failure_after_a_committed_circulation_is_logged_not_an_error_page(
    client, people, settings, caplog, django_capture_on_commit_callbacks
):
    staff, _coordinator = people
    settings.EMAIL_BACKEND = "tests.meetings.test_emails.FailingBackend"
    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/meetings/{meeting.date.isoformat()}/circulate/",
            {"comment_deadline": IN_TWO_WEEKS.isoformat(), "confirmed": "yes"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CIRCULATED
    assert "Sending notify_circulated failed after a committed change" in caplog.text
