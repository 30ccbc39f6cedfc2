import pytest
from django.urls import reverse

from tests.meetings.test_public_pages import page_text

pytestmark = pytest.mark.django_db


def test_english_is_the_default(client, demo):
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert "Latest published minutes" in page_text(response)


@pytest.mark.parametrize(
    "language, heading",
    [("fr", "Derniers procès-verbaux publiés"), ("es", "Últimas actas publicadas")],
)
def test_the_browsers_accept_language_picks_the_interface_language(client, demo, language, heading):
    response = client.get("/", headers={"accept-language": f"{language},en;q=0.5"})
    assert f'<html lang="{language}">' in response.content.decode()
    assert heading in page_text(response)


def test_an_unsupported_language_falls_back_to_english(client, demo):
    response = client.get("/", headers={"accept-language": "de"})
    assert '<html lang="en">' in response.content.decode()


def test_dates_read_naturally_in_each_language(client, demo):
    assert "25 September 2018" in page_text(client.get("/presidencies/9MSP/"))
    assert "25 septembre 2018" in page_text(client.get("/presidencies/9MSP/", headers={"accept-language": "fr"}))
    assert "25 de septiembre de 2018" in page_text(client.get("/presidencies/9MSP/", headers={"accept-language": "es"}))


def test_french_interface_around_the_record_as_written(client, demo):
    text = page_text(client.get("/meetings/2018-09-25/", headers={"accept-language": "fr"}))
    assert "Télécharger le procès-verbal (PDF)" in text
    # The record itself stays in the language it was written in.
    assert "held on Tuesday, 25 September 2018 from 12:30 – 14:30 hours" in text
    assert "5.1 Universalization (Panama & Chile)" in text


def test_the_tracker_speaks_french_but_quotes_the_record(client, demo):
    response = client.get("/action-points/", headers={"accept-language": "fr"})
    text = page_text(response)
    assert "9 points d’action" in text
    assert "En cours" in text
    assert '<span lang="en">Explore the possibility of creating a CCM legislation database.</span>' in (
        response.content.decode()
    )


def test_the_attendance_matrix_speaks_spanish(client, demo):
    text = page_text(client.get("/presidencies/9MSP/", headers={"accept-language": "es"}))
    assert "presente" in text and "excusas" in text
    assert "Presidencia de la 9MSP" in text


def test_every_page_offers_the_language_switcher_without_a_per_visitor_token(client, demo):
    body = client.get("/delegations/").content.decode()
    assert f'action="{reverse("set_language")}"' in body
    assert 'name="csrfmiddlewaretoken"' not in body  # so that the page can be cached for everyone
    assert 'value="fr"' in body and 'value="es"' in body


def test_the_switcher_remembers_the_choice_and_returns_to_the_page(client, demo):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/action-points/"})
    assert response.status_code == 302
    assert response["Location"] == "/action-points/"
    page = client.get("/action-points/")
    assert '<html lang="fr">' in page.content.decode()
    assert "Points d’action" in page_text(page)


def test_the_switcher_refuses_a_next_url_off_the_site(client, demo):
    response = client.post(reverse("set_language"), {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_switcher_works_without_a_csrf_token(demo):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302


def test_the_404_page_is_translated(client, demo):
    response = client.get("/no-such-page/", headers={"accept-language": "es"})
    assert response.status_code == 404
    assert "Página no encontrada" in page_text(response)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_interface_string_is_translated_and_compiled(language):
    import re

    from django.conf import settings

    folder = settings.BASE_DIR / "locale" / language / "LC_MESSAGES"
    catalogue = (folder / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in catalogue
    assert re.findall(r'^msgstr(?:\[\d\])? ""\n(?!")', catalogue, flags=re.M) == []
    assert (folder / "django.mo").stat().st_size > 0


def test_the_pdf_keeps_the_records_language_whatever_the_interface_language(demo):
    from django.utils import translation

    from meetings import pdf

    with translation.override("fr"):
        html = pdf.minutes_html(demo["2018-09-25"])
    assert "held on Tuesday, 25 September 2018" in html
    assert "septembre" not in html


def test_pages_tell_caches_that_they_vary_by_language(client, demo):
    response = client.get("/action-points/", headers={"accept-language": "fr"})
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]
