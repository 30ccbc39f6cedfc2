import pytest
from django.test import Client

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


def test_a_cached_page_is_answered_before_the_address_is_even_resolved(
    client, demo, monkeypatch, django_assert_num_queries
):
    from django.urls.resolvers import URLResolver

    from portal import caching

    monkeypatch.setattr(caching, "STAMP_SECONDS", 60)  # as in production: the stamp read once a second
    client.get("/meetings/2018-09-25/")
    resolved = []
    resolve = URLResolver.resolve

    def counting_resolve(self, path):
        resolved.append(path)
        return resolve(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counting_resolve)
    with django_assert_num_queries(0):
        response = client.get("/meetings/2018-09-25/")
    assert response.status_code == 200
    assert "Caribbean" in response.content.decode()
    assert resolved == []
    client.get("/meetings/")  # not cached yet: resolved and rendered
    assert resolved


def test_a_page_answered_from_the_cache_keeps_every_header_of_the_first_answer(client, demo):
    first = client.get("/meetings/2018-09-25/")
    again = client.get("/meetings/2018-09-25/")
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
        "Vary",
        "ETag",
        "Last-Modified",
        "Cache-Control",
    ):
        assert again[header] == first[header], header
    assert again.content == first.content


def test_each_language_is_cached_apart_and_a_reader_gets_their_own(client, demo):
    french = client.get("/meetings/2018-09-25/", headers={"Accept-Language": "fr"})
    english = client.get("/meetings/2018-09-25/", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in client.get("/meetings/2018-09-25/", headers={"Accept-Language": "fr"}).content.decode()
    client.cookies["django_language"] = "es"
    spanish = client.get("/meetings/2018-09-25/", headers={"Accept-Language": "fr"})
    assert '<html lang="es">' in spanish.content.decode()
    assert spanish["Content-Language"] == "es"


def test_a_cached_page_is_refused_to_an_address_the_site_does_not_serve(client, demo):
    assert client.get("/meetings/2018-09-25/").status_code == 200
    assert client.get("/meetings/2018-09-25/", headers={"Host": "evil.example"}).status_code == 400


def test_a_cached_page_answers_a_conditional_request_with_304(client, demo):
    first = client.get("/meetings/2018-09-25/")
    client.get("/meetings/2018-09-25/")  # now from the cache
    again = client.get("/meetings/2018-09-25/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert "Content-Security-Policy" in again


def test_a_reader_with_pending_messages_gets_the_page_rendered_for_them(client, demo):
    client.get("/meetings/2018-09-25/")
    client.cookies["messages"] = "anything"
    response = client.get("/meetings/2018-09-25/")
    assert response.status_code == 200
    assert "ETag" not in response


def test_a_feed_served_from_the_cache_is_not_called_unmodified_after_a_back_dated_publication(client, demo):
    import datetime
    from unittest import mock

    from django.utils import timezone

    reader = client.get("/feeds/minutes.atom")
    meeting = write_up(MeetingFactory(presidency=demo["2018-09-25"].presidency, date="2018-10-02"))
    workflow.enter_archived_adoption(meeting, at_meeting=demo["2018-11-13"])
    # A minute later (Last-Modified counts whole seconds), published with an old publication date:
    # the feed's own latest date does not move.
    later = timezone.now() + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        workflow.publish(meeting, at=later - datetime.timedelta(days=3650))
    Client().get("/feeds/minutes.atom")  # another visitor fills the cache
    again = client.get("/feeds/minutes.atom", headers={"If-Modified-Since": reader["Last-Modified"]})
    assert again.status_code == 200
    assert again["Last-Modified"] != reader["Last-Modified"]
