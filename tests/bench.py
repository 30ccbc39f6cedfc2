"""`make bench`: benchmark figures as JSON lines {"name", "value", "unit"}, on a throwaway test
database. Timings live here, never in tests."""

import json
import os
import statistics
import sys
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
    from tests.factories import published_meeting

    for items in (10, 1000):
        meeting = published_meeting(items=items, delegations=50, sub_items=0)
        url = meeting.get_absolute_url()

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get()  # warm up template and query caches
        emit(f"meeting_page_queries_{items}", count_queries(get), "queries")
        emit(f"meeting_page_ms_{items}", median_ms(get, 15 if items == 10 else 5), "ms")


def bench_pdf(client):
    from pypdf import PdfReader

    from meetings import pdf
    from meetings.models import Meeting

    seed = Meeting.objects.get(date="2018-09-25")
    url = seed.get_pdf_url()
    content = client.get(url).content
    pages = len(PdfReader(__import__("io").BytesIO(content)).pages)
    view_ms = median_ms(lambda: client.get(url), 5)
    emit("pdf_ms_per_page_seed", view_ms / pages, "ms/page")
    html = pdf.minutes_html(seed)
    bare_ms = median_ms(lambda: pdf.render_html_to_pdf(html), 5)
    emit("pdf_overhead_ratio", view_ms / bare_ms, "ratio")


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
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddemo", verbosity=0)
        client = Client()
        for bench in BENCHES:
            bench(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
