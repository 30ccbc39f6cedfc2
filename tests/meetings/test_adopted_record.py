"""Adoption adopts a circulated version, and the adopted record is that version's text, kept as one
frozen document: the page, the API and the stored PDF say what was adopted and which version,
whatever happens afterwards to reference data or tracking."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.formats import date_format

from delegations.models import Delegation, Representative
from meetings import drafting, pdf, workflow
from meetings.models import ActionPoint, Meeting
from tests import pdf_reader
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    AttendeeFactory,
    MeetingFactory,
    later_meeting,
    write_up,
)

pytestmark = pytest.mark.django_db

IN_A_WEEK = datetime.date.today() + datetime.timedelta(days=7)


def in_two_days():
    """When a silence procedure may end at the earliest, with a day to spare (it lasts 24 hours at least)."""
    return timezone.now() + datetime.timedelta(days=2)


def edit_body(item, by, body):
    """Change an item's text the way the drafting page does."""
    current = drafting.load_item(item.meeting_id, item.pk)
    drafting.save_item(
        current,
        by,
        current.revision,
        drafting.item_snapshot(current),
        title=current.title,
        body=body,
        leads=[link.delegation for link in current.lead_links.all()],
    )


def public_views(client, meeting):
    """What the public reads of `meeting`: its page, its JSON and its PDF, fresh from the server."""
    cache.clear()
    day = meeting.date.isoformat()
    page = client.get(f"/meetings/{day}/")
    api = client.get(f"/api/v1/meetings/{day}/")
    document = client.get(f"/meetings/{day}/minutes.pdf")
    assert page.status_code == api.status_code == document.status_code == 200
    return page.content, api.content, b"".join(document.streaming_content) if document.streaming else document.content


@pytest.fixture
def revised_and_adopted(isu_staff, django_capture_on_commit_callbacks):
    """Minutes circulated as version 1, withdrawn, edited, circulated as version 2, adopted at a
    later meeting and published: every step through the workflow."""
    meeting = MeetingFactory()
    AttendeeFactory(attendance=AttendanceFactory(meeting=meeting))
    item = AgendaItemFactory(meeting=meeting, title="Update by the Presidency", body="The President spoke of March.")
    first = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_A_WEEK)
    workflow.withdraw(meeting, by=isu_staff)
    edit_body(item, isu_staff, "The President spoke of April, as corrected.")
    second = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_A_WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(meeting, by=isu_staff, at_meeting=later_meeting(meeting))
    workflow.publish(meeting, by=isu_staff)
    meeting.refresh_from_db()
    return meeting, first, second


def test_withdraw_edit_recirculate_adopt_gives_version_2s_text_everywhere(client, revised_and_adopted):
    meeting, first, second = revised_and_adopted
    assert meeting.adopted_version == second
    page, api, content = public_views(client, meeting)
    circulated = date_format(timezone.localtime(second.circulated_at), "j F Y")
    statement = f"(version 2, circulated on {circulated})"
    assert "The President spoke of April, as corrected." in page.decode()
    assert "spoke of March" not in page.decode()
    assert statement in page.decode()
    data = client.get(f"/api/v1/meetings/{meeting.date.isoformat()}/").json()
    assert data["version"] == {"number": 2, "circulated_at": second.circulated_at.isoformat()}
    assert statement in data["adoption"]["statement"]
    assert data["items"][0]["body"] == "The President spoke of April, as corrected."
    text = pdf_reader.text(content)
    assert "The President spoke of April, as corrected." in text and "spoke of March" not in text
    assert statement in text
    # The stored official record's minutes.json names its version and when it was circulated.
    with meeting.official_record.file.open("rb") as stored:
        assert content == stored.read()
    attached = pdf_reader.minutes_json(content)
    assert attached["version"] == {"number": 2, "circulated_at": second.circulated_at.isoformat()}
    assert attached == meeting.adopted_record


def test_renaming_a_delegation_and_a_representative_leaves_the_adopted_record_byte_identical(
    client, revised_and_adopted
):
    meeting, _first, _second = revised_and_adopted
    before = public_views(client, meeting)
    row = meeting.attendance.get()
    delegation, person = row.delegation, row.attendees.get().representative
    old_name = delegation.name
    Delegation.objects.filter(pk=delegation.pk).update(name="Renamed Republic")
    Representative.objects.filter(pk=person.pk).update(name="Renamed Person")
    meeting.presidency.delegation.name = "Renamed Presidency State"
    meeting.presidency.delegation.save()
    assert public_views(client, meeting) == before
    assert old_name in before[0].decode()
    cache.clear()
    assert "Renamed Republic" in client.get(f"/delegations/{delegation.slug}/").content.decode()


def test_a_follow_up_in_a_draft_changes_nothing_public_until_that_draft_is_published(
    client, demo, isu_staff, django_capture_on_commit_callbacks
):
    point = ActionPoint.objects.get(text__startswith="Explore the possibility of creating a CCM legislation")
    owner = point.owners.first()
    urls = [
        "/action-points/",
        "/action-points/?status=done",
        f"/delegations/{owner.slug}/",
        "/meetings/2018-09-25/",
        "/api/v1/meetings/2018-09-25/",
    ]

    def public():
        cache.clear()
        return [client.get(url).content for url in urls]

    before = public()
    staff = client.__class__()
    staff.force_login(isu_staff)
    response = staff.post(
        "/drafting/2018-11-13/follow-ups/",
        {"action_point": point.pk, "note": "New Zealand shared a first outline.", "status": "done"},
    )
    assert response.status_code == 302
    assert public() == before
    assert "New Zealand shared a first outline." not in client.get("/action-points/?status=done").content.decode()

    draft = write_up(demo["2018-11-13"])
    workflow.circulate(draft, by=isu_staff, comment_deadline=IN_A_WEEK)
    procedure = workflow.start_silence_procedure(
        draft, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt_by_silence(procedure, now=timezone.now() + datetime.timedelta(days=3))
    assert public()[:3] == before[:3]  # adopted is not yet published
    workflow.publish(draft, by=isu_staff)
    cache.clear()
    done = client.get("/action-points/?status=done").content.decode()
    assert "New Zealand shared a first outline." in done and point.text[:40] in done
    # The minutes of 25 September still say what they recorded: the point was open then.
    data = client.get("/api/v1/meetings/2018-09-25/").json()
    recorded = [p for item in data["items"] for sub in [item, *item["items"]] for p in sub["action_points"]]
    assert next(p for p in recorded if p["text"] == point.text)["status"] == "open"


def test_adoption_by_silence_adopts_the_version_under_review(isu_staff, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    AttendeeFactory(attendance__meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    version = workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_A_WEEK)
    procedure = workflow.start_silence_procedure(
        meeting, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=2)
    )
    assert procedure.version == version
    with django_capture_on_commit_callbacks(execute=True):
        adopted = workflow.adopt_by_silence(procedure, now=timezone.now() + datetime.timedelta(days=3))
    assert adopted.adopted_version == version
    assert adopted.adopted_record["items"] == version.snapshot["items"]


def test_a_silence_ending_just_after_midnight_in_geneva_is_worded_on_the_geneva_day(isu_staff):
    meeting = MeetingFactory(date=datetime.date(2030, 2, 20))
    AttendeeFactory(attendance__meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    # 23:30 UTC on 1 March is 00:30 on 2 March in Geneva.
    ends = datetime.datetime(2030, 3, 1, 23, 30, tzinfo=datetime.UTC)
    workflow.enter_archived_adoption(meeting, silence_procedure_ends_at=ends, by=isu_staff)
    meeting.refresh_from_db()
    assert meeting.adoption_statement == (
        "Adopted by silence procedure ending 2 March 2030 (version 1, entered from the archive)"
    )
    assert pdf.mark(meeting.adopted_record) == meeting.adoption_statement


def test_corrections_are_part_of_the_adopted_record(client, isu_staff, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    AttendeeFactory(attendance__meeting=meeting)
    AgendaItemFactory(meeting=meeting)
    later = later_meeting(meeting)
    adoption_item = AgendaItemFactory(meeting=later, title="Adoption of the Minutes", body="", minutes_to_adopt=meeting)
    workflow.circulate(meeting, by=isu_staff, comment_deadline=IN_A_WEEK)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.adopt(
            meeting,
            by=isu_staff,
            at_meeting=later,
            outcome=Meeting.AdoptionOutcome.WITH_CORRECTIONS,
            corrections="Item 2: Chile, not Peru.",
        )
    workflow.publish(meeting, by=isu_staff)
    sentence = "Adopted with the following corrections: Item 2: Chile, not Peru."
    page, api, content = public_views(client, meeting)
    assert sentence in page.decode()
    assert (
        client.get(f"/api/v1/meetings/{meeting.date.isoformat()}/").json()["adoption"]["corrections_statement"]
        == sentence
    )
    assert sentence in pdf_reader.text(content)
    assert pdf_reader.minutes_json(content)["adoption"]["corrections"] == "Item 2: Chile, not Peru."
    adoption_item.refresh_from_db()
    assert "adopted with the following corrections: Item 2: Chile, not Peru." in adoption_item.body


@pytest.mark.parametrize(
    "language, message",
    [
        ("fr", "Seul un procès-verbal adopté peut être publié."),
        ("es", "Solo se puede publicar un acta aprobada."),
    ],
)
def test_workflow_refusals_read_correctly_in_french_and_spanish(isu_staff, language, message):
    meeting = MeetingFactory()
    with translation.override(language), pytest.raises(workflow.TransitionError) as refused:
        workflow.publish(meeting, by=isu_staff)
    assert str(refused.value) == message
