"""The whole flow once in a real browser (Debian's Chromium, driven by Playwright): ISU staff
circulate, a coordinator comments, staff reply, adopt and publish, and an anonymous visitor
reads the published record.

Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
thread with a running loop; so the data is made before the browser starts and checked after it
has closed, and the live server answers the browser from its own thread."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import AuditEntry, Meeting, ReviewComment
from tests.factories import later_meeting, meeting_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def log_in(page, base, username):
    page.goto(base + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_minutes_go_from_draft_to_the_public_in_a_browser(chromium, live_server, isu_staff, coordinator):
    from playwright.sync_api import expect, sync_playwright

    meeting = meeting_in(Meeting.Status.DRAFT)
    later = later_meeting(meeting)
    first_item = meeting.agenda()[0]
    base = live_server.url
    meeting_url = base + meeting.get_absolute_url()
    review_url = base + reverse("meetings:meeting_review", args=[meeting.date.isoformat()])
    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        staff = browser.new_context().new_page()
        coord = browser.new_context().new_page()
        public = browser.new_context().new_page()

        log_in(staff, base, "alice")
        staff.goto(meeting_url)
        staff.get_by_label("Comments due by").fill(deadline)
        staff.get_by_role("button", name="Circulate to the coordinators").click()
        expect(staff.get_by_text("cannot be recalled, only followed by another version")).to_be_visible()
        staff.get_by_role("button", name="Yes: Circulate to the coordinators").click()
        expect(staff.get_by_text("The minutes are circulated to the coordinators.")).to_be_visible()

        log_in(coord, base, "bob")
        coord.goto(review_url)
        expect(coord.get_by_text("Version 1, circulated on")).to_be_visible()
        paragraph = coord.locator(f"[id='item-{first_item.number}-p1']")
        paragraph.get_by_text(f"Comment on item {first_item.number}, ¶1").click()
        paragraph.get_by_label("Comment", exact=True).fill("Please name the speaker.")
        paragraph.get_by_role("button", name="Send the comment").click()
        expect(coord.get_by_text("Your comment is recorded.")).to_be_visible()
        expect(coord.get_by_text("Please name the speaker.")).to_be_visible()

        staff.goto(review_url)
        staff.locator("textarea[name=reply]").fill("Added in the adopted text.")
        staff.get_by_label("Incorporated", exact=True).check()
        staff.get_by_role("button", name="Save the reply").click()
        expect(staff.get_by_text("Your reply is recorded.")).to_be_visible()

        coord.goto(review_url)
        expect(coord.get_by_text("Added in the adopted text.")).to_be_visible()

        staff.goto(meeting_url)
        staff.get_by_label("Adopted at the meeting of").select_option(str(later.pk))
        staff.get_by_role("button", name="Record the adoption").click()
        staff.get_by_role("button", name="Yes: Record the adoption").click()
        expect(staff.get_by_text("The minutes are adopted.")).to_be_visible()
        staff.get_by_role("button", name="Publish the minutes").click()
        expect(staff.get_by_text("Publishing makes these minutes public. It cannot be undone.")).to_be_visible()
        staff.get_by_role("button", name="Yes: Publish the minutes").click()
        expect(staff.get_by_text("The minutes are published.")).to_be_visible()

        public.goto(meeting_url)
        expect(public.get_by_role("heading", name="Minutes of the CCM Coordination Committee meeting")).to_be_visible()
        expect(public.get_by_text(first_item.title).first).to_be_visible()
        expect(public.get_by_text("Review and adoption")).to_have_count(0)
        browser.close()

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.adopted_at_meeting == later
    assert ReviewComment.objects.get().outcome == ReviewComment.Outcome.INCORPORATED
    assert list(AuditEntry.objects.filter(meeting=meeting).values_list("by__username", flat=True)) == [
        "alice",
        "bob",
        "alice",
        "alice",
        "alice",
    ]
