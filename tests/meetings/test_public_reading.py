"""Reading the record on screen: contents, subheadings, status badges, the favicon and the 500 page."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_long_minutes_open_with_contents_linking_to_every_item(client, demo):
    body = client.get("/meetings/2018-09-25/").content.decode()
    contents = body.split('class="minutes-contents"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([\w.-]+)"', contents)
    assert targets[:3] == ["present", "item-2", "item-3"]
    assert "item-5.1" in targets and "item-8" in targets
    for target in targets:
        assert f'id="{target}"' in body


def test_short_minutes_have_no_contents(client, isu_staff):
    from meetings.models import Meeting
    from tests.factories import meeting_in

    meeting = meeting_in(Meeting.Status.DRAFT)
    client.force_login(isu_staff)
    assert len(meeting.agenda()) < 5
    assert "minutes-contents" not in client.get(meeting.get_absolute_url()).content.decode()


def test_decisions_and_action_points_are_subheadings_of_their_item(client, demo):
    body = client.get("/meetings/2018-09-25/").content.decode()
    assert re.search(r'<h3 class="item-subheading" lang="en">Action points</h3>', body)


def test_an_action_points_status_is_the_trackers_badge(client, demo):
    meeting_page = client.get("/meetings/2018-09-25/").content.decode()
    tracker = client.get("/action-points/").content.decode()
    badge = '<span class="badge action-status action-status-open">Open</span>'
    assert badge in meeting_page and badge in tracker


def test_every_page_names_the_favicon_and_the_files_exist(client, demo):
    body = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.[0-9a-f]+\.svg" type="image/svg\+xml">', body)
    assert finders.find("img/favicon.svg") and finders.find("img/favicon.ico")


def test_the_500_page_is_plain_html_that_cannot_fail_in_turn():
    source = (settings.BASE_DIR / "templates" / "500.html").read_text()
    assert "{{" not in source and not re.search(r"{%(?! *comment)", source.replace("{#", ""))
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "{#" not in page
    assert "Une erreur s’est produite de notre côté" in page and "Se ha producido un error por nuestra parte" in page
    for href in re.findall(r'href="/static/([^"]+)"', page):
        assert finders.find(href), href
