"""`make bench`: benchmark figures as JSON lines {"name", "value", "unit"}, on a throwaway test
database. Timings live here, never in tests. `BENCH_QUICK=1` runs every benchmark at small sizes
(CI does, so that the bench cannot rot); the figures' names carry the sizes they were taken at.
Nothing here deletes a record: what a benchmark adds for itself it adds inside a transaction that it
rolls back, so adopted minutes stay as frozen here as anywhere else."""

import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")
QUICK = os.environ.get("BENCH_QUICK", "").lower() in ("1", "true", "yes")


def size(full, quick):
    return quick if QUICK else full


class RolledBack(Exception):
    pass


def rolled_back(function):
    """Run `function` in a transaction and roll it back, whatever it wrote."""
    from django.db import transaction

    try:
        with transaction.atomic():
            function()
            raise RolledBack
    except RolledBack:
        pass


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

    big = size(1000, 100)
    gets = {}
    for items in (10, big):
        # Only the page is measured here: skip storing each synthetic meeting's official PDF.
        with mock.patch("meetings.workflow._after_adoption"):
            meeting = published_meeting(items=items, delegations=50, sub_items=0)

        url = meeting.get_absolute_url()

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        get()  # warm up template and query caches
        emit(f"meeting_page_queries_{items}", count_queries(get), "queries")
        gets[items] = get
    # The two pages are timed in alternating rounds, so that a slower spell of the machine weighs on
    # both alike (measured one after the other, the ratio drifted between 12 and 21 for the same code).
    samples = {10: [], big: []}
    for _ in range(size(7, 3)):
        samples[10].append(median_ms(gets[10], 3))
        samples[big].append(median_ms(gets[big], 1))
    page_ms = {items: statistics.median(values) for items, values in samples.items()}
    for items in (10, big):
        emit(f"meeting_page_ms_{items}", page_ms[items], "ms")
    # Goal <= 20 for 1,000 items: the page grows no faster than its content.
    emit(f"meeting_page_ms_{big}_over_10", page_ms[big] / page_ms[10], "ratio")


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
    for _ in range(size(5, 1)):
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
    served_ms = median_ms(lambda: client.get(url), size(20, 5))
    emit("stored_pdf_ms", served_ms, "ms")
    emit("stored_pdf_speedup", render_ms / served_ms, "ratio")

    items = size(100, 10)
    hundred = published_meeting(items=items, delegations=20, sub_items=1)
    content = pdf.render_minutes_pdf(hundred)
    per_page = median_ms(lambda: pdf.render_minutes_pdf(hundred), size(3, 1)) / _pages(content)
    emit(f"pdf_ms_per_page_{items}", per_page, "ms/page")


def bench_import(client):
    from meetings import importer
    from tests.seed import SEED_FILE

    text = SEED_FILE.read_text(encoding="utf-8")
    matcher = importer.DelegationMatcher.from_db()
    emit("import_parse_seed_ms", median_ms(lambda: importer.parse(text, matcher=matcher), size(15, 3)), "ms")

    def write():
        # Into a fresh savepoint each time, rolled back, so every run writes the seed anew.
        rolled_back(
            lambda: importer.write(
                importer.parse(text.replace("25 September 2018", "26 September 2018"), matcher=matcher)
            )
        )

    emit("import_write_seed_queries", count_queries(write), "queries")
    emit("import_write_seed_ms", median_ms(write, size(5, 2)), "ms")

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

            def write_exactly():
                importer.write(parsed)
                assert parsed.exact

            rolled_back(write_exactly)

        emit("import_roundtrip_pdf_ms", median_ms(roundtrip, size(5, 2)), "ms")

    from tests.meetings.test_importer_sources import seed_docx

    docx = seed_docx()
    emit(
        "import_docx_seed_ms",
        median_ms(lambda: importer.read_minutes(io.BytesIO(docx), name="seed.docx", matcher=matcher), size(10, 3)),
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
    from meetings.models import Meeting, MinutesVersion, SearchDocument
    from tests.factories import DelegationFactory

    rng = random.Random(count)
    presidency = Presidency.objects.create(
        name=f"B{count}", delegation=DelegationFactory(), starts_on=start, ends_on=start + timedelta(days=count + 1)
    )
    now = timezone.now()
    # Drafts first, then each one's adopted version, then published naming it (as the database's
    # constraints require of published minutes).
    meetings = Meeting.objects.bulk_create(
        Meeting(date=start + timedelta(days=n), presidency=presidency) for n in range(count)
    )
    versions = MinutesVersion.objects.bulk_create(
        MinutesVersion(meeting=meeting, number=1, comment_deadline=meeting.date, snapshot={}) for meeting in meetings
    )
    for meeting, version in zip(meetings, versions, strict=True):
        meeting.status = Meeting.Status.PUBLISHED
        meeting.adopted_version = version
        meeting.adopted_record = {"items": []}
        meeting.silence_procedure_ends_at = now
        meeting.adoption_outcome = Meeting.AdoptionOutcome.CORRECT_RECORD
        meeting.published_at = now
    fields = ["status", "adopted_version", "adopted_record", "silence_procedure_ends_at", "adoption_outcome"]
    Meeting.objects.bulk_update(meetings, [*fields, "published_at"], batch_size=500)
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
    each request differs by an ignored parameter so that the page cache does not answer it. Each
    size's meetings live in a transaction rolled back afterwards: published minutes cannot be
    deleted, so the next size starts from the same database instead."""
    from datetime import date

    from django.db import connection

    counter = iter(range(10**9))

    def get():
        response = client.get("/search/", {"q": SEARCH_NEEDLE, "bench": next(counter)})
        assert response.status_code == 200 and b"10 meetings found" in response.content, response.content[-2000:]

    results = {}
    small, large = size(100, 20), size(10_000, 200)

    def measure(count):
        synthetic_published_meetings(count, date(1700, 1, 1))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE meetings_searchdocument")
        get()  # warm up
        results[count] = median_ms(get, size(21, 5))
        emit(f"search_p50_ms_{count}", results[count], "ms")

    for count in (small, large):
        rolled_back(lambda count=count: measure(count))
    emit(f"search_p50_ratio_{large}_to_{small}", results[large] / results[small], "ratio")


def wrk_rps(url, seconds=5):
    import re
    import subprocess

    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


@contextlib.contextmanager
def gunicorn_server():
    """The portal as production runs it (gunicorn.conf.py: 2 workers of 4 threads, DEBUG off) on the bench database;
    yields its base URL."""
    import socket
    import subprocess
    import urllib.request

    from django.db import connection

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{settings['NAME']}"
    else:
        database_url = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "SITE_URL": base,
        "MEDIA_ROOT": str(django_settings().MEDIA_ROOT),
        # The bench logs its staff in by session cookie: a second factor is tested elsewhere.
        "MFA_REQUIRED": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "CRITICAL",
        "SECURITY_LOG_LEVEL": "CRITICAL",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ccm_portal.wsgi:application", "-c", "gunicorn.conf.py"]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def django_settings():
    from django.conf import settings

    return settings


def http_get(url, headers=None):
    """(status, body) of a GET, 4xx and 5xx included."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def p50_ms(url, count):
    def get():
        status, _ = http_get(url)
        assert status == 200, status

    return median_ms(get, count)


def p50_ms_during(url, seconds):
    """The p50 of GETs of `url` sent one after another, 20 ms apart, for `seconds`: a window long
    enough to see the load's steady state, not only its first half second."""
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        status, _ = http_get(url)
        assert status == 200, status
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.02)
    return round(statistics.median(times), 3)


@contextlib.contextmanager
def hammering(count, request):
    """`count` threads calling `request()` in a loop until the block ends."""
    import threading

    stop = threading.Event()

    def loop():
        while not stop.is_set():
            request(stop)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let the load build up
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)


def bench_server(client):
    """Figures taken against gunicorn: the cached meeting page under wrk, and the public home page's
    p50 while staff render draft PDFs and while a flood of wrong passwords hits the login page."""
    with gunicorn_server() as base:
        bench_wrk_meeting_page(base)
        bench_draft_pdf_load(base)
        bench_login_flood(base)


def bench_wrk_meeting_page(base):
    """Requests per second of the published seed meeting page (from the page cache) over those of
    /healthz?live (a trivial response) on the same server. Needs Debian's wrk (`apt-get install -y wrk`)."""
    import shutil

    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk); wrk_meeting_page_ratio skipped", file=sys.stderr)
        return
    page = f"{base}/meetings/2018-09-25/"
    assert http_get(page)[0] == 200
    seconds = size(3, 1)
    wrk_rps(page, seconds)  # warm both workers
    # Alternate the two, five rounds each, so that a noisy neighbour weighs on both alike (a single
    # run on this kind of shared machine can be off by half either way).
    rounds = [(wrk_rps(f"{base}/healthz?live", seconds), wrk_rps(page, seconds)) for _ in range(size(5, 1))]
    healthz = statistics.median(h for h, _ in rounds)
    meeting = statistics.median(m for _, m in rounds)
    emit("wrk_healthz_rps", healthz, "req/s")
    emit("wrk_meeting_page_rps", meeting, "req/s")
    # Goal >= 0.9: a cached published page costs about what the trivial page does.
    emit("wrk_meeting_page_ratio", statistics.median(m / h for h, m in rounds), "ratio")


def staff_session_cookie(username):
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from meetings.roles import ISU_STAFF_GROUP

    staff = User.objects.create_user(username, is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name=ISU_STAFF_GROUP)[0])
    browser = Client()
    browser.force_login(staff)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


def bench_draft_pdf_load(base):
    """The public home page's p50 while 16 staff ask for a draft PDF at once, over its p50 at rest
    (goal <= 2). A staff member told "busy, try again" (503) tries again a second later."""
    cookie = staff_session_cookie("bench-draft-pdf")
    draft_pdf = f"{base}/meetings/2018-11-13/minutes.pdf"
    status, body = http_get(draft_pdf, {"Cookie": cookie})
    assert status == 200 and body.startswith(b"%PDF"), status
    home = f"{base}/"
    count = size(50, 15)
    p50_ms(home, 5)  # warm up
    at_rest = p50_ms(home, count)
    answers = {}

    def render(stop):
        status, _ = http_get(draft_pdf, {"Cookie": cookie})
        answers[status] = answers.get(status, 0) + 1
        if status == 503:
            stop.wait(1)

    with hammering(16, render):
        loaded = p50_ms(home, count)
    emit("home_p50_ms_at_rest", at_rest, "ms")
    emit("home_p50_ms_16_draft_pdfs", loaded, "ms")
    emit("draft_pdf_busy_answers", answers.get(503, 0), "responses")
    emit("draft_pdf_home_p50_ratio", loaded / at_rest, "ratio")


def bench_login_flood(base):
    """The public home page's p50 while four connections guess a staff member's password as fast as
    they are answered, over its p50 at rest (goal <= 1.5)."""
    import http.client
    import re
    import urllib.parse

    from django.contrib.auth.models import User

    User.objects.create_user("bench-flooded", password="the right password, long enough")
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    attempts = {}

    def guess(stop):
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            connection.request("GET", "/accounts/login/")
            response = connection.getresponse()
            page = response.read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
            while not stop.is_set():
                body = urllib.parse.urlencode(
                    {"csrfmiddlewaretoken": token, "username": "bench-flooded", "password": "wrong guess"}
                )
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"}
                connection.request("POST", "/accounts/login/", body, headers)
                response = connection.getresponse()
                response.read()
                attempts[response.status] = attempts.get(response.status, 0) + 1
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()

    home = f"{base}/"
    seconds = size(6, 3)
    at_rest = p50_ms_during(home, seconds)
    with hammering(4, guess):
        loaded = p50_ms_during(home, seconds)
    emit("login_flood_attempts", sum(attempts.values()), "requests")
    emit("login_flood_home_p50_ratio", loaded / at_rest, "ratio")


def bench_review(client):
    """Circulating a long agenda (the snapshot) and the review and versions pages on it."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from meetings import workflow
    from tests.factories import AgendaItemFactory, AttendeeFactory, MeetingFactory

    staff = get_user_model().objects.create_superuser("bench-staff", "bench@example.org", "x")
    client.force_login(staff)
    meeting = MeetingFactory()
    # Thirty delegations present, each with its representative, as minutes must be to circulate.
    for position in range(30):
        AttendeeFactory(attendance__meeting=meeting, attendance__position=position)
    body = "The Committee discussed the matter at length and agreed to return to it. " * 8
    count = size(200, 20)
    items = [AgendaItemFactory(meeting=meeting, position=p, body=body) for p in range(count)]
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    started = time.perf_counter()
    workflow.circulate(meeting, by=staff, comment_deadline=deadline)
    emit(f"circulate_ms_{count}_items", (time.perf_counter() - started) * 1000, "ms")
    workflow.withdraw(meeting, by=staff)
    for item in items[::10]:
        item.body = item.body.replace("agreed", "decided")
        item.save()
    workflow.circulate(meeting, by=staff, comment_deadline=deadline)
    day = meeting.date.isoformat()
    review_url = reverse("meetings:meeting_review", args=[day])
    versions_url = reverse("meetings:meeting_versions", args=[day]) + "?from=1&to=2"
    client.get(review_url)
    emit(f"review_page_queries_{count}_items", count_queries(lambda: client.get(review_url)), "queries")
    emit(f"review_page_ms_{count}_items", median_ms(lambda: client.get(review_url), size(5, 2)), "ms")
    emit(f"versions_diff_ms_{count}_items", median_ms(lambda: client.get(versions_url), size(5, 2)), "ms")
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
    emit("item_save_ms", median_ms(save, size(15, 3)), "ms")


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
    bench_server,
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
    # The in-process client speaks plain http, and its staff log in with a password alone (the
    # second factor has its own tests).
    media = override_settings(
        MEDIA_ROOT=tempfile.mkdtemp(prefix="ccm-bench-media-"), SECURE_SSL_REDIRECT=False, MFA_REQUIRED=False
    )
    media.enable()
    if connection.vendor == "sqlite":
        # A file, not the in-memory default, so that the gunicorn of the wrk benchmark sees it too.
        connection.settings_dict["TEST"]["NAME"] = str(settings.BASE_DIR / "var" / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddemo", verbosity=0)
        client = Client()
        # BENCH_ONLY=server,pdf runs only the benches whose names contain one of those words.
        only = [word for word in os.environ.get("BENCH_ONLY", "").split(",") if word]
        for bench in BENCHES:
            if only and not any(word in bench.__name__ for word in only):
                continue
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
