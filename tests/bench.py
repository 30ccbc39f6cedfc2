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


def bench_review(client):
    """Circulating a long agenda (the snapshot) and the review and versions pages on it."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from meetings import workflow
    from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

    staff = get_user_model().objects.create_superuser("bench-staff", "bench@example.org", "x")
    client.force_login(staff)
    meeting = MeetingFactory()
    for position in range(30):
        AttendanceFactory(meeting=meeting, position=position)
    body = "The Committee discussed the matter at length and agreed to return to it. " * 8
    items = [AgendaItemFactory(meeting=meeting, position=p, body=body) for p in range(200)]
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    started = time.perf_counter()
    workflow.circulate(meeting, by=staff, comment_deadline=deadline)
    emit("circulate_ms_200_items", (time.perf_counter() - started) * 1000, "ms")
    workflow.withdraw(meeting, by=staff)
    for item in items[::10]:
        item.body = item.body.replace("agreed", "decided")
        item.save()
    workflow.circulate(meeting, by=staff, comment_deadline=deadline)
    day = meeting.date.isoformat()
    review_url = reverse("meetings:meeting_review", args=[day])
    versions_url = reverse("meetings:meeting_versions", args=[day]) + "?from=1&to=2"
    client.get(review_url)
    emit("review_page_queries_200_items", count_queries(lambda: client.get(review_url)), "queries")
    emit("review_page_ms_200_items", median_ms(lambda: client.get(review_url), 5), "ms")
    emit("versions_diff_ms_200_items", median_ms(lambda: client.get(versions_url), 5), "ms")
    client.logout()


BENCHES = [bench_meeting_page, bench_pdf, bench_review]


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
