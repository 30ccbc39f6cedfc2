"""Review where the text is: coordinators comment on a numbered paragraph of the circulated version,
staff apply its proposal to the draft once the minutes are withdrawn, and staff get an hourly
digest of new comments."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings import drafting, markup, review, workflow
from meetings.models import AgendaItem, AuditEntry, Meeting, ReviewComment
from tests.factories import DelegationFactory, RepresentativeFactory, meeting_in

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)
ITEM_5 = (
    "The Coordinators reported on their work.\n\n"
    "Panama said\nthe plan was ready.\n\n"
    "Chile noted the plan.\n\n"
    "The Committee thanked them."
)


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.date.isoformat(), *args])


def item_5(meeting):
    return AgendaItem.objects.filter(meeting=meeting).order_by("position", "id")[3]


def write(item, by, body):
    """Staff save an item's text through the drafting editor's function."""
    item = drafting.load_item(item.meeting_id, item.pk)
    return drafting.save_item(
        item,
        by,
        item.revision,
        drafting.item_snapshot(item),
        title=item.title,
        body=body,
        leads=[link.delegation for link in item.lead_links.all()],
    )


@pytest.fixture
def circulated(isu_staff):
    """Minutes whose item 5 has four paragraphs, circulated as version 1."""
    meeting = meeting_in(Meeting.Status.DRAFT, items=4)
    write(item_5(meeting), isu_staff, ITEM_5)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    return meeting


@pytest.fixture
def kate(django_user_model, coordinator):
    """Kate, New Zealand's delegate: a coordinator like Bob."""
    user = django_user_model.objects.create_user("kate", email="kate@example.org")
    user.groups.add(*coordinator.groups.all())
    RepresentativeFactory(
        user=user, honorific="Ms.", name="K. Donnelly", delegation=DelegationFactory(name="New Zealand")
    )
    return user


def comment_on_paragraph_3(client, meeting, follow=False, **extra):
    key = str(item_5(meeting).pk)
    data = {"item_key": key, "paragraph": 3, "text": "We welcomed it.", "proposed_text": "Chile welcomed the plan."}
    return client.post(url("comment_create", meeting), {**data, **extra}, follow=follow)


def withdraw(client, meeting):
    return client.post(url("meeting_withdraw", meeting), {"confirmed": "yes"})


def test_the_review_page_numbers_each_paragraph_and_offers_a_proposal_starting_from_it(client, kate, circulated):
    client.force_login(kate)
    page = client.get(url("meeting_review", circulated)).content.decode()
    assert 'id="item-5-p3"' in page and "¶3" in page
    assert "Comment on item 5, ¶3" in page
    assert '">Chile noted the plan.</textarea>' in page


def test_a_coordinator_comments_on_paragraph_3_of_item_5_named_by_delegation(client, kate, coordinator, circulated):
    client.force_login(kate)
    response = comment_on_paragraph_3(client, circulated)
    comment = ReviewComment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    assert (comment.item_number, comment.paragraph, comment.proposed_text) == ("5", 3, "Chile welcomed the plan.")
    client.force_login(coordinator)  # every coordinator sees it, under the paragraph it is on
    page = client.get(url("meeting_review", circulated)).content.decode()
    paragraph_3 = page[page.index('id="item-5-p3"') : page.index('id="item-5-p4"')]
    assert '<span class="comment-place">item 5, ¶3</span>' in paragraph_3
    assert "<strong>New Zealand (Ms. K. Donnelly)</strong>" in paragraph_3
    assert "Chile welcomed the plan." in paragraph_3


def test_a_proposal_sent_unchanged_proposes_nothing(client, kate, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated, proposed_text="Chile noted the plan.\r\n")
    assert ReviewComment.objects.get().proposed_text == ""


def test_a_proposal_sent_back_with_the_browsers_line_ends_is_unchanged(client, kate, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated, paragraph=2, proposed_text="Panama said\r\nthe plan was ready.")
    assert (ReviewComment.objects.get().paragraph, ReviewComment.objects.get().proposed_text) == (2, "")


def test_an_unchanged_proposal_without_a_comment_is_refused_with_a_message(client, kate, circulated):
    client.force_login(kate)
    response = comment_on_paragraph_3(client, circulated, text="", proposed_text="Chile noted the plan.", follow=True)
    assert "Write a comment or propose replacement text." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_paragraph_the_item_does_not_have_is_refused_with_a_message(client, kate, circulated):
    client.force_login(kate)
    response = comment_on_paragraph_3(client, circulated, paragraph=9, follow=True)
    assert "That paragraph is not in the version under review." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_an_outsider_cannot_comment(client, outsider, circulated):
    client.force_login(outsider)
    assert comment_on_paragraph_3(client, circulated).status_code == 404
    assert not ReviewComment.objects.exists()


def test_staff_apply_the_proposal_after_withdrawing_and_only_that_paragraph_changes(
    client, kate, isu_staff, circulated
):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    comment = ReviewComment.objects.get()
    client.force_login(isu_staff)
    withdraw(client, circulated)
    waiting = "1 proposal from the coordinators waits to be applied on the review page."
    assert waiting in client.get(url("drafting_meeting", circulated)).content.decode()
    page = client.get(url("meeting_review", circulated)).content.decode()
    assert "Apply this proposal to ¶3" in page
    response = client.post(url("comment_apply", circulated, comment.pk), follow=True)
    assert "The proposal is applied to item 5, ¶3 and the comment is marked incorporated." in response.content.decode()
    item = item_5(circulated)
    assert item.body == ITEM_5.replace("Chile noted the plan.", "Chile welcomed the plan.")
    assert "<p>Chile welcomed the plan.</p>" in item.body_html
    comment.refresh_from_db()
    assert (comment.outcome, comment.replied_by) == (ReviewComment.Outcome.INCORPORATED, isu_staff)
    assert AuditEntry.objects.filter(meeting=circulated, action="item.changed").latest("id").changes["body"] == [
        ITEM_5,
        item.body,
    ]
    assert AuditEntry.objects.filter(meeting=circulated, action="comment.incorporated").count() == 1
    assert waiting not in client.get(url("drafting_meeting", circulated)).content.decode()
    assert "Incorporated: answered by alice" in client.get(url("meeting_review", circulated)).content.decode()
    history = client.get(url("meeting_history", circulated)).content.decode()
    assert "applied a proposal to item 5, paragraph 3, and marked the comment incorporated" in history


def test_applying_while_the_minutes_are_circulated_is_refused_and_changes_nothing(client, kate, isu_staff, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    comment = ReviewComment.objects.get()
    client.force_login(isu_staff)
    page = client.get(url("meeting_review", circulated)).content.decode()
    assert "Proposals waiting to be applied" in page and "Apply this proposal" not in page
    response = client.post(url("comment_apply", circulated, comment.pk), follow=True)
    assert "Proposals are applied once the minutes are withdrawn to draft for revision." in response.content.decode()
    assert item_5(circulated).body == ITEM_5
    comment.refresh_from_db()
    assert comment.outcome == ReviewComment.Outcome.PENDING
    assert not AuditEntry.objects.filter(action="comment.incorporated").exists()


def test_a_stale_proposal_is_refused_with_the_paragraphs_diff(client, kate, isu_staff, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    comment = ReviewComment.objects.get()
    client.force_login(isu_staff)
    withdraw(client, circulated)
    edited = ITEM_5.replace("Chile noted the plan.", "Chile strongly noted the plan.")
    write(item_5(circulated), isu_staff, edited)
    response = client.post(url("comment_apply", circulated, comment.pk))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Paragraph 3 of item 5 has changed since it was circulated; the proposal was not applied." in page
    assert "Chile<ins> strongly</ins> noted the plan." in page
    assert item_5(circulated).body == edited
    comment.refresh_from_db()
    assert comment.outcome == ReviewComment.Outcome.PENDING


def test_a_proposal_is_applied_once(client, kate, isu_staff, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    comment = ReviewComment.objects.get()
    client.force_login(isu_staff)
    withdraw(client, circulated)
    client.post(url("comment_apply", circulated, comment.pk))
    response = client.post(url("comment_apply", circulated, comment.pk), follow=True)
    assert "This comment has no proposal for a paragraph waiting to be applied." in response.content.decode()
    assert AuditEntry.objects.filter(action="comment.incorporated").count() == 1


def test_a_coordinator_cannot_apply_a_proposal_and_the_withdrawn_draft_is_hidden_from_them(
    client, kate, isu_staff, circulated
):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    apply_url = url("comment_apply", circulated, ReviewComment.objects.get().pk)
    assert client.post(apply_url).status_code == 403
    workflow.withdraw(circulated, by=isu_staff)
    assert client.post(apply_url).status_code == 404
    assert ReviewComment.objects.get().outcome == ReviewComment.Outcome.PENDING


def test_the_recirculated_version_carries_the_applied_paragraph(client, kate, isu_staff, circulated):
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    workflow.withdraw(circulated, by=isu_staff)
    review.apply_proposal(ReviewComment.objects.get(), by=isu_staff)
    version = workflow.circulate(circulated, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    body = version.item(str(item_5(circulated).pk))["body"]
    assert markup.paragraphs(body)[2] == "Chile welcomed the plan."


def test_paragraphs_are_what_blank_lines_separate_and_replacing_one_keeps_the_rest_byte_for_byte():
    text = "First\nstill first.\r\n\r\n1. a\n2. b\n\n\n  Last.  \n"
    assert markup.paragraphs(text) == ["First\nstill first.", "1. a\n2. b", "Last."]
    start, end = markup.paragraph_spans(text)[1]
    assert text[:start] + "New." + text[end:] == "First\nstill first.\r\n\r\nNew.\n\n\n  Last.  \n"


def test_the_digest_groups_new_comments_by_minutes_and_a_second_run_sends_nothing(client, kate, isu_staff, circulated):
    isu_staff.email = "alice@example.org"
    isu_staff.save()
    other = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    version = other.latest_version()
    review.add_comment(version, author=kate, item=version.snapshot["items"][0], text="On the other.", proposed_text="")
    call_command("send_comment_digest", verbosity=0)
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["alice@example.org"] and digest.subject == "2 new comments on minutes under review"
    first, second = f"Minutes of {circulated.date:%-d %B %Y}", f"Minutes of {other.date:%-d %B %Y}"
    assert first in digest.body and second in digest.body
    assert digest.body.index("Item 5, ¶3") > digest.body.index(first)
    assert "New Zealand (Ms. K. Donnelly)" in digest.body and "Chile welcomed the plan." in digest.body
    call_command("send_comment_digest", verbosity=0)
    assert len(mail.outbox) == 1
    review.add_comment(version, author=kate, item=version.snapshot["items"][0], text="Later.", proposed_text="")
    call_command("send_comment_digest", verbosity=0)
    assert len(mail.outbox) == 2
    assert "Later." in mail.outbox[1].body and "On the other." not in mail.outbox[1].body


def test_the_digest_sends_nothing_when_there_are_no_new_comments(isu_staff):
    isu_staff.email = "alice@example.org"
    isu_staff.save()
    call_command("send_comment_digest", verbosity=0)
    assert mail.outbox == []


def test_a_digest_that_cannot_be_sent_leaves_its_comments_for_the_next_run(
    client, kate, isu_staff, circulated, settings
):
    isu_staff.email = "alice@example.org"
    isu_staff.save()
    client.force_login(kate)
    comment_on_paragraph_3(client, circulated)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with pytest.raises(CommandError, match="its comments wait for the next run"):
        call_command("send_comment_digest", verbosity=0)
    assert ReviewComment.objects.get().staff_told_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_comment_digest", verbosity=0)
    assert len(mail.outbox) == 1 and ReviewComment.objects.get().staff_told_at is not None
