"""No lost edits: when two staff members edit the same item or meeting, the second save is
refused with what changed, and the second person's text stays in the form to merge."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from meetings import workflow
from meetings.models import AgendaItem, Attendance, AuditEntry, Meeting
from tests.factories import later_meeting, meeting_in
from tests.meetings.pages import admin_form_data, form_data

DRAFT = "2018-11-13"


@pytest.fixture
def item(demo):
    return AgendaItem.objects.get(meeting=demo[DRAFT], title="Update by the Presidency")


@pytest.fixture
def second_staff(django_user_model):
    """Erin, also of the ISU, editing at the same time as Alice."""
    from django.contrib.auth.models import Group

    from meetings.roles import ISU_STAFF_GROUP

    user = django_user_model.objects.create_user(username="erin", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=ISU_STAFF_GROUP)[0])
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def item_url(item):
    return f"/drafting/{DRAFT}/items/{item.pk}/"


def opened(client, url, *forms):
    return form_data(client.get(url), *forms)


ITEM_FORMS = ("form", "action_points", "decisions")


@pytest.mark.django_db
def test_the_second_item_save_is_refused_with_a_diff_and_keeps_the_text(isu_staff, second_staff, item):
    alice, erin = logged_in(isu_staff), logged_in(second_staff)
    alice_form = opened(alice, item_url(item), *ITEM_FORMS)
    erin_form = opened(erin, item_url(item), *ITEM_FORMS)

    assert erin.post(item_url(item), {**erin_form, "body": "The President reported on Geneva."}).status_code == 302
    response = alice.post(item_url(item), {**alice_form, "body": "The President reported on Oslo."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this after you opened it." in html
    assert "<ins>The President reported on Geneva.</ins>" in html
    assert "The President reported on Oslo.</textarea>" in html
    item.refresh_from_db()
    assert item.body == "The President reported on Geneva."
    assert response.context["form"]["revision"].value() == "2"

    # A deliberate resubmit, once merged, goes through.
    merged = {**form_data(response, *ITEM_FORMS), "body": "The President reported on Geneva and Oslo."}
    assert alice.post(item_url(item), merged).status_code == 302
    item.refresh_from_db()
    assert item.body == "The President reported on Geneva and Oslo."
    assert item.revision == 3


@pytest.mark.django_db
def test_the_second_meeting_save_is_refused_with_what_changed(isu_staff, second_staff, demo):
    url = f"/drafting/{DRAFT}/"
    alice, erin = logged_in(isu_staff), logged_in(second_staff)
    alice_form, erin_form = opened(alice, url, "form"), opened(erin, url, "form")

    assert erin.post(url, {**erin_form, "venue": "Palais des Nations"}).status_code == 302
    response = alice.post(url, {**alice_form, "venue": "Online"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this after you opened it." in html
    assert "<ins>Palais des Nations</ins>" in html
    assert 'value="Online"' in html
    assert Meeting.objects.get(date=DRAFT).venue == "Palais des Nations"
    assert alice.post(url, form_data(response, "form")).status_code == 302
    assert Meeting.objects.get(date=DRAFT).venue == "Online"


@pytest.mark.django_db
def test_the_second_attendance_save_is_refused(isu_staff, second_staff, demo):
    url = f"/drafting/{DRAFT}/attendance/"
    alice, erin = logged_in(isu_staff), logged_in(second_staff)
    alice_form = opened(alice, url, "formset", "revision_form")
    erin_form = opened(erin, url, "formset", "revision_form")
    assert erin.post(url, erin_form).status_code == 302
    response = alice.post(url, {**alice_form, "form-3-status": "apologies"})
    assert response.status_code == 200
    assert "Someone else saved the attendance" in response.content.decode()
    assert response.context["revision_form"]["revision"].value() == "2"


def _race(users, url, forms, changes):
    """Each user opens the page (one after the other, so each response's context is its own: the
    test client gathers rendered contexts from every thread), then all save at once, each on their
    own database connection. Returns the responses' status codes."""
    clients = [logged_in(user) for user in users]
    opened_forms = [opened(client, url, *forms) for client in clients]
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)
    errors = []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = clients[index].post(url, {**opened_forms[index], **changes[index]}).status_code
        except Exception as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_item_saves_on_postgresql_lose_no_update(postgres, isu_staff, second_staff, item):
    texts = ["Alice's account of the update.", "Erin's account of the update."]
    codes = _race([isu_staff, second_staff], item_url(item), ITEM_FORMS, [{"body": texts[0]}, {"body": texts[1]}])
    assert sorted(codes) == [200, 302]
    winner = texts[codes.index(302)]
    item.refresh_from_db()
    assert item.body == winner
    assert item.revision == 2
    changes = AuditEntry.objects.filter(action="item.changed")
    assert changes.count() == 1
    assert changes.get().changes["body"][1] == winner


@pytest.mark.django_db(transaction=True)
def test_concurrent_meeting_saves_on_postgresql_lose_no_update(postgres, isu_staff, second_staff, demo):
    url = f"/drafting/{DRAFT}/"
    venues = ["Palais des Nations", "Online"]
    codes = _race([isu_staff, second_staff], url, ["form"], [{"venue": venues[0]}, {"venue": venues[1]}])
    assert sorted(codes) == [200, 302]
    meeting = Meeting.objects.get(date=DRAFT)
    assert meeting.venue == venues[codes.index(302)]
    assert meeting.revision == 2
    assert AuditEntry.objects.filter(action="meeting.changed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_attendance_saves_on_postgresql_lose_no_update(postgres, isu_staff, second_staff, demo):
    url = f"/drafting/{DRAFT}/attendance/"
    codes = _race(
        [isu_staff, second_staff],
        url,
        ["formset", "revision_form"],
        [{"form-3-status": "present"}, {"form-3-status": "absent"}],
    )
    assert sorted(codes) == [200, 302]
    zambia = Attendance.objects.filter(meeting__date=DRAFT, delegation__name="Zambia")
    if codes[0] == 302:
        assert zambia.get().status == "present"
    else:
        assert not zambia.exists()
    assert Meeting.objects.get(date=DRAFT).attendance_revision == 2


@pytest.mark.django_db
def test_a_tampered_revision_is_a_form_error(isu_staff, demo):
    client = logged_in(isu_staff)
    url = f"/drafting/{DRAFT}/"
    response = client.post(url, {**opened(client, url, "form"), "revision": "zero", "venue": "Online"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert Meeting.objects.get(date=DRAFT).venue != "Online"


@pytest.fixture
def admin_client(isu_staff):
    """Alice in the admin, with every model permission, so only the rules of the record can say no."""
    isu_staff.is_superuser = True
    isu_staff.save()
    return logged_in(isu_staff)


def _admin_meeting_page(client, meeting):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    return url, admin_form_data(client.get(url))


@pytest.mark.django_db
def test_an_admin_inline_edit_makes_an_open_attendance_sheet_stale(admin_client, second_staff, demo):
    url = f"/drafting/{DRAFT}/attendance/"
    erin = logged_in(second_staff)
    sheet = opened(erin, url, "formset", "revision_form")
    admin_url, data = _admin_meeting_page(admin_client, demo[DRAFT])
    row = Attendance.objects.filter(meeting=demo[DRAFT]).order_by("position", "id").first()
    index = next(i for i in range(int(data["attendance-TOTAL_FORMS"])) if data[f"attendance-{i}-id"] == str(row.pk))
    assert (
        admin_client.post(admin_url, {**data, f"attendance-{index}-label": "Changed in the admin"}).status_code == 302
    )

    response = erin.post(url, sheet)

    assert response.status_code == 200
    assert "Someone else saved the attendance" in response.content.decode()
    assert Attendance.objects.get(pk=row.pk).label == "Changed in the admin"


@pytest.mark.django_db
def test_an_admin_inline_edit_makes_an_open_item_form_stale(admin_client, second_staff, demo, item):
    erin = logged_in(second_staff)
    form = opened(erin, item_url(item), *ITEM_FORMS)
    admin_url, data = _admin_meeting_page(admin_client, demo[DRAFT])
    index = next(
        i for i in range(int(data["agenda_items-TOTAL_FORMS"])) if data[f"agenda_items-{i}-id"] == str(item.pk)
    )
    changed = {**data, f"agenda_items-{index}-body": "Changed in the admin."}
    assert admin_client.post(admin_url, changed).status_code == 302

    response = erin.post(item_url(item), {**form, "body": "Erin's text."})

    assert response.status_code == 200
    assert "Someone else saved this after you opened it" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).body == "Changed in the admin."


@pytest.mark.django_db
def test_an_admin_edit_of_an_attendance_row_makes_an_open_sheet_stale(admin_client, second_staff, demo):
    url = f"/drafting/{DRAFT}/attendance/"
    erin = logged_in(second_staff)
    sheet = opened(erin, url, "formset", "revision_form")
    row = Attendance.objects.filter(meeting=demo[DRAFT]).order_by("position", "id").first()
    row_url = reverse("admin:meetings_attendance_change", args=[row.pk])
    data = admin_form_data(admin_client.get(row_url))
    assert admin_client.post(row_url, {**data, "label": "Changed in the admin"}).status_code == 302

    assert "Someone else saved the attendance" in erin.post(url, sheet).content.decode()
    assert Attendance.objects.get(pk=row.pk).label == "Changed in the admin"


def _race_item_save_against(user, meeting, item, text, transition, after_opening=None):
    """Alice opens the item (while the minutes are a draft), then saves `text` at the very moment
    `transition()` runs on another connection. Returns the status code of her save."""
    barrier = threading.Barrier(2)
    url = f"/drafting/{meeting.date.isoformat()}/items/{item.pk}/"
    codes, errors = [], []
    data = opened(logged_in(user), url, *ITEM_FORMS)
    if after_opening:
        after_opening()

    def save():
        try:
            client = logged_in(user)
            barrier.wait(timeout=30)
            codes.append(client.post(url, {**data, "body": text}).status_code)
        except Exception as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    def move():
        try:
            barrier.wait(timeout=30)
            transition()
        except Exception as exc:  # noqa: BLE001 — reported to the test below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=move)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return codes[0]


def _adopted_record_is_the_adopted_version(meeting, item):
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ADOPTED
    version = meeting.latest_version()
    assert AgendaItem.objects.get(pk=item.pk).body == version.item(str(item.pk))["body"]
    return version


@pytest.mark.django_db(transaction=True)
def test_an_item_save_racing_circulation_and_adoption_is_in_the_version_or_refused(postgres, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda_items.first()
    later = later_meeting(meeting)
    text = "Typed as the minutes went out."

    def circulate_and_adopt():
        workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today())
        workflow.adopt(meeting, by=isu_staff, at_meeting=later)

    code = _race_item_save_against(isu_staff, meeting, item, text, circulate_and_adopt)

    assert code in (302, 403)
    version = _adopted_record_is_the_adopted_version(meeting, item)
    assert (text in version.item(str(item.pk))["body"]) == (code == 302)


@pytest.mark.django_db(transaction=True)
def test_an_item_save_racing_an_adoption_is_refused_and_the_record_is_the_version(postgres, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda_items.first()
    later = later_meeting(meeting)

    code = _race_item_save_against(
        isu_staff,
        meeting,
        item,
        "Typed during the adoption.",
        lambda: workflow.adopt(meeting, by=isu_staff, at_meeting=later),
        after_opening=lambda: workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today()),
    )

    assert code == 403
    version = _adopted_record_is_the_adopted_version(meeting, item)
    assert "Typed during the adoption." not in version.item(str(item.pk))["body"]
