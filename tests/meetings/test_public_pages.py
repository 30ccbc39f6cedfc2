import html
import re

import pytest
from django.urls import reverse

from tests.seed import attendance_facts, heading_facts, in_order, paragraphs

pytestmark = pytest.mark.django_db


def page_text(response):
    """The visible text of a page, tags dropped and whitespace folded, for in-order checks."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</?(em|strong|a|span)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_meeting_page_reads_like_the_seed_title_block(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/"))
    assert "Minutes of the CCM Coordination Committee meeting" in text
    assert "held on Tuesday, 25 September 2018 from 12:30 – 14:30 hours" in text


def test_meeting_page_lists_every_delegation_and_representative_in_the_seeds_order(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/"))
    assert in_order(text, ["1. Present", *attendance_facts()[:-2], "Apologies", "Mozambique", "Zambia"]) is None


def test_meeting_page_has_every_item_and_sub_item_number_and_title_in_order(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/"))
    needles = [f"{number}{'' if '.' in number else '.'} {title}" for number, title in heading_facts()]
    assert in_order(text, needles) is None


def test_meeting_page_has_every_paragraph_of_the_seed_in_order(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/"))
    assert in_order(text, paragraphs()) is None


def test_sub_item_headings_name_their_coordinators(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/"))
    assert "5.1 Universalization (Panama & Chile)" in text
    assert "5.5 Reporting (Iraq)" in text


def test_the_list_inside_item_4_stays_a_list_with_its_emphasis(client, demo):
    body = client.get("/meetings/2018-09-25/").content.decode()
    item4 = body[body.index('id="item-4"') : body.index('id="item-5"')]
    assert item4.count("<li>") >= 3
    assert "<em>CCM Universalization</em>" in item4


def test_action_points_show_under_their_item(client, demo):
    body = client.get("/meetings/2018-09-25/").content.decode()
    item62 = body[body.index('id="item-6.2"') : body.index('id="item-6.3"')]
    assert "sample country pages" in item62
    assert "ISU CCM" in item62


def test_meeting_page_links_its_pdf(client, demo):
    response = client.get("/meetings/2018-09-25/")
    assert reverse("portal:meeting_pdf", args=["2018-09-25"]) in response.content.decode()


def test_archive_lists_published_meetings_grouped_by_year(client, demo):
    text = page_text(client.get("/meetings/"))
    assert "2018" in text
    assert "Tuesday, 25 September 2018" in text


def test_archive_shows_only_published_minutes(client, demo):
    text = page_text(client.get("/meetings/"))
    assert "30 August" not in text  # adopted, not yet published
    assert "13 November" not in text  # a draft


def test_home_page_shows_latest_published_minutes(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "/meetings/2018-09-25/" in response.content.decode()


@pytest.mark.parametrize("path", ["/meetings/2018-11-13/", "/meetings/2018-11-13/minutes.pdf"])
def test_anonymous_visitor_gets_404_for_the_draft(client, demo, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/meetings/2018-08-30/", "/meetings/2018-08-30/minutes.pdf"])
def test_anonymous_visitor_gets_404_for_adopted_but_unpublished_minutes(client, demo, path):
    assert client.get(path).status_code == 404


def test_outsider_gets_404_for_the_draft(client, demo, outsider):
    client.force_login(outsider)
    assert client.get("/meetings/2018-11-13/").status_code == 404


def test_coordinator_gets_404_for_the_draft(client, demo, coordinator):
    client.force_login(coordinator)
    assert client.get("/meetings/2018-11-13/").status_code == 404


def test_isu_staff_can_read_the_draft(client, demo, isu_staff):
    client.force_login(isu_staff)
    response = client.get("/meetings/2018-11-13/")
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/meetings/", "/meetings/2018-09-25/"])
def test_no_public_page_mentions_the_draft(client, demo, path):
    text = page_text(client.get(path))
    assert "13 November" not in text
    assert "2018-11-13" not in client.get(path).content.decode()


@pytest.mark.parametrize("path", ["/meetings/not-a-date/", "/meetings/2018-02-30/", "/meetings/1999-01-01/"])
def test_a_meeting_address_that_names_no_meeting_is_a_404(client, demo, path):
    assert client.get(path).status_code == 404
