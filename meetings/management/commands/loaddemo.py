"""Load the demo record (meetings/demo/demo.json); the seed meeting is imported from its text. Safe to run again."""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from delegations.models import CoordinatorRole, Delegation, DelegationAlias, Presidency, Representative, ThematicArea
from meetings import documents, drafting, importer, record_json, review, workflow
from meetings.management.commands.demo_logins import DEMO_ACCOUNTS, demo_account
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    ItemLead,
    Meeting,
    ReviewComment,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_FILE = DEMO_DIR / "demo.json"


class Command(BaseCommand):
    help = "Load the demo meetings of September–November 2018 built from the seed minutes."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any meeting exists.")
        parser.add_argument(
            "--without-work-in-progress",
            action="store_true",
            help="Only the record of 2018 (the test suite's demo), not the minutes under review.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Meeting.objects.exists():
            self.stdout.write("The database already holds meetings; demo data not loaded.")
            return
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        # The demo's history happened before anyone ran it: its workflow steps send no email.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                created = load(data)
                if not options["without_work_in_progress"]:
                    created += load_work_in_progress()
        if options["verbosity"] == 0:
            return
        if created:
            self.stdout.write(f"Loaded demo meetings: {', '.join(created)}")
        else:
            self.stdout.write("Demo data already loaded.")


def load(data):
    delegations = {}
    for entry in data["delegations"]:
        delegation, _ = Delegation.objects.get_or_create(name=entry["name"], defaults={"kind": entry["kind"]})
        delegations[delegation.name] = delegation
        for alias in entry["aliases"]:
            DelegationAlias.objects.get_or_create(name=alias, defaults={"delegation": delegation})
    presidencies = {}
    for entry in data["presidencies"]:
        presidency, _ = Presidency.objects.get_or_create(
            name=entry["name"],
            defaults={
                "delegation": delegations[entry["delegation"]],
                "starts_on": date.fromisoformat(entry["starts_on"]),
                "ends_on": entry["ends_on"] and date.fromisoformat(entry["ends_on"]),
            },
        )
        presidencies[presidency.name] = presidency
    areas = {}
    for position, name in enumerate(data["thematic_areas"], start=1):
        areas[name], _ = ThematicArea.objects.get_or_create(name=name, defaults={"position": position})
    for entry in data["coordinators"]:
        for position, name in enumerate(entry["delegations"]):
            CoordinatorRole.objects.get_or_create(
                presidency=presidencies[entry["presidency"]],
                thematic_area=areas[entry["area"]],
                delegation=delegations[name],
                defaults={"position": position},
            )

    created = []
    meetings = {m.date.isoformat(): m for m in Meeting.objects.filter(date__in=[e["date"] for e in data["meetings"]])}
    for entry in data["meetings"]:
        if entry["date"] in meetings:
            continue
        meetings[entry["date"]] = _load_meeting(entry, delegations, presidencies)
        created.append(entry["date"])
    for entry in data["meetings"]:
        if entry["date"] in created:
            _load_lifecycle(entry, meetings)
    return created


def _import_meeting(entry, delegations):
    """Build a meeting the way the back catalogue is built: by importing its minutes' text,
    then adding what the text only implies (action points, decisions), keyed by item number."""
    parsed = importer.parse(importer.read_source(DEMO_DIR / entry["source"]))
    meeting = importer.write(parsed, status=Meeting.Status.DRAFT)
    numbered = {}
    for item in meeting.agenda():
        numbered[item.number] = item
        numbered.update({child.number: child for child in item.children})
    for number, extras in entry.get("item_extras", {}).items():
        _load_extras(numbered[number], extras, delegations)
    return meeting


def _load_meeting(entry, delegations, presidencies):
    if "source" in entry:
        return _import_meeting(entry, delegations)
    meeting = Meeting.objects.create(
        date=date.fromisoformat(entry["date"]),
        starts_at=time.fromisoformat(entry["start"]),
        ends_at=time.fromisoformat(entry["end"]),
        venue=entry["venue"],
        presidency=presidencies[entry["presidency"]],
    )
    for position, row in enumerate(entry["attendance"], start=1):
        attendance = Attendance.objects.create(
            meeting=meeting,
            delegation=delegations[row["delegation"]],
            status=row["status"],
            label=row["label"],
            position=position,
        )
        for rep_position, person in enumerate(row["representatives"], start=1):
            representative, _ = Representative.objects.get_or_create(
                delegation=attendance.delegation, name=person["name"], defaults={"honorific": person["honorific"]}
            )
            Attendee.objects.create(
                attendance=attendance,
                representative=representative,
                honorific=person["honorific"],
                remote=person["remote"],
                position=rep_position,
            )
    for position, item in enumerate(entry["items"], start=1):
        _load_item(meeting, item, position, None, delegations)
    return meeting


def _load_item(meeting, entry, position, parent, delegations):
    item = AgendaItem.objects.create(
        meeting=meeting, parent=parent, position=position, title=entry["title"], body=entry["body"]
    )
    for lead_position, name in enumerate(entry["leads"]):
        ItemLead.objects.create(agenda_item=item, delegation=delegations[name], position=lead_position)
    _load_extras(item, entry, delegations)
    for sub_position, sub in enumerate(entry.get("items", []), start=1):
        _load_item(meeting, sub, sub_position, item, delegations)


def _load_extras(item, entry, delegations):
    for ap_position, point in enumerate(entry.get("action_points", []), start=1):
        action_point = ActionPoint.objects.create(
            agenda_item=item,
            text=point["text"],
            due_at_next_meeting=point["due"] == "next meeting",
            due_on=date.fromisoformat(point["due"]) if point["due"] not in (None, "next meeting") else None,
            status=point["status"],
            position=ap_position,
        )
        action_point.owners.set([delegations[name] for name in point["owners"]])
    for d_position, decision in enumerate(entry.get("decisions", []), start=1):
        Decision.objects.create(agenda_item=item, text=decision["text"], position=d_position)


def _load_lifecycle(entry, meetings):
    meeting = meetings[entry["date"]]
    for follow_up in entry.get("follow_ups", []):
        point = ActionPoint.objects.get(
            agenda_item__meeting=meetings[follow_up["meeting_of"]], text__startswith=follow_up["action_point"]
        )
        # As the drafting page records it: the follow-up moves the point's tracking, not its record.
        drafting.record_follow_up(meeting, None, point, follow_up["note"], follow_up["status"])
    adoption = entry.get("adoption")
    if adoption:
        workflow.enter_archived_adoption(
            meeting,
            at_meeting=meetings.get(adoption.get("adopted_at_meeting")),
            silence_procedure_ends_at=adoption.get("silence_procedure_ends_at")
            and datetime.fromisoformat(adoption["silence_procedure_ends_at"]),
            outcome=adoption["outcome"],
        )
    if entry["status"] == Meeting.Status.PUBLISHED:
        workflow.publish(meeting, at=datetime.fromisoformat(entry["published_at"]))


# Work in progress: three meetings after 13 November 2018, so that every workflow page has
# something to show. Built as the pages build them (drafting.py, workflow.py, review.py), never
# by setting a status; the deadlines are counted from today, since the workflow refuses past ones.

IN_PROGRESS_VENUE = "Permanent Mission of Sri Lanka, Geneva"

IN_PROGRESS = [
    {
        "date": "2018-12-11",
        "adoption_item": "The Minutes of the meeting of 13 November 2018 were adopted as a correct record.",
        "bodies": {
            "Welcome Remarks": "The President welcomed the Coordination Committee members and thanked the ISU "
            "for preparing the meeting.",
            "Update by the Presidency": "The President reported on the working lunch held with Signatory States "
            "from South East Asia on 4 December 2018, at which three delegations indicated that ratification "
            "was under consideration by their parliaments.",
            "Universalization": "The Coordinators informed the Committee that they had written to the remaining "
            "Signatory States offering bilateral meetings in the first quarter of 2019.",
            "Update by the Implementation Support Unit": "The Director informed the Committee that the 2018 UNGA "
            "Resolution on the Implementation of the CCM had been adopted by the First Committee.",
            "Date of the Next Meeting": "The next meeting will be held on 29 January 2019.",
        },
    },
    {
        "date": "2019-01-29",
        "bodies": {
            "Welcome Remarks": "The President welcomed the Coordination Committee members to the first meeting "
            "of 2019.",
            "Update by the Presidency": "The President presented the draft calendar of the intersessional "
            "meetings of 2019 and invited the Coordinators to share their thematic work plans by the end of "
            "February.",
            "Reporting": "The Coordinator recalled that initial and annual transparency reports are due by "
            "30 April 2019 and proposed a reminder to all States Parties in March.",
            "Update by the Implementation Support Unit": "The Director presented the ISU's work plan and budget "
            "for 2019.",
            "Date of the Next Meeting": "The next meeting will be held on 26 February 2019.",
        },
    },
    {
        "date": "2019-02-26",
        "adoption_item": "The Minutes of the meeting of 29 January 2019 are under a silence procedure; the "
        "Committee took note.",
        "bodies": {
            "Welcome Remarks": "The President welcomed the Coordination Committee members and the "
            "representatives of the CMC and the ICRC.",
            "Update by the Presidency": "The President informed the Committee that the Presidency would convene "
            "a regional workshop on universalization in Colombo in May 2019.\n\n"
            "The President invited the Coordinators to propose speakers for the workshop by 15 March 2019.",
            "Universalization": "The Coordinators reported that two Signatory States had accepted bilateral "
            "meetings in March 2019.",
            "National Implementation Measures": "The Coordinator presented a model legislation for small "
            "States, prepared with the ICRC, and proposed to circulate it to all States Parties.",
            "Update by the Implementation Support Unit": "The Director informed the Committee that the "
            "ISU's annual report for 2018 would be published in March 2019.",
            "Date of the Next Meeting": "The next meeting will be held on 26 March 2019.",
        },
        # (who, item, paragraph, comment, proposal for that paragraph)
        "comments": [
            (
                "coordinator",
                "National Implementation Measures",
                1,
                "New Zealand presented the model legislation jointly with the ICRC; please say so.",
                "The Coordinator, with the ICRC, presented a model legislation for small States and proposed to "
                "circulate it to all States Parties.",
            ),
            (
                "coordinator-chile",
                "Universalization",
                1,
                "Chile would add that the meetings will take place in Geneva and New York.",
                "",
            ),
            (
                "coordinator-chile",
                "Update by the Presidency",
                1,
                "Please give the date of the Colombo workshop once it is confirmed.",
                "",
            ),
        ],
    },
]


def load_work_in_progress():
    """One adopted record awaiting publication (11 December 2018), one silence procedure running
    (29 January 2019), one circulated draft with comments from New Zealand and Chile
    (26 February 2019), and the next meeting announced four weeks ahead. Returns the dates it
    created; nothing if they exist already."""
    dates = [date.fromisoformat(entry["date"]) for entry in IN_PROGRESS]
    if Meeting.objects.filter(date__in=dates).exists():
        return []
    accounts = {entry[1]: demo_account(*entry) for entry in DEMO_ACCOUNTS}
    staff = accounts["isu"]
    presidency = Presidency.objects.get(name="9MSP")
    seed = Meeting.objects.get(date=date(2018, 9, 25))
    meetings = [_draft_meeting(entry, staff, presidency, seed) for entry in IN_PROGRESS]
    adopted, silent, under_review = meetings
    today = timezone.localdate()

    workflow.circulate(adopted, by=staff, comment_deadline=today)
    workflow.adopt(adopted, by=staff, at_meeting=silent)

    workflow.circulate(silent, by=staff, comment_deadline=today)
    ends_at = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=10)
    workflow.start_silence_procedure(silent, by=staff, ends_at=ends_at)

    _attach_demo_paper(under_review, staff)
    version = workflow.circulate(under_review, by=staff, comment_deadline=today + timedelta(days=14))
    items = {item["title"]: item for item in record_json.flat_items(version.snapshot)}
    for username, title, paragraph, text, proposal in IN_PROGRESS[2]["comments"]:
        comment = review.add_comment(
            version,
            author=accounts[username],
            item=items[title],
            paragraph=paragraph,
            text=text,
            proposed_text=proposal,
        )
    review.reply(
        comment,
        by=staff,
        text="The date will be added once the Presidency confirms it.",
        outcome=ReviewComment.Outcome.INCORPORATED,
    )
    # The next meeting, announced as staff announce one: public with its provisional agenda.
    announced = workflow.announce(
        staff,
        date=today + timedelta(days=28),
        presidency=presidency,
        starts_at=time(13, 0),
        ends_at=time(15, 0),
        venue="Palais des Nations, Geneva, and online",
        remote_link="https://meet.example.org/ccm-coordination-committee",
    )
    return [entry["date"] for entry in IN_PROGRESS] + [announced.date.isoformat()]


DEMO_PAPER = DEMO_DIR / "ccm-cc-2019-wp1.pdf"


def _attach_demo_paper(meeting, staff):
    """A paper presented under an item, attached as the drafting page attaches one."""
    item = AgendaItem.objects.filter(meeting=meeting, title="Universalization").first()
    documents.attach(
        meeting,
        staff,
        SimpleUploadedFile(DEMO_PAPER.name, DEMO_PAPER.read_bytes()),
        title="Universalization: progress report by the Coordinators",
        kind="paper",
        language="en",
        symbol="CCM/CC/2019/WP.1",
        agenda_item=item,
        presented_by=Delegation.objects.filter(name="Chile").first(),
    )


def _draft_meeting(entry, staff, presidency, seed):
    """A meeting as ISU staff make one: the standard agenda, the seed's attendance, item texts."""
    meeting = drafting.create_meeting(
        staff,
        date=date.fromisoformat(entry["date"]),
        presidency=presidency,
        starts_at=time(13, 0),
        ends_at=time(14, 30),
        venue=IN_PROGRESS_VENUE,
    )
    rows = [
        {
            "delegation": row.delegation,
            "status": row.status,
            "label": row.label,
            "representatives": [attendee.representative for attendee in row.attendees.all()],
            "remote": [attendee.representative for attendee in row.attendees.all() if attendee.remote],
        }
        for row in seed.attendance_list()
    ]
    drafting.save_attendance(meeting, staff, meeting.attendance_revision, rows)
    for top in meeting.agenda():
        for item in [top, *top.children]:
            body = entry["bodies"].get(item.title)
            if body is None and item.minutes_to_adopt_id:
                # Without a text of its own, adopting the earlier minutes at this meeting writes it.
                body = entry.get("adoption_item")
            if body is None:
                if not item.minutes_to_adopt_id and (item is not top or not top.children):
                    # Circulating refuses an empty item: an item nobody spoke to leaves the agenda.
                    drafting.remove_item(item, staff)
                continue
            item = drafting.load_item(meeting, item.pk)
            drafting.save_item(
                item,
                staff,
                item.revision,
                drafting.item_snapshot(item),
                title=item.title,
                body=body,
                leads=[link.delegation for link in item.lead_links.all()],
            )
    return meeting
