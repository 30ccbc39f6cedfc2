"""Every verb against every status: allowed moves happen and leave an audit row; the rest are
refused with a message meant for people."""

import datetime

import pytest
from django.utils import timezone

from meetings import record_json, workflow
from meetings.models import AuditEntry, Meeting, MinutesVersion
from tests.factories import AgendaItemFactory, MeetingFactory, later_meeting, meeting_in, write_up

pytestmark = pytest.mark.django_db

S = Meeting.Status
IN_TWO_WEEKS = datetime.date.today() + datetime.timedelta(days=14)


def run(verb, meeting, staff):
    if verb == "circulate":
        return workflow.circulate(meeting, by=staff, comment_deadline=IN_TWO_WEEKS)
    if verb == "withdraw":
        return workflow.withdraw(meeting, by=staff)
    if verb == "adopt":
        later = later_meeting(meeting)
        return workflow.adopt(meeting, by=staff, at_meeting=later)
    if verb == "enter_archived_adoption":
        later = later_meeting(meeting)
        return workflow.enter_archived_adoption(meeting, at_meeting=later, by=staff)
    if verb == "start_silence_procedure":
        return workflow.start_silence_procedure(meeting, by=staff, ends_at=timezone.now() + datetime.timedelta(days=7))
    if verb == "publish":
        return workflow.publish(meeting, by=staff)
    if verb == "postpone":
        return workflow.postpone(
            meeting, staff, date=meeting.date + datetime.timedelta(days=7), starts_at=datetime.time(13)
        )
    if verb == "cancel":
        return workflow.cancel(meeting, staff)
    if verb == "start_drafting":
        return workflow.start_drafting(meeting, staff)
    raise AssertionError(verb)


# verb: {from status: status after, or None if refused}
TABLE = {
    "circulate": {S.DRAFT: S.CIRCULATED, S.CIRCULATED: None, S.ADOPTED: None, S.PUBLISHED: None},
    "withdraw": {S.DRAFT: None, S.CIRCULATED: S.DRAFT, S.ADOPTED: None, S.PUBLISHED: None},
    "adopt": {S.DRAFT: None, S.CIRCULATED: S.ADOPTED, S.ADOPTED: None, S.PUBLISHED: None},
    "enter_archived_adoption": {S.DRAFT: S.ADOPTED, S.CIRCULATED: None, S.ADOPTED: None, S.PUBLISHED: None},
    "start_silence_procedure": {S.DRAFT: None, S.CIRCULATED: S.CIRCULATED, S.ADOPTED: None, S.PUBLISHED: None},
    "publish": {S.DRAFT: None, S.CIRCULATED: None, S.ADOPTED: S.PUBLISHED, S.PUBLISHED: None},
    "postpone": {S.ANNOUNCED: S.ANNOUNCED, S.DRAFT: None, S.CIRCULATED: None, S.ADOPTED: None, S.PUBLISHED: None},
    "cancel": {S.ANNOUNCED: S.CANCELLED, S.DRAFT: None, S.CIRCULATED: None, S.ADOPTED: None, S.PUBLISHED: None},
    "start_drafting": {S.ANNOUNCED: S.DRAFT, S.DRAFT: None, S.CIRCULATED: None, S.ADOPTED: None},
}
# A meeting announced or cancelled has no minutes: every verb about minutes refuses it, and a
# cancelled meeting refuses everything.
for _verb, _row in TABLE.items():
    _row.setdefault(S.ANNOUNCED, None)
    _row[S.CANCELLED] = None
CASES = [(verb, start, after) for verb, row in TABLE.items() for start, after in row.items()]


@pytest.mark.parametrize(("verb", "start", "after"), CASES, ids=[f"{v}-from-{s}" for v, s, _ in CASES])
def test_each_verb_moves_only_from_the_states_the_table_allows(verb, start, after, isu_staff):
    meeting = meeting_in(start, by=isu_staff)
    entries_before = AuditEntry.objects.filter(meeting=meeting).count()
    if after is None:
        with pytest.raises(workflow.TransitionError) as refused:
            run(verb, meeting, isu_staff)
        assert str(refused.value)[0].isupper() and str(refused.value).endswith(".")
        assert Meeting.objects.get(pk=meeting.pk).status == start
        assert AuditEntry.objects.filter(meeting=meeting).count() == entries_before
    else:
        run(verb, meeting, isu_staff)
        assert Meeting.objects.get(pk=meeting.pk).status == after
        latest = AuditEntry.objects.filter(meeting=meeting).latest("id")
        assert latest.by == isu_staff and latest.by_name == "alice"


def test_every_status_change_in_the_table_has_a_verb_here():
    # "announce" makes a meeting (from no state): tests/meetings/test_announced_meetings.py covers it;
    # supersede needs a corrected record of imported minutes: tests/meetings/test_supersession.py.
    assert set(workflow.TRANSITIONS.values()) <= {verb for verb in TABLE} | {"adopt", "announce", "supersede"}


def test_recirculating_after_withdrawal_freezes_the_next_version(isu_staff):
    meeting = meeting_in(S.DRAFT)
    first = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    item = meeting.agenda_items.first()
    workflow.withdraw(meeting, by=isu_staff)
    item.body = "Revised after comments."
    item.save()
    second = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    assert (first.number, second.number) == (1, 2)
    assert meeting.latest_version() == second
    assert first.item(str(item.pk))["body"] != "Revised after comments."
    assert second.item(str(item.pk))["body"] == "Revised after comments."
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 2


def test_a_version_snapshot_holds_attendance_and_numbered_items_with_leads(demo, isu_staff):
    meeting = write_up(demo["2018-11-13"])
    version = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_TWO_WEEKS)
    items = record_json.flat_items(version.snapshot)
    assert items[0]["number"] == "2" and items[0]["title"] == "Welcome Remarks"
    assert any("." in item["number"] and item["leads"] for item in items)
    assert version.snapshot["attendance"][0]["label"]
    assert version.circulated_by == isu_staff


def test_circulating_with_a_deadline_in_the_past_is_refused(isu_staff):
    meeting = meeting_in(S.DRAFT)
    with pytest.raises(workflow.TransitionError, match="past"):
        workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today() - datetime.timedelta(days=1))


def test_adopting_with_corrections_writes_them_into_the_adoption_item_linked_to_the_minutes(isu_staff):
    meeting = meeting_in(S.CIRCULATED)
    later = later_meeting(meeting)
    AgendaItemFactory(meeting=later, title="Welcome Remarks", position=1)
    # Titled like an adoption item, but not linked to these minutes: never written to.
    decoy = AgendaItemFactory(meeting=later, title="Adoption of the Minutes", position=2, body="")
    adoption_item = AgendaItemFactory(
        meeting=later, title="Approval of the record", position=3, body="", minutes_to_adopt=meeting
    )
    workflow.adopt(
        meeting,
        by=isu_staff,
        at_meeting=later,
        outcome=Meeting.AdoptionOutcome.WITH_CORRECTIONS,
        corrections="Item 3: Chile, not Peru.",
    )
    adoption_item.refresh_from_db()
    decoy.refresh_from_db()
    meeting.refresh_from_db()
    assert adoption_item.body == "The Minutes were adopted with the following corrections: Item 3: Chile, not Peru."
    assert decoy.body == "" and decoy.minutes_to_adopt is None
    assert meeting.adopted_at_meeting == later
    assert meeting.adoption_corrections == "Item 3: Chile, not Peru."
    assert meeting.adopted_record["adoption"]["corrections"] == "Item 3: Chile, not Peru."


def test_adopting_with_corrections_but_none_written_is_refused(isu_staff):
    meeting = meeting_in(S.CIRCULATED)
    later = later_meeting(meeting)
    with pytest.raises(workflow.TransitionError, match="corrections"):
        workflow.adopt(meeting, by=isu_staff, at_meeting=later, outcome=Meeting.AdoptionOutcome.WITH_CORRECTIONS)


def test_adopting_at_an_earlier_meeting_is_refused(isu_staff):
    meeting = meeting_in(S.CIRCULATED)
    earlier = MeetingFactory(presidency=meeting.presidency, date=meeting.date - datetime.timedelta(days=1))
    with pytest.raises(workflow.TransitionError, match="later meeting"):
        workflow.adopt(meeting, by=isu_staff, at_meeting=earlier)


def test_every_adoption_route_calls_the_after_adoption_hook(isu_staff, monkeypatch):
    seen = []
    monkeypatch.setattr(workflow, "_after_adoption", lambda meeting: seen.append(meeting.pk))
    circulated = meeting_in(S.CIRCULATED)
    workflow.adopt(circulated, by=isu_staff, at_meeting=later_meeting(circulated))
    archived = meeting_in(S.DRAFT)
    workflow.enter_archived_adoption(archived, at_meeting=later_meeting(archived))
    silent = meeting_in(S.CIRCULATED)
    procedure = workflow.start_silence_procedure(
        silent, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(hours=25)
    )
    workflow.close_silence_procedures(now=procedure.ends_at)
    assert seen == [circulated.pk, archived.pk, silent.pk]
