"""The decisions register: /decisions/, its filters, its feed, its API and the delegation pages'
"Decisions on items it led", all drawn from published minutes as adopted."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.models import Delegation, ThematicArea
from meetings import workflow
from meetings.models import ItemLead
from tests.factories import (
    AgendaItemFactory,
    DecisionFactory,
    DelegationFactory,
    MeetingFactory,
    published_meeting,
    write_up,
)
from tests.meetings.test_api import conforms
from tests.meetings.test_public_pages import page_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SEPTEMBER_ADOPTION = (
    "The Minutes of the Coordination Committee Meeting held on 30 August 2018 were adopted as a correct record."
)
SEPTEMBER_NEXT = "The next Coordination Committee Meeting would be held in the second week of November 2018."
# The demo's minutes of 30 August are adopted but not yet published: their decision is not public.
AUGUST_NEXT = "The next meeting would be held on 25 September 2018."
UNPUBLISHED_TEXT = "The Committee agreed to keep this between coordinators."


def meeting_with_a_decision(text, led_by=None):
    """A draft whose one item, led by `led_by` if given, records a decision, written up so that it may go out."""
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, title="Any Other Business", position=0)
    DecisionFactory(agenda_item=item, text=text)
    if led_by:
        ItemLead.objects.create(agenda_item=item, delegation=led_by)
    return write_up(meeting)


@pytest.fixture
def unpublished(demo, isu_staff):
    """Decisions no reader of the public record may see: in a draft and in circulated minutes,
    on items led by "Leading State"."""
    leader = DelegationFactory(name="Leading State")
    draft = meeting_with_a_decision(UNPUBLISHED_TEXT + " (draft)", led_by=leader)
    circulated = meeting_with_a_decision(UNPUBLISHED_TEXT + " (circulated)", led_by=leader)
    workflow.circulate(circulated, by=isu_staff, comment_deadline=datetime.date.today() + datetime.timedelta(days=14))
    return {"draft": draft, "circulated": circulated}


def test_the_register_lists_the_seeds_decisions_newest_first_with_links_to_their_items(client, demo):
    response = client.get("/decisions/")
    assert response.status_code == 200
    text = page_text(response)
    assert "2 decisions" in text
    assert text.index(SEPTEMBER_ADOPTION) < text.index(SEPTEMBER_NEXT)
    body = response.content.decode()
    assert 'href="/meetings/2018-09-25/#item-3"' in body
    assert 'href="/meetings/2018-09-25/#item-8"' in body
    assert 'href="/meetings/2018-09-25/"' in body
    assert "3. Adoption of the Minutes" in text
    assert "8. Date of the Next Meeting" in text


def test_the_item_links_lead_to_the_item_on_the_meeting_page(client, demo):
    meeting_page = client.get("/meetings/2018-09-25/").content.decode()
    assert 'id="item-3"' in meeting_page
    assert 'id="item-8"' in meeting_page


def test_the_register_links_its_feed_and_json_and_the_navigation_links_the_register(client, demo):
    body = client.get("/decisions/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Decisions (Atom)" href="/feeds/decisions.atom">'
    ) in body
    assert 'href="/api/v1/decisions/"' in body
    assert 'href="/decisions/"' in client.get("/").content.decode()


@pytest.mark.parametrize("persona", [None, "outsider", "coordinator", "isu_staff"])
def test_no_reader_sees_decisions_of_unpublished_minutes_in_the_register(client, unpublished, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    text = page_text(client.get("/decisions/"))
    assert UNPUBLISHED_TEXT not in text
    assert AUGUST_NEXT not in text
    assert SEPTEMBER_NEXT in text


def test_decisions_of_unpublished_minutes_are_not_in_the_api_or_the_feed(client, unpublished):
    data = conforms(client.get("/api/v1/decisions/"), "/api/v1/decisions/")
    texts = [decision["text"] for decision in data["results"]]
    assert texts == [SEPTEMBER_ADOPTION, SEPTEMBER_NEXT]
    feed = client.get("/feeds/decisions.atom").content.decode()
    assert UNPUBLISHED_TEXT not in feed
    assert AUGUST_NEXT not in feed
    assert SEPTEMBER_NEXT in feed


def test_decisions_of_unpublished_minutes_are_not_on_the_pages_of_delegations_that_led_their_items(client, unpublished):
    text = page_text(client.get("/delegations/leading-state/"))
    assert UNPUBLISHED_TEXT not in text
    assert "No decision on an item it led in the published minutes." in text


def test_once_published_the_decision_appears_everywhere(client, demo, isu_staff):
    meeting = meeting_with_a_decision("The Committee agreed to meet again in spring.")
    workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today() + datetime.timedelta(days=14))
    assert "meet again in spring" not in page_text(client.get("/decisions/"))
    workflow.adopt(meeting, by=isu_staff, at_meeting=MeetingFactory(presidency=meeting.presidency))
    assert "meet again in spring" not in page_text(client.get("/decisions/"))
    workflow.publish(meeting, by=isu_staff)
    assert "meet again in spring" in page_text(client.get("/decisions/"))
    assert "meet again in spring" in client.get("/feeds/decisions.atom").content.decode()


def test_the_atom_feed_lists_decisions_with_links_to_their_items(client, demo):
    response = client.get("/feeds/decisions.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}summary").text for entry in entries] == [SEPTEMBER_ADOPTION, SEPTEMBER_NEXT]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0].endswith("/meetings/2018-09-25/#item-3")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 2
    assert entries[1].find(f"{ATOM}title").text == "Item 8, Date of the Next Meeting: meeting of 25 September 2018"


def test_the_api_lists_decisions_with_their_items_and_addresses(client, demo):
    data = conforms(client.get("/api/v1/decisions/"), "/api/v1/decisions/")
    assert data["count"] == 2
    first = data["results"][0]
    assert first["meeting_date"] == "2018-09-25"
    assert first["item"] == {"number": "3", "title": "Adoption of the Minutes", "leads": []}
    assert first["html_url"].endswith("/meetings/2018-09-25/#item-3")
    assert first["meeting_url"].endswith("/api/v1/meetings/2018-09-25/")
    assert first["text"] == SEPTEMBER_ADOPTION


@pytest.mark.parametrize(
    "query",
    [{"year": "twenty"}, {"year": "1999"}, {"presidency": "99MSP"}, {"area": "x"}, {"area": "999"}, {"q": "w" * 201}],
)
def test_a_bad_filter_is_a_clear_message_on_the_page_and_in_the_api(client, demo, query):
    response = client.get("/decisions/", query)
    assert response.status_code == 200
    text = page_text(response)
    assert "Some filters could not be used; correct them to see decisions." in text
    assert "0 decisions" in text
    api = client.get("/api/v1/decisions/", query)
    assert api.status_code == 400
    assert conforms(api, "/api/v1/decisions/")["detail"]


@pytest.mark.parametrize(("page", "status"), [("abc", 400), ("7", 404)])
def test_a_bad_page_in_the_api_is_a_json_error(client, demo, page, status):
    response = client.get("/api/v1/decisions/", {"page": page})
    assert response.status_code == status
    assert conforms(response, "/api/v1/decisions/")["detail"]


def test_a_page_number_beyond_the_last_shows_the_last_page(client, demo):
    assert SEPTEMBER_NEXT in page_text(client.get("/decisions/", {"page": "99"}))


@pytest.fixture
def two_terms(db):
    """Published minutes in two presidencies' terms, years apart; one item named after a thematic area."""
    area = ThematicArea.objects.create(name="Universalization", position=1)

    def universalization_item(meeting):
        item = AgendaItemFactory(meeting=meeting, title="Universalization", position=99)
        DecisionFactory(agenda_item=item, text="The coordinators would write to every signatory.")

    first = published_meeting(items=1, delegations=1, sub_items=0, before_adoption=universalization_item)
    second = published_meeting(items=2, delegations=1, sub_items=0)
    return {"area": area, "first": first, "second": second}


def test_the_register_filters_by_year(client, two_terms):
    first = two_terms["first"]
    text = page_text(client.get("/decisions/", {"year": first.date.year}))
    assert "2 decisions" in text
    assert "write to every signatory" in text


def test_the_register_filters_by_presidency(client, two_terms):
    second = two_terms["second"]
    data = conforms(client.get("/api/v1/decisions/", {"presidency": second.presidency.name}), "/api/v1/decisions/")
    assert data["count"] == 2
    assert {decision["meeting_date"] for decision in data["results"]} == {second.date.isoformat()}


def test_the_register_filters_by_thematic_area(client, two_terms):
    text = page_text(client.get("/decisions/", {"area": two_terms["area"].pk}))
    assert "1 decision" in text
    assert "The coordinators would write to every signatory." in text
    api = conforms(client.get("/api/v1/decisions/", {"area": two_terms["area"].pk}), "/api/v1/decisions/")
    assert [decision["item"]["title"] for decision in api["results"]] == ["Universalization"]


def test_the_register_finds_decisions_by_their_words(client, two_terms):
    text = page_text(client.get("/decisions/", {"q": "SIGNATORY every"}))
    assert "1 decision" in text
    assert "write to every signatory" in text


def test_the_register_lists_newest_meetings_first(client, two_terms):
    data = client.get("/api/v1/decisions/").json()
    dates = [decision["meeting_date"] for decision in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == two_terms["second"].date.isoformat()


def test_the_register_is_paginated_keeping_its_filters(client, db):
    meeting = published_meeting(items=55, delegations=1, sub_items=0)
    response = client.get("/decisions/", {"year": meeting.date.year})
    assert "55 decisions" in page_text(response)
    assert f"?year={meeting.date.year}&amp;page=2" in response.content.decode()
    data = client.get("/api/v1/decisions/", {"year": meeting.date.year}).json()
    assert len(data["results"]) == 50
    assert data["next"].endswith(f"/api/v1/decisions/?year={meeting.date.year}&page=2")
    assert len(client.get(data["next"]).json()["results"]) == 5


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/decisions/", "/api/v1/decisions/", "/feeds/decisions.atom"])
def test_the_query_count_does_not_grow_with_the_number_of_decisions(client, db, url):
    published_meeting(items=3, delegations=1, sub_items=0)
    few = queries_for(client, url)
    for _ in range(3):
        published_meeting(items=10, delegations=1, sub_items=0)
    assert queries_for(client, url + "?page=1") == few


def test_the_delegation_page_queries_do_not_grow_with_the_decisions_it_led(client, db):
    leader = DelegationFactory(name="Leading State")

    def led(meeting):
        for item in meeting.agenda_items.all():
            ItemLead.objects.get_or_create(agenda_item=item, delegation=leader)

    published_meeting(items=3, delegations=1, sub_items=0, before_adoption=led)
    few = queries_for(client, "/delegations/leading-state/")
    for _ in range(3):
        published_meeting(items=10, delegations=1, sub_items=0, before_adoption=led)
    assert queries_for(client, "/delegations/leading-state/?again") == few
    assert page_text(client.get("/delegations/leading-state/")).count("Meeting of ") == 33


def test_a_renamed_delegation_leaves_the_registers_item_leads_as_recorded(client, db):
    def led_by_chile(meeting):
        item = meeting.agenda_items.get(position=0)
        ItemLead.objects.filter(agenda_item=item).delete()
        ItemLead.objects.create(agenda_item=item, delegation=DelegationFactory(name="Chile"))
        DecisionFactory(agenda_item=item, text="Chile would report at the next meeting.")

    meeting = published_meeting(items=1, delegations=1, sub_items=0, before_adoption=led_by_chile)
    chile = Delegation.objects.get(name="Chile")
    chile.name = "Republic of Chile"
    chile.save()

    text = page_text(client.get("/decisions/"))
    assert "(Chile)" in text
    assert "Republic of Chile" not in text
    data = client.get("/api/v1/decisions/").json()
    assert {tuple(decision["item"]["leads"]) for decision in data["results"]} == {("Chile",)}
    # The delegation's page, found under its new name, still lists the decisions of the items it led.
    page = page_text(client.get(reverse("portal:delegation_detail", args=[chile.slug])))
    assert "Chile would report at the next meeting." in page
    assert meeting.date.strftime("%-d %B %Y") in page


def test_the_delegation_page_lists_decisions_on_items_it_led_in_published_minutes_only(client, demo, isu_staff):
    # In the demo, Panama and Chile lead 5.1 Universalization of 25 September, which records no decision.
    text = page_text(client.get("/delegations/panama/"))
    assert "Decisions on items it led" in text
    assert "No decision on an item it led in the published minutes." in text
    assert SEPTEMBER_NEXT not in text


def test_minutes_search_finds_a_decision_and_links_to_its_item(client, demo):
    response = client.get("/search/", {"q": "second week of November"})
    body = response.content.decode()
    assert 'href="/meetings/2018-09-25/#item-8">8. Date of the Next Meeting</a>' in body
    assert SEPTEMBER_NEXT in page_text(response)


def test_minutes_search_shows_no_decision_when_none_holds_the_words(client, demo):
    response = client.get("/search/", {"q": "Caribbean"})
    assert response.context["results"]
    assert "Decision under item" not in page_text(response)


def test_the_sitemap_lists_the_register(client, demo):
    assert "/decisions/</loc>" in client.get("/sitemap.xml").content.decode()
