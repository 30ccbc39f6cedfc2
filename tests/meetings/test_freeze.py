"""Adopted minutes are the official record: no model save or delete, admin page or view changes them."""

import pytest
from django.urls import reverse

from meetings import workflow
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    ItemLead,
    Meeting,
    RecordFrozen,
)
from tests.factories import (
    ActionPointFactory,
    AttendeeFactory,
    DecisionFactory,
    DelegationFactory,
    later_meeting,
    meeting_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED])
def frozen(request, isu_staff):
    """Adopted (or published) minutes with one of every part of the record."""
    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda_items.first()
    AttendeeFactory(attendance=meeting.attendance.first())
    ItemLead.objects.create(agenda_item=item, delegation=DelegationFactory())
    ActionPointFactory(agenda_item=item)
    DecisionFactory(agenda_item=item)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=meeting.date.today())
    workflow.adopt(meeting, by=isu_staff, at_meeting=later_meeting(meeting))
    if request.param == Meeting.Status.PUBLISHED:
        workflow.publish(meeting, by=isu_staff)
    return Meeting.objects.get(pk=meeting.pk)


PARTS = {
    "attendance": lambda m: Attendance.objects.filter(meeting=m).first(),
    "attendee": lambda m: Attendee.objects.filter(attendance__meeting=m).first(),
    "agenda item": lambda m: AgendaItem.objects.filter(meeting=m).first(),
    "item lead": lambda m: ItemLead.objects.filter(agenda_item__meeting=m).first(),
    "action point": lambda m: ActionPoint.objects.filter(agenda_item__meeting=m).first(),
    "decision": lambda m: Decision.objects.filter(agenda_item__meeting=m).first(),
}


@pytest.mark.parametrize("part", PARTS)
def test_no_part_of_adopted_minutes_can_be_saved(frozen, part):
    row = PARTS[part](frozen)
    with pytest.raises(RecordFrozen):
        row.save()


@pytest.mark.parametrize("part", PARTS)
def test_no_part_of_adopted_minutes_can_be_deleted(frozen, part):
    row = PARTS[part](frozen)
    with pytest.raises(RecordFrozen):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_no_item_can_be_added_to_adopted_minutes(frozen):
    with pytest.raises(RecordFrozen):
        AgendaItem.objects.create(meeting=frozen, title="Late addition")


def test_the_meeting_record_of_adopted_minutes_cannot_change(frozen):
    frozen.venue = "Somewhere else"
    with pytest.raises(RecordFrozen):
        frozen.save()
    assert Meeting.objects.get(pk=frozen.pk).venue != "Somewhere else"


def test_adopted_minutes_cannot_be_deleted_one_by_one_or_in_bulk(frozen):
    with pytest.raises(RecordFrozen):
        frozen.delete()
    with pytest.raises(RecordFrozen):
        Meeting.objects.filter(pk=frozen.pk).delete()
    assert Meeting.objects.filter(pk=frozen.pk).exists()


def test_the_workflow_still_moves_adopted_minutes_on(isu_staff):
    meeting = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    workflow.publish(meeting, by=isu_staff)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


def test_draft_minutes_stay_editable(isu_staff):
    meeting = meeting_in(Meeting.Status.DRAFT)
    item = meeting.agenda_items.first()
    item.body = "Changed."
    item.save()
    item.delete()
    meeting.venue = "Online"
    meeting.save()


def test_the_admin_refuses_to_change_adopted_minutes(frozen, client, isu_staff):
    isu_staff.is_superuser = True  # every model permission, so only the freeze can say no
    isu_staff.save()
    client.force_login(isu_staff)
    item = frozen.agenda_items.first()
    for url in (
        reverse("admin:meetings_meeting_change", args=[frozen.pk]),
        reverse("admin:meetings_agendaitem_change", args=[item.pk]),
        reverse("admin:meetings_meeting_delete", args=[frozen.pk]),
        reverse("admin:meetings_agendaitem_delete", args=[item.pk]),
    ):
        response = client.post(url, {"venue": "Elsewhere", "title": "Changed", "post": "yes"})
        assert response.status_code == 403, url
    assert Meeting.objects.get(pk=frozen.pk).venue == frozen.venue
    assert AgendaItem.objects.get(pk=item.pk).title == item.title


@pytest.mark.parametrize(
    "name",
    ["meeting_circulate", "meeting_withdraw", "meeting_adopt", "silence_start", "comment_create"],
)
def test_no_review_view_changes_adopted_minutes(frozen, client, isu_staff, name):
    client.force_login(isu_staff)
    response = client.post(
        reverse(f"meetings:{name}", args=[frozen.date.isoformat()]),
        {
            "comment_deadline": "2099-01-01",
            "text": "Late",
            "item_key": "present",
            "ends_at": "2099-01-01T10:00",
            "confirmed": "yes",
        },
    )
    assert response.status_code in (302, 403)
    after = Meeting.objects.get(pk=frozen.pk)
    assert after.status == frozen.status
    assert after.versions.count() == 1
    assert not after.versions.get().comments.exists()
