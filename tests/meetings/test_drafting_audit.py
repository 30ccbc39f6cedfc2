"""Every change to a meeting's record, through the drafting pages or the admin, leaves an audit
row: who, when, what ({field: [old, new]})."""

import pytest

from meetings.models import AgendaItem, Attendance, AuditEntry, Meeting
from tests.meetings.pages import form_data

pytestmark = pytest.mark.django_db

DRAFT = "2018-11-13"


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


@pytest.fixture
def item(demo):
    return AgendaItem.objects.get(meeting=demo[DRAFT], title="Any Other Business")


def test_an_item_edit_records_old_and_new_text(staff_client, isu_staff, item):
    url = f"/drafting/{DRAFT}/items/{item.pk}/"
    data = form_data(staff_client.get(url), "form", "action_points", "decisions")
    staff_client.post(url, {**data, "body": "Nothing was raised.", "dec-0-text": "No other business."})
    entry = AuditEntry.objects.get(action="item.changed")
    assert entry.by == isu_staff and entry.by_name == "alice"
    assert entry.meeting == item.meeting
    assert entry.changes["body"] == [item.body, "Nothing was raised."]
    assert entry.changes["decisions"] == ["", "No other business."]
    assert "title" not in entry.changes


def test_saving_an_unchanged_item_writes_no_audit_row(staff_client, item):
    url = f"/drafting/{DRAFT}/items/{item.pk}/"
    staff_client.post(url, form_data(staff_client.get(url), "form", "action_points", "decisions"))
    assert not AuditEntry.objects.filter(action="item.changed").exists()


def test_meeting_details_are_audited(staff_client, demo):
    url = f"/drafting/{DRAFT}/"
    staff_client.post(url, {**form_data(staff_client.get(url), "form"), "venue": "Online"})
    entry = AuditEntry.objects.get(action="meeting.changed")
    assert entry.changes == {"venue": [demo[DRAFT].venue, "Online"]}


def test_structure_changes_are_audited(staff_client, item):
    demo_rows = AuditEntry.objects.count()  # the demo's own history (its follow-up was recorded too)
    staff_client.post(f"/drafting/{DRAFT}/items/add/")
    staff_client.post(f"/drafting/{DRAFT}/items/{item.pk}/move/", {"direction": "up"})
    staff_client.post(f"/drafting/{DRAFT}/items/{item.pk}/remove/")
    assert list(AuditEntry.objects.order_by("id")[demo_rows:].values_list("action", flat=True)) == [
        "item.added",
        "item.moved",
        "item.removed",
    ]


def test_a_failed_save_writes_nothing(staff_client, item):
    url = f"/drafting/{DRAFT}/items/{item.pk}/"
    data = form_data(staff_client.get(url), "form", "action_points", "decisions")
    demo_rows = AuditEntry.objects.count()
    staff_client.post(url, {**data, "title": ""})
    assert AuditEntry.objects.count() == demo_rows


def test_an_admin_edit_of_an_item_is_audited_and_bumps_its_revision(staff_client, isu_staff, item):
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    data = {
        "parent": "",
        "position": item.position,
        "title": "Any other business",
        "body": item.body,
        **{
            f"{prefix}-{k}": v
            for prefix in ("lead_links", "action_points", "decisions")
            for k, v in {
                "TOTAL_FORMS": "0",
                "INITIAL_FORMS": "0",
                "MIN_NUM_FORMS": "0",
                "MAX_NUM_FORMS": "1000",
            }.items()
        },
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="admin.agendaitem.changed")
    assert entry.by == isu_staff
    assert entry.changes == {"title": ["Any Other Business", "Any other business"]}
    item.refresh_from_db()
    assert item.revision == 2


def test_an_admin_edit_of_the_meeting_and_its_attendance_is_audited(staff_client, demo):
    meeting = demo[DRAFT]
    rows = list(meeting.attendance.all())
    items = list(meeting.agenda_items.all())
    data = {
        "date": DRAFT,
        "starts_at": "13:00",
        "ends_at": "15:00",
        "venue": "Online",
        "presidency": meeting.presidency_id,
        "attendance-TOTAL_FORMS": len(rows),
        "attendance-INITIAL_FORMS": len(rows),
        "attendance-MIN_NUM_FORMS": 0,
        "attendance-MAX_NUM_FORMS": 1000,
        "agenda_items-TOTAL_FORMS": len(items),
        "agenda_items-INITIAL_FORMS": len(items),
        "agenda_items-MIN_NUM_FORMS": 0,
        "agenda_items-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"attendance-{i}-id": row.pk,
                f"attendance-{i}-meeting": meeting.pk,
                f"attendance-{i}-position": row.position,
                f"attendance-{i}-delegation": row.delegation_id,
                f"attendance-{i}-status": row.status,
                f"attendance-{i}-label": row.label,
            }
        )
    data["attendance-3-status"] = "present"
    for i, it in enumerate(items):
        data.update(
            {
                f"agenda_items-{i}-id": it.pk,
                f"agenda_items-{i}-meeting": meeting.pk,
                f"agenda_items-{i}-parent": it.parent_id or "",
                f"agenda_items-{i}-position": it.position,
                f"agenda_items-{i}-title": it.title,
                f"agenda_items-{i}-body": it.body,
            }
        )
    response = staff_client.post(f"/admin/meetings/meeting/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    actions = dict(AuditEntry.objects.values_list("action", "changes"))
    assert actions["admin.meeting.changed"]["venue"][1] == "Online"
    assert actions["admin.attendance.changed"] == {"status": ["apologies", "present"]}
    assert Meeting.objects.get(pk=meeting.pk).revision == 2


def test_an_admin_deletion_is_audited(staff_client, demo):
    row = Attendance.objects.get(meeting=demo[DRAFT], delegation__name="Zambia")
    response = staff_client.post(f"/admin/meetings/attendance/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.attendance.deleted")
    assert entry.meeting == demo[DRAFT]
