import pytest

from meetings import workflow
from tests.factories import MeetingFactory, write_up

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/meetings/",
    "/meetings/2018-09-25/",
    "/search/?q=Caribbean",
    "/feeds/minutes.atom",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_answers_a_repeated_request_with_304(client, demo, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_publishing_minutes_changes_the_etag(client, demo):
    first = client.get("/meetings/")
    meeting = write_up(MeetingFactory(presidency=demo["2018-09-25"].presidency, date="2018-10-02"))
    workflow.enter_archived_adoption(meeting, at_meeting=demo["2018-11-13"])
    workflow.publish(meeting)
    again = client.get("/meetings/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "2 October 2018" in again.content.decode()


def test_a_cached_page_is_served_again_without_rendering(client, demo, django_assert_max_num_queries):
    client.get("/meetings/2018-09-25/")
    with django_assert_max_num_queries(1):
        response = client.get("/meetings/2018-09-25/")
    assert response.status_code == 200
    assert "Caribbean" in response.content.decode()


def test_logged_in_isu_staff_never_get_a_cached_page(client, demo, isu_staff):
    anonymous = client.get("/meetings/2018-09-25/")
    client.force_login(isu_staff)
    response = client.get("/meetings/2018-09-25/", headers={"If-None-Match": anonymous["ETag"]})
    assert response.status_code == 200
    assert "alice" in response.content.decode()
    assert "ETag" not in response
    assert "private" in response["Cache-Control"]


def test_staff_see_their_draft_and_it_is_never_cached_for_anyone(client, demo, isu_staff):
    client.force_login(isu_staff)
    assert client.get("/meetings/2018-11-13/").status_code == 200
    client.logout()
    assert client.get("/meetings/2018-11-13/").status_code == 404


def test_a_process_remembers_the_stamp_briefly_but_forgets_it_when_it_publishes(demo, monkeypatch):
    from portal import caching

    monkeypatch.setattr(caching, "STAMP_SECONDS", 60)
    before = caching.publication_stamp()
    assert caching.publication_stamp() is before
    meeting = write_up(MeetingFactory(presidency=demo["2018-09-25"].presidency, date="2018-10-02"))
    workflow.enter_archived_adoption(meeting, at_meeting=demo["2018-11-13"])
    workflow.publish(meeting)
    assert caching.publication_stamp()[0] != before[0]
