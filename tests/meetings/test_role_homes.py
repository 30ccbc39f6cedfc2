"""Each role has a home: ISU staff land on their workspace and coordinators on their review page
right after logging in; the header links there with a count of pending work."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import review, workflow
from meetings.models import Meeting
from tests.factories import meeting_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def log_in(client, user, next_url=""):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD, "next": next_url}, follow=True)


def comment_on(meeting, author, text="Please say who spoke."):
    version = meeting.latest_version()
    item = version.snapshot["items"][0]
    return review.add_comment(version, author=author, item=item, text=text, proposed_text="")


def test_isu_staff_land_on_their_workspace_after_logging_in(client, isu_staff):
    response = log_in(client, isu_staff)
    assert response.redirect_chain[-1][0] == reverse("meetings:drafting_workspace")
    assert "ISU workspace" in response.content.decode()


def test_a_coordinator_lands_on_their_review_home_after_logging_in(client, coordinator):
    response = log_in(client, coordinator)
    assert response.redirect_chain[-1][0] == reverse("meetings:coordinator_home")
    assert "Awaiting your comments" in response.content.decode()


def test_someone_in_no_role_lands_on_the_public_home(client, outsider):
    response = log_in(client, outsider)
    assert response.redirect_chain[-1][0] == reverse("portal:home")


def test_the_workspace_sorts_minutes_by_what_they_wait_for(client, isu_staff, coordinator):
    draft = meeting_in(Meeting.Status.DRAFT)
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    comment_on(circulated, coordinator)
    comment_on(circulated, coordinator, "And the date.")
    adopted = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    client.force_login(isu_staff)
    response = client.get(reverse("meetings:drafting_workspace"))
    context = response.context
    assert draft in context["drafts"]  # with the later meeting that adopted the other minutes
    assert [m.pk for m in context["circulated"]] == [circulated.pk]
    assert context["circulated"][0].comments_awaiting_reply == 2
    assert [m.pk for m in context["adopted"]] == [adopted.pk]
    page = response.content.decode()
    assert "2 comments awaiting a reply" in page
    assert reverse("meetings:meeting_import") in page
    assert reverse("meetings:drafting_meeting_new") in page


def test_a_replied_comment_no_longer_awaits_a_reply(client, isu_staff, coordinator):
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    comment = comment_on(circulated, coordinator)
    comment_on(circulated, coordinator, "Second point.")
    review.reply(comment, by=isu_staff, text="Done.", outcome="incorporated")
    client.force_login(isu_staff)
    response = client.get(reverse("meetings:drafting_workspace"))
    assert response.context["circulated"][0].comments_awaiting_reply == 1


def test_the_header_counts_the_staffs_pending_work(client, isu_staff, coordinator):
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    comment_on(circulated, coordinator)
    meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    response = client.get(reverse("portal:home"))
    assert response.context["role_link"]["count"] == 2  # one comment to answer, one record to publish
    assert "ISU workspace" in response.content.decode()


def test_the_workspace_page_runs_a_fixed_number_of_queries(client, isu_staff, coordinator, django_assert_num_queries):
    client.force_login(isu_staff)
    url = reverse("meetings:drafting_workspace")
    client.get(url)
    with django_assert_num_queries(7):  # session, user, groups, silence to close, meetings, silence, header count
        client.get(url)
    for _ in range(3):
        comment_on(meeting_in(Meeting.Status.CIRCULATED, by=isu_staff), coordinator)
    meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    with django_assert_num_queries(7):
        client.get(url)


def test_a_coordinator_sees_what_awaits_their_comments_and_when_it_is_due(client, isu_staff, coordinator):
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    client.force_login(coordinator)
    response = client.get(reverse("meetings:coordinator_home"))
    deadline = circulated.latest_version().comment_deadline
    assert [m.pk for m in response.context["awaiting_comments"]] == [circulated.pk]
    assert f"due {deadline.day} {deadline:%B %Y}" in response.content.decode()
    assert response.context["role_link"]["count"] == 1


def test_a_coordinator_finds_the_minutes_they_commented_on(client, isu_staff, coordinator):
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    comment = comment_on(circulated, coordinator)
    review.reply(comment, by=isu_staff, text="Done.", outcome="incorporated")
    comment_on(circulated, coordinator, "Another.")
    client.force_login(coordinator)
    response = client.get(reverse("meetings:coordinator_home"))
    assert [m.pk for m in response.context["commented"]] == [circulated.pk]
    assert "1 of your 2 comments answered" in response.content.decode()


def test_a_coordinator_sees_when_a_silence_procedure_ends_in_geneva_time(client, isu_staff, coordinator):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    ends = timezone.make_aware(datetime.datetime(2099, 12, 14, 16, 44))
    workflow.start_silence_procedure(meeting, by=isu_staff, ends_at=ends)
    client.force_login(coordinator)
    response = client.get(reverse("meetings:coordinator_home"))
    assert [m.pk for m in response.context["in_silence"]] == [meeting.pk]
    assert "silence procedure ends 14 December 2099, 16:44 Geneva time" in response.content.decode()


def test_a_coordinator_finds_the_next_meeting_with_its_remote_link_which_the_public_never_sees(
    client, isu_staff, coordinator
):
    day = timezone.localdate() + datetime.timedelta(days=21)
    presidency = meeting_in(Meeting.Status.DRAFT, by=isu_staff).presidency
    link = "https://meet.example.org/ccm-cc-next"
    announced = workflow.announce(
        isu_staff, date=day, presidency=presidency, starts_at=datetime.time(13, 0), remote_link=link
    )
    client.force_login(coordinator)
    page = client.get(reverse("meetings:coordinator_home")).content.decode()
    assert "Next meeting" in page and link in page and announced.get_absolute_url() in page
    client.logout()
    assert link not in client.get("/").content.decode()


def test_the_coordinators_home_says_when_no_meeting_is_announced(client, coordinator):
    client.force_login(coordinator)
    assert "No meeting is announced." in client.get(reverse("meetings:coordinator_home")).content.decode()


def test_the_coordinators_home_is_refused_to_isu_staff(client, isu_staff):
    client.force_login(isu_staff)
    assert client.get(reverse("meetings:coordinator_home")).status_code == 403


def test_staff_see_an_edit_link_on_a_meeting_they_may_edit(client, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_drafting_url()}">Edit these minutes' in page


def test_no_edit_link_on_adopted_minutes(client, isu_staff):
    meeting = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    client.force_login(isu_staff)
    assert "Edit these minutes" not in client.get(meeting.get_absolute_url()).content.decode()
