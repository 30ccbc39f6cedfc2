"""The whole workflow in a real browser (Debian's Chromium), from a portal that holds only its
reference data (a presidency, delegations, people): ISU staff create a meeting, record the
attendance, write the items with the editor's buttons and circulate; a coordinator comments on a
paragraph from their home page; staff withdraw, apply the proposal, recirculate, adopt at the next
meeting and publish; the public finds the minutes by search and verifies their PDF.

No factory and no workflow call makes any meeting state here: every step is a page. The database
is read only before the browser starts and after it closes (see tests/test_browser_flow.py)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from delegations.models import Delegation, Presidency, Representative
from meetings.models import AgendaItem, AuditEntry, Meeting, ReviewComment
from meetings.roles import COORDINATORS_GROUP
from tests.test_browser_flow import LAUNCH_ARGS, PASSWORD, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unhashed_static_names"),
]

DAY = datetime.date(2019, 3, 5)
NEXT_DAY = datetime.date(2019, 4, 2)


@pytest.fixture
def reference_data(django_user_model):
    """What an administrator enters in the admin before the first meeting: Sri Lanka's presidency
    and its delegate, and Kate, New Zealand's delegate and a coordinator."""
    sri_lanka = Delegation.objects.create(name="Sri Lanka", slug="sri-lanka", kind=Delegation.Kind.STATE_PARTY)
    Presidency.objects.create(name="9MSP", delegation=sri_lanka, starts_on=datetime.date(2018, 9, 1))
    Representative.objects.create(delegation=sri_lanka, honorific="Ms.", name="A. Perera")
    kate = django_user_model.objects.create_user("kate", password=PASSWORD)
    kate.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    new_zealand = Delegation.objects.create(name="New Zealand", slug="new-zealand", kind=Delegation.Kind.STATE_PARTY)
    Representative.objects.create(delegation=new_zealand, honorific="Ms.", name="K. Donnelly", user=kate)


def create_meeting(page, base, day):
    from playwright.sync_api import expect

    page.goto(base + reverse("meetings:drafting_meeting_new"))
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("12:30")
    page.get_by_label("Ends at").fill("14:30")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.get_by_text("Meeting created from the standard agenda.")).to_be_visible()


def write_item(page, title, body):
    """Open the item from the drafting page and write its text by typing."""
    page.get_by_role("link", name=title, exact=True).click()
    text = page.get_by_label("Text", exact=True)
    text.fill("")
    text.press_sequentially(body)
    return text


def confirm(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_role("button", name=f"Yes: {button}").click()
    page.wait_for_load_state()


def test_minutes_go_from_an_empty_portal_to_a_verified_public_pdf(chromium, live_server, isu_staff, reference_data):
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    date = DAY.isoformat()
    drafting_url = base + reverse("meetings:drafting_meeting", args=[date])
    meeting_url = base + reverse("portal:meeting_detail", args=[date])
    review_url = base + reverse("meetings:meeting_review", args=[date])
    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        staff = browser.new_context().new_page()
        coord = browser.new_context().new_page()
        public = browser.new_context().new_page()

        # Staff create the meeting and the next one (where the minutes will be adopted).
        log_in(staff, base, "alice")
        create_meeting(staff, base, NEXT_DAY)
        create_meeting(staff, base, DAY)
        expect(staff.get_by_role("link", name="Update by the Coordinators", exact=True)).to_be_visible()

        # The attendance: Sri Lanka present, with its delegate.
        staff.goto(base + reverse("meetings:drafting_attendance", args=[date]))
        row = staff.locator("tr", has=staff.locator("strong", has_text="Sri Lanka"))
        row.get_by_label("Present", exact=True).check()
        row.get_by_label("Ms. A. Perera").check()
        staff.get_by_role("button", name="Save the attendance").click()
        expect(staff.get_by_text("Attendance saved.")).to_be_visible()

        # The items, written with the editor's buttons.
        for title in (
            "Welcome Remarks",
            "Adoption of the Minutes of the previous meeting",
            "Update by the Presidency",
            "Update by the Implementation Support Unit",
            "Date of the Next Meeting",
        ):
            staff.goto(drafting_url)
            write_item(staff, title, "The Committee took note.")
            staff.get_by_role("button", name="Save the item").click()
            expect(staff.get_by_text("Item saved.")).to_be_visible()
        staff.goto(drafting_url)
        text = write_item(
            staff,
            "Update by the Coordinators",
            "The Coordinators reported on their work.\n\nPanama said the plan was ready.\n\nChile noted the plan.",
        )
        value = text.input_value()
        start = value.index("ready")
        text.evaluate(f"(el) => el.setSelectionRange({start}, {start + len('ready')})")
        staff.get_by_title("Bold").click()
        text.evaluate("(el) => el.setSelectionRange(el.value.length, el.value.length)")
        text.press("Enter")
        text.press("Enter")
        staff.get_by_title("Numbered list").click()
        staff.keyboard.type("Reporting")
        staff.get_by_role("button", name="Save the item").click()
        expect(staff.get_by_text("Item saved.")).to_be_visible()

        # Circulate.
        staff.goto(meeting_url)
        staff.get_by_label("Comments due by").fill(deadline)
        confirm(staff, "Circulate to the coordinators")
        expect(staff.get_by_text("The minutes are circulated to the coordinators.")).to_be_visible()

        # Kate finds the minutes on her home page and comments on item 5, ¶3.
        log_in(coord, base, "kate")
        coord.get_by_role("link", name="Review and comment").click()
        paragraph = coord.locator("[id='item-5-p3']")
        expect(paragraph).to_contain_text("Chile noted the plan.")
        paragraph.get_by_text("Comment on item 5, ¶3").click()
        paragraph.get_by_label("Comment", exact=True).fill("Chile welcomed it.")
        paragraph.get_by_label("Proposed text for ¶3").fill("Chile welcomed the plan.")
        paragraph.get_by_role("button", name="Send the comment").click()
        expect(coord.get_by_text("Your comment is recorded.")).to_be_visible()
        expect(coord.locator("[id='item-5-p3'] .comment-place")).to_have_text("item 5, ¶3")
        expect(coord.locator("[id='item-5-p3']")).to_contain_text("New Zealand (Ms. K. Donnelly)")

        # Staff withdraw, apply the proposal, recirculate, adopt at the next meeting and publish.
        staff.goto(review_url)
        expect(staff.get_by_text("Proposals are applied once the minutes are withdrawn")).to_have_count(2)
        staff.goto(meeting_url)
        confirm(staff, "Withdraw to draft")
        expect(staff.get_by_text("The minutes are back in draft.")).to_be_visible()
        staff.goto(review_url)
        staff.get_by_role("button", name="Apply this proposal to ¶3").click()
        expect(staff.get_by_text("The proposal is applied to item 5, ¶3")).to_be_visible()
        staff.goto(meeting_url)
        staff.get_by_label("Comments due by").fill(deadline)
        confirm(staff, "Circulate to the coordinators")
        expect(staff.get_by_text("The minutes are circulated to the coordinators.")).to_be_visible()
        staff.get_by_label("Adopted at the meeting of").select_option(label=f"{NEXT_DAY:%-d %B %Y}")
        confirm(staff, "Record the adoption")
        expect(staff.get_by_text("The minutes are adopted.")).to_be_visible()
        confirm(staff, "Publish the minutes")
        expect(staff.get_by_text("The minutes are published.")).to_be_visible()

        # The public finds them by search, downloads the PDF and verifies it.
        public.goto(base + reverse("portal:search"))
        public.get_by_role("searchbox").or_(public.locator("input[name=q]")).first.fill("welcomed")
        public.get_by_role("button", name="Search", exact=True).click()
        public.locator("main").get_by_role("link", name=f"{DAY:%-d %B %Y}").first.click()
        expect(public.get_by_text("Chile welcomed the plan.")).to_be_visible()
        # The browser would show the PDF inline: fetch the link's bytes as the browser would.
        pdf_href = public.get_by_role("link", name="Download the minutes (PDF)").get_attribute("href")
        pdf = public.request.get(base + pdf_href)
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        public.goto(base + reverse("portal:record_verify"))
        public.locator("input[type=file]").set_input_files(
            files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": pdf.body()}]
        )
        public.get_by_role("button", name="Verify").click()
        expect(public.get_by_text("This is an official record.")).to_be_visible()
        browser.close()

    meeting = Meeting.objects.get(date=DAY)
    assert meeting.status == Meeting.Status.PUBLISHED
    assert [v.number for v in meeting.versions.all()] == [1, 2]
    item_5 = AgendaItem.objects.get(meeting=meeting, title="Update by the Coordinators")
    assert item_5.body.replace("\r\n", "\n") == (  # the browser sends its lines ending \r\n
        "The Coordinators reported on their work.\n\nPanama said the plan was **ready**.\n\n"
        "Chile welcomed the plan.\n\n1. Reporting"
    )
    comment = ReviewComment.objects.get()
    assert (comment.paragraph, comment.outcome) == (3, ReviewComment.Outcome.INCORPORATED)
    assert AuditEntry.objects.filter(meeting=meeting, action="comment.incorporated").count() == 1
