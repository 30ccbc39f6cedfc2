import os
import re
import shutil
import subprocess

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import require
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


def _entries(po_text):
    """The msgids of a .po file's entries (the header, whose msgid is empty, left out)."""
    ids = []
    for block in re.findall(r'^msgid ((?:".*"\n)+)', po_text, flags=re.M):
        msgid = "".join(re.findall(r'"(.*)"', block))
        if msgid:
            ids.append(msgid)
    return ids


@pytest.fixture(scope="module")
def catalogues_as_makemessages_leaves_them(tmp_path_factory):
    """Run makemessages, with the README's flags, over a copy of the whole interface and its locale/,
    so that the test sees every string the code and templates ask for, not only those someone added."""
    from django.conf import settings
    from django.core.management import call_command

    require(
        shutil.which("xgettext") and shutil.which("msgmerge") and shutil.which("msgattrib"),
        "GNU gettext (xgettext, msgmerge, msgattrib) is not installed",
    )
    # makemessages writes to the locale folder beside the files it reads, so it reads a copy of the
    # sources: the real catalogues stay as they are.
    project = tmp_path_factory.mktemp("catalogues") / "project"
    shutil.copytree(
        settings.BASE_DIR, project, ignore=shutil.ignore_patterns(".*", "var", "static", "tests", "__pycache__", "*.mo")
    )
    here = os.getcwd()
    os.chdir(project)
    try:
        with override_settings(LOCALE_PATHS=[project / "locale"]):
            call_command(
                "makemessages",
                locale=["fr", "es"],
                ignore_patterns=[".venv", "var", "static", "tests"],
                no_location=True,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    copy = project / "locale"
    return copy


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("kind, flag", [("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")])
def test_no_interface_string_is_left_untranslated_or_fuzzy(
    catalogues_as_makemessages_leaves_them, language, kind, flag
):
    po = catalogues_as_makemessages_leaves_them / language / "LC_MESSAGES" / "django.po"
    leftovers = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    assert _entries(leftovers) == [], f"{kind} in the {language} catalogue"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_compiled_catalogue_matches_the_translations(catalogues_as_makemessages_leaves_them, language):
    """A .po translated but not compiled would leave the site in English."""
    import gettext

    from django.conf import settings

    require(shutil.which("msgfmt"), "GNU gettext (msgfmt) is not installed")
    po = catalogues_as_makemessages_leaves_them / language / "LC_MESSAGES" / "django.po"
    fresh = po.with_suffix(".mo")
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    committed = settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"
    with fresh.open("rb") as a, committed.open("rb") as b:
        expected, actual = gettext.GNUTranslations(a)._catalog, gettext.GNUTranslations(b)._catalog
    assert sorted(k for k in expected if expected[k] != actual.get(k)) == []


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


@pytest.mark.parametrize(
    "language, notice",
    [
        ("fr", "Ce procès-verbal n’existe qu’en anglais, langue de travail du Comité de coordination."),
        ("es", "Esta acta solo existe en inglés, idioma de trabajo del Comité de Coordinación."),
    ],
)
def test_a_french_or_spanish_reader_is_told_the_minutes_exist_in_english(client, demo, language, notice):
    assert notice in page_text(client.get("/meetings/2018-09-25/", headers={"accept-language": language}))


def test_an_english_reader_gets_no_language_notice(client, demo):
    assert "working language" not in page_text(client.get("/meetings/2018-09-25/"))
