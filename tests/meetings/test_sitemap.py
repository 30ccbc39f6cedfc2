import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(SITE_URL="https://ccm.example.org")
def test_the_sitemap_lists_published_meetings_and_public_pages_on_the_canonical_host(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<loc>https://ccm.example.org/meetings/2018-09-25/</loc>" in body
    assert "<loc>https://ccm.example.org/search/</loc>" in body
    assert "2018-11-13" not in body
    assert "2018-08-30" not in body


@override_settings(SITE_URL="https://ccm.example.org")
def test_pages_name_their_canonical_address(client, demo):
    body = client.get("/meetings/2018-09-25/", {"utm_source": "x"}).content.decode()
    assert '<link rel="canonical" href="https://ccm.example.org/meetings/2018-09-25/">' in body


def test_another_spelling_of_a_meeting_date_redirects_to_its_canonical_address(client, demo):
    response = client.get("/meetings/20180925/")
    assert response.status_code == 301
    assert response["Location"] == "/meetings/2018-09-25/"


def test_healthz_answers_ok(client, db):
    assert client.get("/healthz").content == b"ok"
