"""Rendering reads the project's own static files and nothing else: no local files, no network,
no data: URLs, whether the attempt comes from the template's HTML, CSS or an item's Markdown."""

import pytest

from meetings import pdf
from tests import pdf_reader
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


class RecordingFetcher(pdf.StaticOnlyURLFetcher):
    """The real fetcher, remembering every URL it was asked for and whether it refused."""

    asked = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except pdf.RefusedURL:
            self.asked.append((url, "refused"))
            raise
        self.asked.append((url, "served"))
        return response


@pytest.fixture
def fetcher(monkeypatch):
    RecordingFetcher.asked = []
    monkeypatch.setattr(pdf, "StaticOnlyURLFetcher", RecordingFetcher)
    return RecordingFetcher


def page(body):
    return f'<!doctype html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/tracker.png",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "ccmstatic:../../../../etc/passwd",
        "ccmstatic:no/such/file.png",
    ],
)
def test_the_fetcher_refuses_anything_but_the_projects_static_files(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_serves_the_projects_own_stylesheet_and_fonts():
    assert b"@font-face" in pdf.StaticOnlyURLFetcher().fetch("ccmstatic:css/pdf.css").read()
    assert pdf.StaticOnlyURLFetcher().fetch("ccmstatic:vendor/source-serif-4.5.1/SourceSerif4-Regular.ttf").read()


def test_an_image_of_a_local_file_is_refused_and_weasyprint_says_so(fetcher, weasyprint_problems):
    content = pdf.render_html_to_pdf(page('<p>before</p><img src="file:///etc/passwd" alt="x"><p>after</p>'))
    assert ("file:///etc/passwd", "refused") in fetcher.asked
    assert "root:" not in pdf_reader.text(content)
    assert any("etc/passwd" in record.getMessage() for record in weasyprint_problems)
    weasyprint_problems.clear()


def test_a_link_to_the_cloud_metadata_address_is_never_fetched(fetcher):
    content = pdf.render_html_to_pdf(page('<p><a href="http://169.254.169.254/">metadata</a></p>'))
    assert not any("169.254.169.254" in url for url, _ in fetcher.asked)
    assert "metadata" in pdf_reader.text(content)


def test_a_css_import_is_refused(fetcher, weasyprint_problems):
    pdf.render_html_to_pdf(
        page('<style>@import url("http://169.254.169.254/x.css"); @import "file:///etc/passwd";</style><p>x</p>')
    )
    assert ("http://169.254.169.254/x.css", "refused") in fetcher.asked
    assert ("file:///etc/passwd", "refused") in fetcher.asked
    weasyprint_problems.clear()


def test_markdown_in_an_item_cannot_make_the_minutes_fetch_anything(fetcher):
    meeting = MeetingFactory()
    AgendaItemFactory(
        meeting=meeting,
        body=(
            '![secret](file:///etc/passwd) <img src="http://169.254.169.254/"> '
            "<style>@import url(file:///etc/passwd);</style>\n\n"
            "[metadata](http://169.254.169.254/latest/) "
            '<link rel="stylesheet" href="file:///etc/passwd">'
        ),
    )
    pdf.render_minutes_pdf(meeting)
    assert all(url.startswith("ccmstatic:") for url, _ in fetcher.asked), fetcher.asked


def test_presentational_hints_stay_off(monkeypatch):
    seen = {}
    original = pdf.weasyprint.HTML.write_pdf

    def spy(self, *args, **options):
        seen.update(options)
        return original(self, *args, **options)

    monkeypatch.setattr(pdf.weasyprint.HTML, "write_pdf", spy)
    pdf.render_html_to_pdf(page('<p><font size="7">hinted</font></p>'))
    assert seen["presentational_hints"] is False
