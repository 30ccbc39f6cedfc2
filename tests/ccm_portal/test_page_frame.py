"""What every public page carries for keyboard, screen-reader and print users."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/meetings/", "/delegations/", "/presidencies/9MSP/", "/action-points/", "/decisions/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_starts_with_a_skip_link_to_its_main_landmark(client, demo, path):
    body = client.get(path).content.decode()
    first_link = body.index("<a ")
    assert body[first_link:].startswith('<a class="visually-hidden-focusable skip-link" href="#main">')
    assert '<main id="main"' in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_print_stylesheet(client, demo, path):
    assert 'media="print"' in client.get(path).content.decode()


def test_the_navigation_reaches_the_registers(client, demo):
    body = client.get("/").content.decode()
    for href in ['href="/action-points/"', 'href="/decisions/"', 'href="/delegations/"', 'href="/presidencies/"']:
        assert href in body


def test_a_missing_page_is_a_helpful_404(client, demo):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/meetings/"' in response.content.decode()
