"""`make bench`: benchmark figures as JSON lines {"name", "value", "unit"}, on a throwaway test
database. Timings live here, never in tests."""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")


def emit(name, value, unit):
    print(json.dumps({"name": name, "value": round(value, 3) if isinstance(value, float) else value, "unit": unit}))
    sys.stdout.flush()


def median_ms(function, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def bench_meeting_page(client):
    from unittest import mock

    from tests.factories import published_meeting

    for items in (10, 1000):
        # Only the page is measured here: skip storing each synthetic meeting's official PDF.
        with mock.patch("meetings.workflow._after_adoption"):
            meeting = published_meeting(items=items, delegations=50, sub_items=0)
        url = meeting.get_absolute_url()

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get()  # warm up template and query caches
        emit(f"meeting_page_queries_{items}", count_queries(get), "queries")
        emit(f"meeting_page_ms_{items}", median_ms(get, 15 if items == 10 else 5), "ms")


def _pages(content):
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def bench_pdf(client):
    import weasyprint

    from meetings import pdf
    from meetings.models import Meeting
    from tests.factories import published_meeting

    seed = Meeting.objects.get(date="2018-09-25")
    html = pdf.minutes_html(seed)
    fetcher = pdf.StaticOnlyURLFetcher()
    # Interleaved, so that a busy machine slows all three alike and the ratios stay fair.
    full, bare, plain = [], [], []
    for _ in range(5):
        full.append(median_ms(lambda: pdf.render_minutes_pdf(seed), 1))
        bare.append(median_ms(lambda: pdf.render_html_to_pdf(html), 1))
        plain.append(
            median_ms(
                lambda: weasyprint.HTML(string=html, base_url=pdf.STATIC_SCHEME, url_fetcher=fetcher).write_pdf(), 1
            )
        )
    render_ms, bare_ms, plain_ms = (statistics.median(samples) for samples in (full, bare, plain))
    emit("pdf_ms_per_page_seed", render_ms / _pages(pdf.render_minutes_pdf(seed)), "ms/page")
    # What the portal adds around WeasyPrint (queries, minutes.json, template, attachment),
    # against WeasyPrint alone on the same HTML with the same archival options.
    emit("pdf_overhead_ratio", render_ms / bare_ms, "ratio")
    # What PDF/A-3b and tagging cost against a plain WeasyPrint PDF (for information).
    emit("pdf_archival_cost_ratio", bare_ms / plain_ms, "ratio")

    # Serving the stored official record against rendering it.
    url = seed.get_pdf_url()
    assert client.get(url).status_code == 200  # stores it if loaddemo's hook did not
    served_ms = median_ms(lambda: client.get(url), 20)
    emit("stored_pdf_ms", served_ms, "ms")
    emit("stored_pdf_speedup", render_ms / served_ms, "ratio")

    hundred = published_meeting(items=100, delegations=20, sub_items=1)
    content = pdf.render_minutes_pdf(hundred)
    emit("pdf_ms_per_page_100", median_ms(lambda: pdf.render_minutes_pdf(hundred), 3) / _pages(content), "ms/page")


def bench_import(client):
    from django.db import transaction

    from meetings import importer
    from tests.seed import SEED_FILE

    text = SEED_FILE.read_text(encoding="utf-8")
    matcher = importer.DelegationMatcher.from_db()
    emit("import_parse_seed_ms", median_ms(lambda: importer.parse(text, matcher=matcher), 15), "ms")

    class RolledBack(Exception):
        pass

    def write():
        # Into a fresh savepoint each time, rolled back, so every run writes the seed anew.
        try:
            with transaction.atomic():
                importer.write(importer.parse(text.replace("25 September 2018", "26 September 2018"), matcher=matcher))
                raise RolledBack
        except RolledBack:
            pass

    emit("import_write_seed_queries", count_queries(write), "queries")
    emit("import_write_seed_ms", median_ms(write, 5), "ms")


BENCHES = [bench_meeting_page, bench_pdf, bench_import]


def main():
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    # Official PDFs stored during the bench go to a throwaway folder, not var/media.
    media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="ccm-bench-media-"))
    media.enable()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddemo", verbosity=0)
        client = Client()
        for bench in BENCHES:
            bench(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        media.disable()


if __name__ == "__main__":
    main()
