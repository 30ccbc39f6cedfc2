"""The review, versions and history pages, as coordinators and ISU staff use them."""

import datetime

import pytest
from django.urls import reverse

from meetings import review, versions, workflow
from meetings.models import Meeting, ReviewComment
from tests.factories import DelegationFactory, MeetingFactory, RepresentativeFactory, meeting_in

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


def url(name, meeting, **query):
    base = reverse(f"meetings:{name}", args=[meeting.date.isoformat()])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def circulated(isu_staff):
    return meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)


def test_a_coordinator_comments_on_an_item_and_proposes_text(client, coordinator, circulated):
    client.force_login(coordinator)
    item = circulated.latest_version().snapshot["items"][1]
    response = client.post(
        url("comment_create", circulated),
        {"item_key": item["key"], "text": "Add our statement.", "proposed_text": "Panama *welcomed* the plan."},
    )
    assert response.status_code == 302
    comment = ReviewComment.objects.get()
    assert (comment.item_number, comment.item_title, comment.author) == (item["number"], item["title"], coordinator)
    assert comment.version == circulated.latest_version()
    page = client.get(url("meeting_review", circulated))
    assert "Add our statement." in page.content.decode()
    assert "Pending" in page.content.decode()


def test_an_empty_comment_is_refused_with_a_message(client, coordinator, circulated):
    client.force_login(coordinator)
    item = circulated.latest_version().snapshot["items"][0]
    response = client.post(url("comment_create", circulated), {"item_key": item["key"]}, follow=True)
    assert "Write a comment or propose replacement text." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_comment_on_an_unknown_item_is_refused(client, coordinator, circulated):
    client.force_login(coordinator)
    response = client.post(url("comment_create", circulated), {"item_key": "999999", "text": "x"})
    assert response.status_code == 302
    assert not ReviewComment.objects.exists()


def test_comments_after_the_deadline_are_refused(client, coordinator, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    version = workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today())
    version.comment_deadline = datetime.date.today() - datetime.timedelta(days=1)
    version.save()
    client.force_login(coordinator)
    item = version.snapshot["items"][0]
    response = client.post(url("comment_create", meeting), {"item_key": item["key"], "text": "Late."}, follow=True)
    assert "deadline" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_staff_reply_and_the_author_sees_what_became_of_the_comment(client, coordinator, isu_staff, circulated):
    version = circulated.latest_version()
    comment = review.add_comment(
        version, author=coordinator, item=version.snapshot["items"][0], text="Typo in para 2.", proposed_text=""
    )
    client.force_login(isu_staff)
    client.post(
        reverse("meetings:comment_reply", args=[circulated.date.isoformat(), comment.pk]),
        {"reply": "Fixed in version 2.", "outcome": "incorporated"},
    )
    comment.refresh_from_db()
    assert (comment.outcome, comment.replied_by, comment.reply) == ("incorporated", isu_staff, "Fixed in version 2.")
    client.force_login(coordinator)
    page = client.get(url("meeting_review", circulated)).content.decode()
    assert "Fixed in version 2." in page and "Incorporated" in page


def test_every_coordinator_sees_every_delegations_comments_named_by_delegation_and_person(
    client, coordinator, circulated, django_user_model
):
    version = circulated.latest_version()
    kate = django_user_model.objects.create_user("kate")
    kate.groups.add(*coordinator.groups.all())
    RepresentativeFactory(
        user=kate, honorific="Ms.", name="K. Donnelly", delegation=DelegationFactory(name="New Zealand")
    )
    review.add_comment(version, author=kate, item=version.snapshot["items"][0], text="Kate's remark.", proposed_text="")
    client.force_login(coordinator)
    page = client.get(url("meeting_review", circulated)).content.decode()
    assert "Kate&#x27;s remark." in page
    assert "<strong>New Zealand (Ms. K. Donnelly)</strong>" in page


def test_a_comment_stays_with_the_version_it_was_made_on(client, coordinator, isu_staff, circulated):
    first = circulated.latest_version()
    review.add_comment(first, author=coordinator, item=first.snapshot["items"][0], text="On v1.", proposed_text="")
    workflow.withdraw(circulated, by=isu_staff)
    workflow.circulate(circulated, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    client.force_login(coordinator)
    assert "On v1." not in client.get(url("meeting_review", circulated)).content.decode()
    assert "On v1." in client.get(url("meeting_review", circulated, version=1)).content.decode()
    with pytest.raises(review.ReviewClosed):
        review.add_comment(first, author=coordinator, item=first.snapshot["items"][0], text="Late", proposed_text="")


def test_an_unknown_version_is_404(client, coordinator, circulated):
    client.force_login(coordinator)
    assert client.get(url("meeting_review", circulated, version=7)).status_code == 404
    assert client.get(url("meeting_review", circulated, version="x")).status_code == 404
    assert client.get(url("meeting_versions", circulated, **{"from": "9", "to": "1"})).status_code == 404


def test_the_diff_marks_insertions_and_deletions_and_escapes_the_text():
    html = versions.diff_html("The <b>Committee</b> noted the plan.", "The <b>Committee</b> welcomed the plan.")
    assert "<del>noted</del><ins>welcomed</ins>" in html
    assert "&lt;b&gt;Committee&lt;/b&gt;" in html and "<b>" not in html


def test_the_versions_page_diffs_two_versions_item_by_item(client, isu_staff, circulated):
    item = circulated.agenda_items.order_by("position").first()
    workflow.withdraw(circulated, by=isu_staff)
    item.body = "The Committee welcomed the report."
    item.save()
    workflow.circulate(circulated, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    client.force_login(isu_staff)
    page = client.get(url("meeting_versions", circulated, **{"from": 1, "to": 2})).content.decode()
    assert "<del>discussed</del>" in page and "<ins>welcomed</ins>" in page
    assert "1 item changed" in page


def test_the_versions_page_compares_the_last_version_with_the_adopted_text(client, coordinator, isu_staff):
    meeting = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    client.force_login(coordinator)
    page = client.get(url("meeting_versions", meeting, **{"from": 1, "to": "current"}))
    assert page.status_code == 200
    assert "Adopted text" in page.content.decode()


def test_a_coordinator_cannot_diff_against_a_draft_they_may_not_see(client, coordinator, circulated):
    client.force_login(coordinator)
    assert client.get(url("meeting_versions", circulated, **{"from": 1, "to": "current"})).status_code == 404


def test_the_history_page_shows_every_transition_with_who_did_it(client, isu_staff):
    meeting = meeting_in(Meeting.Status.PUBLISHED, by=isu_staff)
    client.force_login(isu_staff)
    page = client.get(url("meeting_history", meeting)).content.decode()
    for action in ("circulated", "adopted", "published"):
        assert action in page
    assert "alice" in page


def test_an_invalid_transition_from_a_view_is_a_message_not_an_error(client, isu_staff, circulated):
    client.force_login(isu_staff)
    response = client.post(url("meeting_publish", circulated), {"confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Only adopted minutes can be published." in response.content.decode()


def test_a_bad_adoption_form_is_a_message_not_an_error(client, isu_staff, circulated):
    client.force_login(isu_staff)
    response = client.post(
        url("meeting_adopt", circulated), {"at_meeting": "nonsense", "outcome": "x", "confirmed": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert Meeting.objects.get(pk=circulated.pk).status == Meeting.Status.CIRCULATED
    assert "alert-danger" in response.content.decode()


def test_staff_see_the_workflow_actions_on_the_meeting_page(client, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_circulate", args=[meeting.date.isoformat()]) in page


def test_the_public_sees_no_workflow_actions(client, isu_staff):
    meeting = meeting_in(Meeting.Status.PUBLISHED, by=isu_staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Review and adoption" not in page and "Log in" in page


def test_latest_version_is_none_before_circulation_and_numbered_after(isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    assert meeting.latest_version() is None
    workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    assert meeting.latest_version().number == 1
    assert meeting.latest_version().circulated_at


def test_staff_see_who_broke_silence_and_why_on_the_meeting_page(client, isu_staff, coordinator, circulated):
    from django.utils import timezone

    procedure = workflow.start_silence_procedure(
        circulated, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=3)
    )
    client.force_login(coordinator)
    client.post(url("silence_break", circulated), {"reason": "Item 2 misquotes us.", "confirmed": "yes"})
    procedure.refresh_from_db()
    assert procedure.broken_by == coordinator
    client.force_login(isu_staff)
    page = client.get(circulated.get_absolute_url()).content.decode()
    assert "Silence was broken by bob" in page and "Item 2 misquotes us." in page


def test_publishing_without_confirmation_asks_first_and_changes_nothing(client, isu_staff):
    meeting = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    client.force_login(isu_staff)
    response = client.post(url("meeting_publish", meeting))
    page = response.content.decode()
    assert "Publishing makes these minutes public. It cannot be undone." in page
    assert "Nothing has been done yet." in page
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ADOPTED


def test_publishing_once_confirmed_publishes(client, isu_staff):
    meeting = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    client.force_login(isu_staff)
    client.post(url("meeting_publish", meeting), {"confirmed": "yes"})
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


@pytest.mark.parametrize(
    ("name", "data", "consequence"),
    [
        ("meeting_circulate", {"comment_deadline": "2099-01-01"}, "cannot be recalled"),
        ("meeting_withdraw", {}, "takes the minutes back to draft"),
        ("silence_start", {"ends_at": "2099-01-01T12:00"}, "unless one of them breaks silence"),
    ],
)
def test_each_step_names_its_consequence_and_carries_the_form_to_the_confirmation(
    client, isu_staff, name, data, consequence
):
    status = Meeting.Status.DRAFT if name == "meeting_circulate" else Meeting.Status.CIRCULATED
    meeting = meeting_in(status, by=isu_staff)
    client.force_login(isu_staff)
    page = client.post(url(name, meeting), data).content.decode()
    assert consequence in page
    for field, value in data.items():
        assert f'name="{field}" value="{value}"' in page
    assert Meeting.objects.get(pk=meeting.pk).status == status


def test_adoption_confirmation_repeats_the_meeting_and_outcome(client, isu_staff, circulated):
    later = MeetingFactory(date=circulated.date + datetime.timedelta(days=60))
    client.force_login(isu_staff)
    page = client.post(url("meeting_adopt", circulated), {"at_meeting": later.pk, "outcome": "correct_record"})
    text = page.content.decode()
    assert "It cannot be undone" in text and f"{later.date:%-d %B %Y}" in text
    assert Meeting.objects.get(pk=circulated.pk).status == Meeting.Status.CIRCULATED


def test_the_history_reads_as_sentences_with_names_and_dates_and_no_internal_keys(client, isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    later = MeetingFactory(date=meeting.date + datetime.timedelta(days=60))
    workflow.adopt(meeting, by=isu_staff, at_meeting=later, outcome="with_corrections", corrections="Item 2: Chile.")
    client.force_login(isu_staff)
    page = client.get(url("meeting_history", meeting)).content.decode()
    assert f"alice recorded the adoption: adopted with corrections at the meeting of {later.date:%-d %B %Y}" in page
    assert "alice circulated version 1 to the coordinators; comments are due by" in page
    assert "with_corrections" not in page and "correct_record" not in page


def test_the_version_diff_compares_the_previous_version_with_the_latest_by_default(client, isu_staff):
    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    workflow.withdraw(meeting, by=isu_staff)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    client.force_login(isu_staff)
    response = client.get(url("meeting_versions", meeting))
    assert (response.context["old_key"], response.context["new_key"]) == ("1", "2")


def test_a_rewritten_paragraph_is_shown_before_and_after_not_interleaved():
    blocks = versions.paragraph_blocks(
        "Chile thanked the Presidency.\n\nThe Committee noted the report.",
        "Chile thanked the Presidency.\n\nThe Committee welcomed the report.",
    )
    assert [block["state"] for block in blocks] == ["same", "changed"]
    assert str(blocks[1]["before"]) == "The Committee <del>noted</del> the report."
    assert str(blocks[1]["after"]) == "The Committee <ins>welcomed</ins> the report."
