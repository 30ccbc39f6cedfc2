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


def bench_item_save(client):
    """One item edit through the drafting view: the POST, its revision check, audit row and redirect."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from meetings.models import AgendaItem
    from meetings.permissions import ISU_STAFF_GROUP
    from tests.meetings.pages import form_data

    staff = User.objects.create_user("bench-isu", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name=ISU_STAFF_GROUP)[0])
    staff_client = Client()
    staff_client.force_login(staff)
    item = AgendaItem.objects.get(meeting__date="2018-11-13", title="Universalization")
    url = f"/drafting/2018-11-13/items/{item.pk}/"
    data = form_data(staff_client.get(url), "form", "action_points", "decisions")
    state = {"n": 0}

    def save():
        state["n"] += 1
        data["revision"] = str(int(data["revision"]) + (1 if state["n"] > 1 else 0))
        data["body"] = f"{item.body}\n\nEdit {state['n']}."
        response = staff_client.post(url, data)
        assert response.status_code == 302, response.status_code

    save()
    emit("item_save_queries", count_queries(save), "queries")
    emit("item_save_ms", median_ms(save, 15), "ms")


BENCHES = [bench_meeting_page, bench_pdf, bench_item_save]


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
