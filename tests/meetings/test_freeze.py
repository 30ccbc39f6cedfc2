"""Adopted minutes are the official record: no model save or delete, admin page or view changes them."""

import pytest
from django.db import transaction
from django.urls import reverse

from meetings import drafting, workflow
from meetings.models import (
    ActionPoint,
    ActionPointFollowUp,
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
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    DelegationFactory,
    RepresentativeFactory,
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
    ActionPointFactory(agenda_item=item).owners.add(DelegationFactory())
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


# Every write path, one at a time: a freeze in save() alone would be bypassed by the others.
FOLLOW_UP = "follow-up"
ALL_PARTS = {**PARTS, FOLLOW_UP: lambda m: ActionPointFollowUp.objects.filter(meeting=m).first()}


@pytest.fixture
def frozen_with_follow_up(isu_staff):
    """Adopted minutes whose record includes a follow-up of an earlier action point."""
    earlier = meeting_in(Meeting.Status.DRAFT)
    point = ActionPointFactory(agenda_item=earlier.agenda_items.first())
    meeting = later_meeting(earlier)
    AttendeeFactory(attendance__meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    drafting.record_follow_up(meeting, isu_staff, point, "Done.", "done")
    workflow.circulate(meeting, by=isu_staff, comment_deadline=meeting.date.today())
    workflow.adopt(meeting, by=isu_staff, at_meeting=later_meeting(meeting))
    return Meeting.objects.get(pk=meeting.pk)


def _writes(row):
    """(name, call) for each bulk write path of a row's model."""
    model = type(row)
    text_field = {Attendance: "label", Attendee: "honorific", AgendaItem: "body", ActionPointFollowUp: "note"}.get(
        model, "position"
    )
    value = 99 if text_field == "position" else "Changed after adoption"
    return {
        "queryset update": lambda: model.objects.filter(pk=row.pk).update(**{text_field: value}),
        "queryset delete": lambda: model.objects.filter(pk=row.pk).delete(),
        "bulk_update": lambda: model.objects.bulk_update([_changed(row, text_field, value)], [text_field]),
        "bulk_create": lambda: model.objects.bulk_create([_copy(row)]),
    }


def _changed(row, field, value):
    setattr(row, field, value)
    return row


def _copy(row):
    """A new row like `row`, in the same meeting (unique fields made unique again)."""
    copy = type(row).objects.get(pk=row.pk)
    copy.pk = None
    copy._state.adding = True
    if isinstance(row, Attendance):
        copy.delegation = DelegationFactory()
    elif isinstance(row, Attendee):
        copy.representative = RepresentativeFactory(delegation=row.attendance.delegation)
    elif isinstance(row, ItemLead):
        copy.delegation = DelegationFactory()
    elif isinstance(row, ActionPointFollowUp):
        copy.action_point = ActionPointFactory(agenda_item=row.action_point.agenda_item)
    return copy


def _state(meeting):
    """Every part of the record, as stored."""
    models = (Attendance, Attendee, AgendaItem, ItemLead, ActionPoint, Decision, ActionPointFollowUp)
    return [sorted(model.objects.filter(**{model.MEETING: meeting}).values_list()) for model in models]


@pytest.mark.parametrize("path", ["queryset update", "queryset delete", "bulk_update", "bulk_create"])
@pytest.mark.parametrize("part", ALL_PARTS)
def test_every_bulk_write_to_a_part_of_adopted_minutes_is_refused(frozen, frozen_with_follow_up, part, path):
    meeting = frozen_with_follow_up if part == FOLLOW_UP else frozen
    row = ALL_PARTS[part](meeting)
    before = _state(meeting)
    with pytest.raises(RecordFrozen):
        _writes(row)[path]()
    assert _state(meeting) == before


@pytest.mark.parametrize("path", ["save", "delete"])
def test_a_follow_up_recorded_in_adopted_minutes_is_frozen(frozen_with_follow_up, path):
    follow_up = ActionPointFollowUp.objects.get(meeting=frozen_with_follow_up)
    follow_up.note = "Changed after adoption"
    with pytest.raises(RecordFrozen):
        getattr(follow_up, path)()
    assert ActionPointFollowUp.objects.get(pk=follow_up.pk).note == "Done."


@pytest.mark.parametrize("path", ["add", "remove", "set", "clear", "reverse add", "reverse clear"])
def test_the_owners_of_an_adopted_action_point_are_frozen(frozen, path):
    point = ActionPoint.objects.get(agenda_item__meeting=frozen)
    owner = DelegationFactory()
    point_owners = list(point.owners.all())
    calls = {
        "add": lambda: point.owners.add(owner),
        "remove": lambda: point.owners.remove(*point_owners),
        "set": lambda: point.owners.set([owner]),
        "clear": lambda: point.owners.clear(),
        "reverse add": lambda: owner.action_points.add(point),
        "reverse clear": lambda: point_owners[0].action_points.clear(),
    }
    # Django writes M2M rows in a transaction without a savepoint: the refusal rolls back the
    # caller's transaction, so the test gives it one of its own.
    with pytest.raises(RecordFrozen), transaction.atomic():
        calls[path]()
    assert list(ActionPoint.objects.get(pk=point.pk).owners.all()) == point_owners


def test_the_record_fields_of_adopted_minutes_refuse_a_queryset_update(frozen):
    with pytest.raises(RecordFrozen):
        Meeting.objects.filter(pk=frozen.pk).update(venue="Elsewhere")
    assert Meeting.objects.get(pk=frozen.pk).venue == frozen.venue


def test_importing_over_adopted_minutes_with_replace_is_refused(frozen):
    from meetings.importer import ImportProblem, writing

    class Parsed:
        date = frozen.date
        unknown_delegations = []
        warnings = []

    before = _state(frozen)
    with pytest.raises(ImportProblem):
        writing.write(Parsed(), replace=True)
    assert _state(frozen) == before


def test_the_admin_inlines_refuse_to_change_adopted_minutes(frozen, client, isu_staff):
    isu_staff.is_superuser = True
    isu_staff.save()
    client.force_login(isu_staff)
    attendance = frozen.attendance.first()
    item = frozen.agenda_items.first()
    before = _state(frozen)
    for url in (
        reverse("admin:meetings_attendance_change", args=[attendance.pk]),
        reverse("admin:meetings_attendance_delete", args=[attendance.pk]),
        reverse("admin:meetings_actionpoint_change", args=[ActionPoint.objects.get(agenda_item=item).pk]),
    ):
        response = client.post(url, {"label": "Changed", "text": "Changed", "post": "yes"})
        assert response.status_code == 403, url
    assert _state(frozen) == before
