import pytest
from django.core.management import call_command

from delegations.models import CoordinatorRole, Presidency
from meetings.models import ActionPoint, Attendance, Attendee, Meeting

pytestmark = pytest.mark.django_db


def test_demo_holds_the_seed_meeting_exactly(demo):
    seed = demo["2018-09-25"]
    present = seed.attendance.filter(status=Attendance.Status.PRESENT)
    assert present.count() == 19
    assert Attendee.objects.filter(attendance__meeting=seed).count() == 27
    assert list(seed.attendance.filter(status="apologies").values_list("delegation__name", flat=True)) == [
        "Mozambique",
        "Zambia",
    ]
    assert [i.number for i in seed.agenda()] == ["2", "3", "4", "5", "6", "7", "8"]
    numbers = [c.number for i in seed.agenda() for c in i.children]
    assert numbers == ["5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "6.1", "6.2", "6.3", "6.4", "7.1", "7.2", "7.3"]
    assert seed.status == Meeting.Status.PUBLISHED


def test_demo_keeps_honorifics_as_written(demo):
    first = demo["2018-09-25"].attendance_list()[0]
    assert first.display_name == "Sri Lanka – 9MSP Presidency"
    assert [str(a) for a in first.attendees.all()] == [
        "H.E. Mr. Aliyar Lebbe Abdul Azeez",
        "Ms. Samantha K. Jayasuriya",
        "Ms. Piumali Dissanayake",
    ]


def test_demo_has_the_action_points_the_text_implies(demo):
    points = ActionPoint.objects.filter(agenda_item__meeting=demo["2018-09-25"])
    assert points.count() >= 6
    owners = {o.name for p in points for o in p.owners.all()}
    assert {"ISU CCM", "New Zealand", "Iraq", "Ireland"} <= owners


def test_demo_has_the_presidencies_and_their_coordinators(demo):
    assert list(Presidency.objects.values_list("name", "delegation__name").order_by("starts_on")) == [
        ("8MSP", "Nicaragua"),
        ("9MSP", "Sri Lanka"),
    ]
    pairs = CoordinatorRole.objects.filter(presidency__name="9MSP").values_list(
        "thematic_area__name", "delegation__name"
    )
    assert ("Universalization", "Panama") in pairs
    assert ("Clearance and Risk Reduction", "Lao PDR") in pairs
    assert ("National Implementation Measures", "New Zealand") in pairs


def test_the_seeds_item_3_adopts_the_minutes_of_30_august(demo):
    august = demo["2018-08-30"]
    assert august.presidency.name == "8MSP"
    assert august.adopted_at_meeting == demo["2018-09-25"]
    assert august.status == Meeting.Status.ADOPTED


def test_the_november_meeting_is_a_draft(demo):
    assert demo["2018-11-13"].status == Meeting.Status.DRAFT


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (Meeting.objects.count(), Attendee.objects.count(), ActionPoint.objects.count())
    call_command("loaddemo", without_work_in_progress=True, verbosity=0)
    assert (Meeting.objects.count(), Attendee.objects.count(), ActionPoint.objects.count()) == counts


def test_demo_logins_print_fresh_passwords_for_every_account(demo, capsys):
    call_command("demo_logins")
    first = capsys.readouterr().out.splitlines()
    call_command("demo_logins")
    second = capsys.readouterr().out.splitlines()
    assert [line.split()[:4] for line in first] == [
        ["demo", "login:", "isu", "isu"],
        ["demo", "login:", "coordinator", "coordinator"],
        ["demo", "login:", "coordinator", "coordinator-chile"],
    ]
    assert first != second
