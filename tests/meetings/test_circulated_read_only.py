"""Circulated minutes are exactly the text the coordinators received: every drafting page,
drafting function and admin page refuses to change them. Changing them means withdrawing them to
draft and circulating them again as a new version."""

import datetime

import pytest
from django.urls import reverse

from meetings import drafting, workflow
from meetings.models import AgendaItem, Attendance, AuditEntry, Meeting, RecordFrozen
from tests.factories import ActionPointFactory, later_meeting, meeting_in
from tests.meetings.pages import form_data

pytestmark = pytest.mark.django_db

TYPED = "A sentence no coordinator has seen."
ITEM_FORMS = ("form", "action_points", "decisions")


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


@pytest.fixture
def circulated(isu_staff):
    return meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)


def _item_url(meeting, item):
    return reverse("meetings:drafting_item", args=[meeting.date.isoformat(), item.pk])


def _record(meeting):
    """What the record says now, and how many audit rows it has."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("title", "body", "position"))
    attendance = list(Attendance.objects.filter(meeting=meeting).values_list("delegation_id", "status"))
    meeting = Meeting.objects.get(pk=meeting.pk)
    return items, attendance, meeting.venue, AuditEntry.objects.filter(meeting=meeting).count()


def test_a_sentence_typed_into_circulated_minutes_is_refused(staff_client, isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda_items.first()
    # Alice opens the item while the minutes are a draft; they are circulated before she saves.
    data = form_data(staff_client.get(_item_url(meeting, item)), *ITEM_FORMS)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today())
    before = _record(meeting)

    response = staff_client.post(_item_url(meeting, item), {**data, "body": TYPED})

    assert response.status_code == 403
    assert "withdraw them to draft" in response.content.decode()
    assert _record(meeting) == before
    assert TYPED not in AgendaItem.objects.get(pk=item.pk).body


def test_circulated_minutes_open_read_only_on_the_drafting_page(staff_client, circulated):
    response = staff_client.get(circulated.get_drafting_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert "withdraw them to draft to change them" in response.content.decode()
    item = circulated.agenda_items.first()
    assert staff_client.get(_item_url(circulated, item)).status_code == 403
    assert (
        staff_client.get(reverse("meetings:drafting_attendance", args=[circulated.date.isoformat()])).status_code == 403
    )


def _posts(meeting):
    """(url name, args, data) for every drafting page that changes a record."""
    day = meeting.date.isoformat()
    item = meeting.agenda_items.order_by("position", "id").first()
    return {
        "drafting_meeting": ((day,), {"venue": "Elsewhere", "revision": meeting.revision}),
        "drafting_attendance": ((day,), {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0", "revision": "1"}),
        "drafting_item": ((day, item.pk), {"title": "Changed", "body": TYPED, "revision": item.revision}),
        "drafting_item_add": ((day,), {}),
        "drafting_item_remove": ((day, item.pk), {}),
        "drafting_item_move": ((day, item.pk), {"direction": "down"}),
        "drafting_follow_up": ((day,), {"action_point": "1", "note": "Done.", "status": "done"}),
    }


@pytest.mark.parametrize(
    "name",
    [
        "drafting_meeting",
        "drafting_attendance",
        "drafting_item",
        "drafting_item_add",
        "drafting_item_remove",
        "drafting_item_move",
        "drafting_follow_up",
    ],
)
def test_every_drafting_page_refuses_to_change_circulated_minutes(staff_client, circulated, name):
    args, data = _posts(circulated)[name]
    before = _record(circulated)
    response = staff_client.post(reverse(f"meetings:{name}", args=args), data)
    assert response.status_code == 403
    assert _record(circulated) == before


def _calls(meeting, by):
    """Every drafting function that changes a record, called on `meeting`."""
    item = meeting.agenda_items.order_by("position", "id").first()
    earlier = meeting_in(Meeting.Status.DRAFT)
    earlier.date = meeting.date - datetime.timedelta(days=400)
    earlier.save()
    point = ActionPointFactory(agenda_item=earlier.agenda_items.first())
    return {
        "save_meeting": lambda: drafting.save_meeting(
            meeting,
            by,
            meeting.revision,
            {},
            {**{f: getattr(meeting, f) for f in drafting.MEETING_FIELDS}, "venue": "X"},
        ),
        "save_attendance": lambda: drafting.save_attendance(meeting, by, meeting.attendance_revision, []),
        "save_item": lambda: drafting.save_item(item, by, item.revision, {}, title="Changed", body=TYPED, leads=[]),
        "add_item": lambda: drafting.add_item(meeting, by),
        "remove_item": lambda: drafting.remove_item(item, by),
        "move_item": lambda: drafting.move_item(item, by, "down"),
        "record_follow_up": lambda: drafting.record_follow_up(meeting, by, point, "Done.", "done"),
    }


@pytest.mark.parametrize(
    "function",
    ["save_meeting", "save_attendance", "save_item", "add_item", "remove_item", "move_item", "record_follow_up"],
)
@pytest.mark.parametrize("status", [Meeting.Status.CIRCULATED, Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED])
def test_every_drafting_function_refuses_minutes_that_are_not_a_draft(isu_staff, function, status):
    meeting = meeting_in(status, by=isu_staff)
    call = _calls(meeting, isu_staff)[function]
    before = _record(meeting)
    with pytest.raises(RecordFrozen):
        call()
    assert _record(meeting) == before


@pytest.mark.parametrize(
    "function",
    ["save_meeting", "save_attendance", "save_item", "add_item", "remove_item", "move_item", "record_follow_up"],
)
def test_every_drafting_function_still_changes_a_draft(isu_staff, function):
    meeting = meeting_in(Meeting.Status.DRAFT, items=3)
    before = AuditEntry.objects.filter(meeting=meeting).count()
    _calls(meeting, isu_staff)[function]()
    assert AuditEntry.objects.filter(meeting=meeting).count() > before


def test_the_admin_refuses_to_change_circulated_minutes(client, isu_staff, circulated):
    isu_staff.is_superuser = True  # every model permission, so only the freeze can say no
    isu_staff.save()
    client.force_login(isu_staff)
    item = circulated.agenda_items.first()
    attendance = circulated.attendance.first()
    before = _record(circulated)
    for url in (
        reverse("admin:meetings_meeting_change", args=[circulated.pk]),
        reverse("admin:meetings_agendaitem_change", args=[item.pk]),
        reverse("admin:meetings_attendance_change", args=[attendance.pk]),
        reverse("admin:meetings_meeting_delete", args=[circulated.pk]),
        reverse("admin:meetings_agendaitem_delete", args=[item.pk]),
    ):
        response = client.post(url, {"venue": "Elsewhere", "title": "Changed", "body": TYPED, "post": "yes"})
        assert response.status_code == 403, url
    assert _record(circulated) == before


def test_withdraw_edit_and_circulate_again_makes_version_two(staff_client, isu_staff, circulated):
    workflow.withdraw(circulated, by=isu_staff)
    item = circulated.agenda_items.order_by("position", "id").first()
    data = form_data(staff_client.get(_item_url(circulated, item)), *ITEM_FORMS)
    assert staff_client.post(_item_url(circulated, item), {**data, "body": TYPED}).status_code == 302
    version = workflow.circulate(circulated, by=isu_staff, comment_deadline=datetime.date.today())
    assert version.number == 2
    assert TYPED in version.item(str(item.pk))["body"]
    assert TYPED not in str(circulated.versions.get(number=1).snapshot)
    workflow.adopt(circulated, by=isu_staff, at_meeting=later_meeting(circulated))
    assert TYPED in AgendaItem.objects.get(pk=item.pk).body
