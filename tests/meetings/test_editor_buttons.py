"""The drafting editor's list buttons in a real browser (Debian's Chromium): the marker they add
stays when the next key is typed. The data is made before the browser starts (see test_browser_flow)."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import meeting_in
from tests.test_browser_flow import LAUNCH_ARGS, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("unhashed_static_names"),
]


@pytest.mark.parametrize("button, marker", [("Numbered list", "1. "), ("Bullet list", "- ")])
def test_a_list_button_leaves_the_caret_after_the_marker_so_typing_keeps_it(
    chromium, live_server, isu_staff, button, marker
):
    from playwright.sync_api import sync_playwright

    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda()[0]
    url = live_server.url + reverse("meetings:drafting_item", args=[meeting.date.isoformat(), item.pk])

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        page = browser.new_page()
        log_in(page, live_server.url, "alice")
        page.goto(url)
        body = page.locator("textarea[name=body]")
        body.fill("")
        page.get_by_title(button).click()
        page.keyboard.type("Reporting")
        value = body.input_value()
        browser.close()

    assert value == f"{marker}Reporting"
