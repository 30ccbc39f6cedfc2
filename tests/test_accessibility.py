"""WCAG 2.2 AA in a real browser: axe-core finds no serious or critical violation on any public
page type, and the skip link works from the keyboard. axe-core is fetched from npm into var/ by
the test set-up; it is never committed."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE_DIR = Path(settings.BASE_DIR) / "var" / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PUBLIC_PAGES = {
    "home": "/",
    "archive": "/meetings/",
    "meeting": "/meetings/2018-09-25/",
    "delegation index": "/delegations/",
    "delegation": "/delegations/new-zealand/",
    "presidency index": "/presidencies/",
    "presidency with attendance matrix": "/presidencies/9MSP/",
    "action-point tracker": "/action-points/",
    "action-point tracker filtered": "/action-points/?status=done",
    "decisions register": "/decisions/",
    "decisions register with a refused filter": "/decisions/?year=1900",
    "not found": "/no-such-page/",
}


@pytest.fixture(autouse=True)
def plain_static_files(unhashed_static_names):
    """The live server serves static files from their sources by name (tests/conftest.py)."""


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        require(npm, "npm is not installed, so axe-core cannot be fetched")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
        )
    return AXE_SCRIPT


# Module-scoped: Playwright's sync API must be stopped before another module (the browser flow
# test) starts its own.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django test database is still
    # used synchronously from it, which is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium_path():
    from tests.conftest import CHROMIUM

    require(shutil.which("chromium") or os.path.exists(CHROMIUM), "Debian's chromium is not installed")
    return shutil.which("chromium") or CHROMIUM


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def serious_violations(page, axe_script):
    # Evaluated through DevTools rather than added as a <script>: the pages' strict CSP refuses
    # inline scripts, and the test tool must not need the policy weakened.
    page.evaluate(axe_script.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}) at {node['target']}: {node['failureSummary']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"][:3]
    ]


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_accessibility_violation(demo, live_server, page, axe_script, path):
    page.goto(live_server.url + path)
    assert serious_violations(page, axe_script) == []


@pytest.mark.parametrize("path", ["/", "/presidencies/9MSP/", "/action-points/"])
def test_french_pages_have_no_serious_accessibility_violation(demo, live_server, browser, axe_script, path):
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    try:
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == "fr"
        assert serious_violations(page, axe_script) == []
    finally:
        context.close()


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_main_content(demo, live_server, page):
    page.goto(live_server.url + "/presidencies/9MSP/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({cls: document.activeElement.className, text: document.activeElement.textContent})")
    assert "skip-link" in focused["cls"]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_the_language_switcher_works_from_the_keyboard(demo, live_server, page):
    page.goto(live_server.url + "/action-points/")
    page.focus("#language-select")
    page.select_option("#language-select", "fr")
    page.keyboard.press("Tab")
    with page.expect_navigation(url="**/action-points/"):
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.url.endswith("/action-points/")


def _logged_in(browser, live_server, username):
    from django.urls import reverse

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.django_db(transaction=True)
def test_staff_pages_and_a_confirmation_have_no_serious_accessibility_violation(
    live_server, browser, axe_script, isu_staff, coordinator
):
    from django.urls import reverse

    from meetings import review, workflow
    from meetings.models import Meeting
    from tests.factories import later_meeting, meeting_in

    meeting = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    workflow.withdraw(meeting, by=isu_staff)
    version = workflow.circulate(meeting, by=isu_staff, comment_deadline=meeting.latest_version().comment_deadline)
    item = version.snapshot["items"][0]
    review.add_comment(
        version, author=coordinator, item=item, paragraph=1, text="Reword.", proposed_text="The Committee agreed."
    )
    later_meeting(meeting)
    day = meeting.date.isoformat()
    context, page = _logged_in(browser, live_server, isu_staff.username)
    for name in ("role_home", "meeting_review", "meeting_history", "meeting_versions"):
        args = [] if name == "role_home" else [day]
        page.goto(live_server.url + reverse(f"meetings:{name}", args=args))
        assert serious_violations(page, axe_script) == [], name
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_role("button", name="Withdraw to draft").click()
    page.wait_for_load_state()
    assert "Nothing has been done yet." in page.content()
    assert serious_violations(page, axe_script) == [], "confirmation"
    context.close()
    context, page = _logged_in(browser, live_server, coordinator.username)
    for name in ("role_home", "meeting_review"):
        args = [] if name == "role_home" else [day]
        page.goto(live_server.url + reverse(f"meetings:{name}", args=args))
        assert serious_violations(page, axe_script) == [], f"coordinator {name}"
    page.goto(live_server.url + reverse("sign_in_security"))
    assert page.get_by_role("button", name="Add a passkey").is_visible()
    assert serious_violations(page, axe_script) == [], "sign-in security"
    context.close()
