"""Who may use the drafting pages: ISU staff draft; coordinators and outsiders get 404 for
drafts (their existence must not leak), 403 where they may see but not act, and anonymous
visitors are sent to log in from every drafting page, whether the meeting exists or not."""

import pytest
from django.test import Client

from meetings.models import AgendaItem, AuditEntry

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED, ADOPTED = "2018-11-13", "2018-09-25", "2018-08-30"


def as_(persona, request):
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def meeting_pages(day):
    # The meeting is checked before the item, so a meeting without items still answers 403/404.
    item = AgendaItem.objects.filter(meeting__date=day).first() or AgendaItem(pk=999999)
    return [
        ("get", f"/drafting/{day}/"),
        ("get", f"/drafting/{day}/attendance/"),
        ("get", f"/drafting/{day}/items/{item.pk}/"),
        ("post", f"/drafting/{day}/items/add/"),
        ("post", f"/drafting/{day}/items/{item.pk}/move/"),
        ("post", f"/drafting/{day}/items/{item.pk}/remove/"),
        ("post", f"/drafting/{day}/follow-ups/"),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_the_workspace_sends_anonymous_to_log_in_and_refuses_others(persona, request, demo):
    client = as_(persona, request)
    for url in ("/drafting/", "/drafting/new/"):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
        else:
            assert response.status_code == 403


def test_a_coordinator_may_not_draft(coordinator, demo):
    client = Client()
    client.force_login(coordinator)
    assert client.get("/drafting/").status_code == 403
    assert "Only ISU staff draft minutes." in client.get("/drafting/new/").content.decode()
    assert client.post("/drafting/preview/", {"body": "x"}).status_code == 403


@pytest.mark.parametrize("day", [DRAFT, PUBLISHED, "1999-01-01"])
def test_anonymous_visitors_are_sent_to_log_in_from_every_drafting_page_existing_or_not(day, demo):
    client = Client()
    demo_rows = AuditEntry.objects.count()
    for method, url in meeting_pages(day):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert AuditEntry.objects.count() == demo_rows


@pytest.mark.parametrize("persona", ["outsider", "coordinator"])
def test_others_get_404_for_every_page_of_a_draft(persona, request, demo):
    client = as_(persona, request)
    demo_rows = AuditEntry.objects.count()
    for method, url in meeting_pages(DRAFT):
        assert getattr(client, method)(url).status_code == 404, url
    assert AuditEntry.objects.count() == demo_rows


@pytest.mark.parametrize("day", [PUBLISHED, ADOPTED])
def test_staff_get_403_with_a_clear_message_once_minutes_are_adopted(isu_staff, demo, day):
    client = Client()
    client.force_login(isu_staff)
    demo_rows = AuditEntry.objects.count()
    for method, url in meeting_pages(day):
        if url == f"/drafting/{day}/":
            method = "post"  # the meeting's own page opens read-only (see below)
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "adopted" in response.content.decode()
    assert AuditEntry.objects.count() == demo_rows


@pytest.mark.parametrize("day", [PUBLISHED, ADOPTED])
def test_staff_open_adopted_minutes_read_only_with_their_workflow_actions(isu_staff, demo, day):
    client = Client()
    client.force_login(isu_staff)
    response = client.get(f"/drafting/{day}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "the official record can no longer be changed" in html
    assert "meetings/_workflow_actions.html" in [t.name for t in response.templates]
    # The workflow's own buttons (publish) and the log-out form may post; nothing edits the record.
    assert 'action="/drafting/' not in html


def test_an_unknown_or_malformed_date_is_404(client, isu_staff, demo):
    client.force_login(isu_staff)
    assert client.get("/drafting/2099-01-01/").status_code == 404
    assert client.get("/drafting/not-a-date/").status_code == 404


def test_staff_see_unpublished_meetings_by_what_they_wait_for(client, isu_staff, demo):
    client.force_login(isu_staff)
    response = client.get("/drafting/")
    assert [m.date.isoformat() for m in response.context["drafts"]] == [DRAFT]
    assert [m.date.isoformat() for m in response.context["adopted"]] == [ADOPTED]
    html = response.content.decode()
    assert "Adopted, awaiting publication" in html
    assert f'href="/drafting/{DRAFT}/"' in html
    assert f'href="/meetings/{DRAFT}/minutes.pdf"' in html


def test_the_workspace_runs_a_constant_number_of_queries(client, isu_staff, demo, django_assert_max_num_queries):
    from tests.factories import MeetingFactory

    for _ in range(10):
        MeetingFactory(presidency=demo[DRAFT].presidency)
    client.force_login(isu_staff)
    # session, user, groups, ended silence procedures to close, meetings, running procedures, header count
    with django_assert_max_num_queries(7):
        assert client.get("/drafting/").status_code == 200


def test_the_meeting_page_runs_a_constant_number_of_queries(client, isu_staff, demo, django_assert_max_num_queries):
    client.force_login(isu_staff)
    # The workflow actions read the record once more, for what stops the next step; the stepper
    # counts the comments awaiting a reply and the latest version number; the documents section
    # lists the documents and offers the delegations that may present one; a withdrawn draft counts
    # the proposals waiting to be applied.
    with django_assert_max_num_queries(23):
        response = client.get(f"/drafting/{DRAFT}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview the PDF (DRAFT)" in html
    assert f'href="/meetings/{DRAFT}/"' in html


def test_the_meeting_page_includes_the_workflow_actions(client, isu_staff, demo):
    client.force_login(isu_staff)
    response = client.get(f"/drafting/{DRAFT}/")
    assert "meetings/_workflow_actions.html" in [t.name for t in response.templates]
