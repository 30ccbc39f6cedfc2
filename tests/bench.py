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

    # The seed's official PDF read back from its minutes.json and written (a day later, rolled back).
    import io

    from meetings import pdf
    from meetings.models import Meeting

    try:
        content = pdf.render_minutes_pdf(Meeting.objects.get(date="2018-09-25"))
    except pdf.PdfUnavailable:
        content = None
    if content is not None:

        def roundtrip():
            parsed = importer.read_minutes(io.BytesIO(content), name="seed.pdf", matcher=matcher)
            parsed.record["meeting"]["date"] = parsed.meeting["date"] = "2018-09-26"
            try:
                with transaction.atomic():
                    importer.write(parsed)
                    assert parsed.exact
                    raise RolledBack
            except RolledBack:
                pass

        emit("import_roundtrip_pdf_ms", median_ms(roundtrip, 5), "ms")

    from tests.meetings.test_importer_sources import seed_docx

    docx = seed_docx()
    emit(
        "import_docx_seed_ms",
        median_ms(lambda: importer.read_minutes(io.BytesIO(docx), name="seed.docx", matcher=matcher), 10),
        "ms",
    )


SEARCH_VOCABULARY = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in "aeiou" for c in ("ra", "lon", "mit", "sen")]
SEARCH_NEEDLE = "Tuvalu"  # a word that a fixed handful of meetings mention, however many there are


def synthetic_published_meetings(count, start):
    """`count` published meetings with their search entries, bulk-created for speed: the state the
    workflow leaves them in, without running it 10,000 times."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from delegations.models import Presidency
    from meetings import search
    from meetings.models import Meeting, SearchDocument
    from tests.factories import DelegationFactory

    rng = random.Random(count)
    presidency = Presidency.objects.create(
        name=f"B{count}", delegation=DelegationFactory(), starts_on=start, ends_on=start + timedelta(days=count + 1)
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            date=start + timedelta(days=n),
            presidency=presidency,
            status=Meeting.Status.PUBLISHED,
            silence_procedure_ends_at=now,
            adoption_outcome=Meeting.AdoptionOutcome.CORRECT_RECORD,
            published_at=now,
        )
        for n in range(count)
    )
    needles = set(rng.sample(range(count), 10))

    def words(n):
        return " ".join(rng.choice(SEARCH_VOCABULARY) for _ in range(n))

    SearchDocument.objects.bulk_create(
        (
            SearchDocument(
                meeting=meeting,
                date=meeting.date,
                year=meeting.date.year,
                presidency=presidency,
                title=f"Minutes of the meeting held on {meeting.date:%A, %d %B %Y}",
                items=words(400) + (f" {SEARCH_NEEDLE} " if n in needles else " ") + words(100),
                action_points=words(30),
                decisions=words(20),
                names=words(15),
            )
            for n, meeting in enumerate(meetings)
        ),
        batch_size=1000,
    )
    search.update_vectors(SearchDocument.objects.filter(presidency=presidency))


def bench_search(client):
    """p50 of the search page for a selective query over 100 and then 10,000 published meetings;
    each request differs by an ignored parameter so that the page cache does not answer it."""
    from datetime import date

    from django.db import connection

    from meetings.models import Meeting, SearchDocument

    counter = iter(range(10**9))

    def get():
        response = client.get("/search/", {"q": SEARCH_NEEDLE, "bench": next(counter)})
        assert response.status_code == 200 and b"10 meetings found" in response.content, response.content[-2000:]

    results = {}
    for count, start in ((100, date(1700, 1, 1)), (10_000, date(1750, 1, 1))):
        SearchDocument.objects.filter(meeting__date__lt=date(1800, 1, 1)).delete()
        Meeting.objects.filter(date__lt=date(1800, 1, 1)).delete()
        synthetic_published_meetings(count, start)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE meetings_searchdocument")
        get()  # warm up
        results[count] = median_ms(get, 21)
        emit(f"search_p50_ms_{count}", results[count], "ms")
    emit("search_p50_ratio_10000_to_100", results[10_000] / results[100], "ratio")


def wrk_rps(url, seconds=5):
    import re
    import subprocess

    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def bench_wrk_meeting_page(client):
    """Requests per second of the published seed meeting page under gunicorn (2 workers) over those of
    /healthz on the same server. Needs Debian's wrk (`apt-get install -y wrk`)."""
    import shutil
    import socket
    import subprocess
    import urllib.request

    from django.db import connection

    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk); wrk_meeting_page_ratio skipped", file=sys.stderr)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{settings['NAME']}"
    else:
        database_url = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": database_url, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "false"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ccm_portal.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        page = f"{base}/meetings/2018-09-25/"
        assert urllib.request.urlopen(page).status == 200
        wrk_rps(page, 2)  # warm both workers
        # Alternate the two, three rounds each, so that a noisy neighbour weighs on both alike.
        rounds = [(wrk_rps(f"{base}/healthz", 3), wrk_rps(page, 3)) for _ in range(3)]
        healthz = statistics.median(h for h, _ in rounds)
        meeting = statistics.median(m for _, m in rounds)
        emit("wrk_healthz_rps", healthz, "req/s")
        emit("wrk_meeting_page_rps", meeting, "req/s")
        emit("wrk_meeting_page_ratio", statistics.median(m / h for h, m in rounds), "ratio")
    finally:
        server.terminate()
        server.wait(10)


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


def bench_item_save(client):
    """One item edit through the drafting view: the POST, its revision check, audit row and redirect."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from meetings.models import AgendaItem
    from meetings.roles import ISU_STAFF_GROUP
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


def bench_signing(client):
    """Signing the seed's official PDF (a PAdES certification signature with the visible seal),
    and how much bigger the signed file is than the rendering."""
    from pathlib import Path

    from meetings import pdf, record_json, signing
    from meetings.models import Meeting
    from tests.signing_keys import make_key_pair

    seed = Meeting.objects.get(date="2018-09-25")
    rendering = pdf.render_minutes_pdf(seed)
    folder = Path(tempfile.mkdtemp(prefix="ccm-bench-keys-"))
    try:
        key = signing.load_key(*make_key_pair(folder, "Bench ISU")[:2])
        adoption = pdf.mark(record_json.document_for(seed))
        signed = signing.sign(rendering, adoption=adoption, key=key).content
        emit("sign_ms", median_ms(lambda: signing.sign(rendering, adoption=adoption, key=key), 7), "ms")
        emit("signed_pdf_size_ratio", len(signed) / len(rendering), "ratio")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


BENCHES = [
    bench_signing,
    bench_meeting_page,
    bench_pdf,
    bench_import,
    bench_review,
    bench_item_save,
    bench_search,
    bench_wrk_meeting_page,
]
RENDERING_BENCHES = {bench_meeting_page, bench_pdf}


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
    if connection.vendor == "sqlite":
        # A file, not the in-memory default, so that the gunicorn of the wrk benchmark sees it too.
        connection.settings_dict["TEST"]["NAME"] = str(settings.BASE_DIR / "var" / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddemo", verbosity=0)
        client = Client()
        for bench in BENCHES:
            if bench in RENDERING_BENCHES:
                # These measure rendering: the page cache must not answer for the view.
                with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
                    bench(client)
            else:
                bench(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        media.disable()


if __name__ == "__main__":
    main()
