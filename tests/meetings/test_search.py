import re

import pytest
from django.db import connection

from meetings import search, workflow
from meetings.models import SearchDocument
from tests.factories import AgendaItemFactory, MeetingFactory, published_meeting, write_up

pytestmark = pytest.mark.django_db


def result_dates(response):
    """The dates of the meetings listed as results, read from the page as served (perhaps from cache)."""
    body = response.content.decode()
    if 'class="list-unstyled search-results"' not in body:
        return []
    results = body.split('class="list-unstyled search-results"', 1)[1].split("</ol>", 1)[0]
    # Each result's heading links its meeting; the decisions listed under it link their items.
    return re.findall(r'<h3 class="h6 mb-1"><a href="/meetings/(\d{4}-\d{2}-\d{2})/(?:#[\w.-]+)?"', results)


def found(response):
    match = re.search(r"(\d+) meetings? found", response.content.decode())
    return int(match.group(1)) if match else None


def test_a_search_for_a_word_of_the_seed_finds_25_september_2018(client, demo):
    response = client.get("/search/", {"q": "Caribbean"})
    assert response.status_code == 200
    assert result_dates(response) == ["2018-09-25"]
    assert "<mark>Caribbean</mark>" in response.content.decode()


def test_the_draft_appears_in_no_result_and_no_count(client, demo):
    # "Update by the Coordinators" is an item title of the 13 November 2018 draft only.
    response = client.get("/search/", {"q": "Coordinators"})
    assert "2018-11-13" not in result_dates(response)
    assert found(response) == 1
    everything = client.get("/search/", {"year": "2018"})
    assert result_dates(everything) == ["2018-09-25"]
    assert "13 November" not in everything.content.decode()


def test_only_published_meetings_have_a_search_entry(demo):
    assert sorted(d.meeting.date.isoformat() for d in SearchDocument.objects.all()) == ["2018-09-25"]


def test_publishing_minutes_makes_them_searchable(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, title="Stockpile destruction in Atlantis")
    write_up(meeting)
    assert result_dates(client.get("/search/", {"q": "Atlantis"})) == []
    later = MeetingFactory(presidency=meeting.presidency)
    workflow.enter_archived_adoption(meeting, at_meeting=later)
    assert result_dates(client.get("/search/", {"q": "Atlantis"})) == []
    workflow.publish(meeting)
    assert result_dates(client.get("/search/", {"q": "Atlantis"})) == [meeting.date.isoformat()]


def test_search_finds_names_action_points_and_decisions(client, demo):
    for words in ("Azeez", "Communicate the actual date", "second week of November"):
        assert result_dates(client.get("/search/", {"q": words})) == ["2018-09-25"], words


def test_filters_narrow_the_results(client, demo):
    assert result_dates(client.get("/search/", {"q": "Caribbean", "presidency": "9MSP"})) == ["2018-09-25"]
    assert result_dates(client.get("/search/", {"q": "Caribbean", "delegation": "chile"})) == ["2018-09-25"]
    other = published_meeting(items=1, delegations=1)
    assert result_dates(client.get("/search/", {"year": str(other.date.year)})) == [other.date.isoformat()]


def test_the_thematic_area_filter_keeps_meetings_with_an_item_on_that_area(client, demo):
    response = client.get("/search/")
    areas = dict((label, value) for value, label in response.context["form"].fields["thematic_area"].choices)
    assert result_dates(client.get("/search/", {"thematic_area": areas["Reporting"]})) == ["2018-09-25"]


def test_a_filter_value_that_does_not_exist_gets_a_clear_message(client, demo):
    response = client.get("/search/", {"year": "xyz", "delegation": "atlantis"})
    assert response.status_code == 200
    assert found(response) is None
    assert "Select a valid choice" in response.content.decode()


def test_a_very_long_query_gets_a_clear_message(client, demo):
    response = client.get("/search/", {"q": "Caribbean " * 100})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("page, notice", [("abc", "is not a page number"), ("999", "There is no page 999")])
def test_a_bad_page_number_shows_a_page_and_says_why(client, demo, page, notice):
    response = client.get("/search/", {"q": "Caribbean", "page": page})
    assert response.status_code == 200
    assert result_dates(response) == ["2018-09-25"]
    assert notice in response.content.decode()


def test_results_are_paginated(client, monkeypatch):
    monkeypatch.setattr("portal.views.RESULTS_PER_PAGE", 2)
    for _ in range(3):
        published_meeting(
            items=1,
            delegations=1,
            sub_items=0,
            before_adoption=lambda m: AgendaItemFactory(meeting=m, title="Atlantis"),
        )
    first = client.get("/search/", {"q": "Atlantis"})
    assert found(first) == 3
    assert len(result_dates(first)) == 2
    assert "page=2" in first.content.decode()
    assert len(result_dates(client.get("/search/", {"q": "Atlantis", "page": "2"}))) == 1


def test_the_snippet_escapes_the_record_text(client):
    published_meeting(
        items=0,
        delegations=1,
        sub_items=0,
        before_adoption=lambda m: AgendaItemFactory(
            meeting=m, title="Atlantis", body="Atlantis said <script>alert(1)</script> & more."
        ),
    )
    body = client.get("/search/", {"q": "Atlantis"}).content.decode()
    assert "<script>alert" not in body


def test_the_home_page_carries_the_search_form(client, demo):
    body = client.get("/").content.decode()
    assert 'action="/search/"' in body
    assert 'name="q"' in body


def test_reindex_rebuilds_entries_for_published_minutes_only(demo):
    SearchDocument.objects.all().delete()
    assert search.reindex() == 1
    assert SearchDocument.objects.get().meeting.date.isoformat() == "2018-09-25"


def test_postgresql_ranks_the_better_match_first(client, postgres):
    weak = published_meeting(
        items=0,
        delegations=1,
        sub_items=0,
        before_adoption=lambda m: AgendaItemFactory(
            meeting=m, title="Any other business", body="Atlantis was mentioned once."
        ),
    )
    strong = published_meeting(
        items=0,
        delegations=1,
        sub_items=0,
        before_adoption=lambda m: AgendaItemFactory(
            meeting=m, title="Atlantis", body="Atlantis, Atlantis and Atlantis again."
        ),
    )
    assert result_dates(client.get("/search/", {"q": "atlantis"})) == [strong.date.isoformat(), weak.date.isoformat()]


def test_postgresql_stems_words_and_highlights_them(client, demo, postgres):
    response = client.get("/search/", {"q": "universalizing"})
    assert result_dates(response) == ["2018-09-25"]
    assert "<mark>" in str(response.context["results"][0].snippet)


def test_postgresql_search_entries_have_a_gin_index(postgres, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'meetings_searchdocument'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("USING gin (vector)" in definition for definition in definitions)


@pytest.mark.parametrize("q", ['"', "-", "a & b | !c", "'; drop table", ":*", "the", "été", "<script>", "100%_"])
def test_odd_queries_are_answered_never_with_an_error(client, demo, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</form>", 1)[1]


def test_a_search_that_finds_nothing_says_so_and_suggests_what_to_try(client, demo):
    body = client.get("/search/", {"q": "Zanzibarian"}).content.decode()
    assert "No minutes match “Zanzibarian”." in body
    assert "Check the spelling" in body
    assert 'name="robots" content="noindex"' in body


@pytest.mark.parametrize(
    "words, anchor",
    [
        ("Chad", "#item-6.1"),  # 6.1 ISU Chad Mission, the only item that names Chad
        ("Jayasuriya", "#present"),  # named only in the attendance
    ],
)
def test_a_result_links_to_the_item_that_matches(client, demo, words, anchor):
    body = client.get("/search/", {"q": words}).content.decode()
    assert f'href="/meetings/2018-09-25/{anchor}"' in body


def test_a_result_opens_at_the_item_its_snippet_quotes(client, demo):
    # "Caribbean" is in items 4, 5.1 and 6.3: the link follows the passage shown.
    body = client.get("/search/", {"q": "Caribbean"}).content.decode()
    anchor = re.search(r'href="/meetings/2018-09-25/#(item-[\d.]+)"', body).group(1)
    snippet = re.search(r'<p class="search-snippet mb-0">(.*?)</p>', body, flags=re.S).group(1)
    quoted = re.search(r"(\S+ +){0,2}<mark>Caribbean</mark>( +\S+){0,2}", snippet).group(0)
    quoted = " ".join(quoted.replace("<mark>", "").replace("</mark>", "").split())
    page = client.get("/meetings/2018-09-25/").content.decode()
    section = page.split(f'id="{anchor}"', 1)[1].split('<section class="agenda-item"', 1)[0]
    assert quoted in " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_the_anchor_a_result_links_to_exists_on_the_meeting_page(client, demo):
    body = client.get("/search/", {"q": "Chad"}).content.decode()
    anchor = re.search(r'href="/meetings/2018-09-25/#([\w.-]+)"', body).group(1)
    assert f'id="{anchor}"' in client.get("/meetings/2018-09-25/").content.decode()
