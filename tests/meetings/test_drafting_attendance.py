"""The attendance sheet: pre-filled with the committee, each delegation not recorded until marked
present (with at least one representative) or apologies; representatives picked in order or
added inline; saved in one transaction."""

import datetime

import pytest

from delegations.models import Representative
from meetings import drafting
from meetings.models import Attendance, AuditEntry, Meeting
from tests.meetings.pages import form_data

pytestmark = pytest.mark.django_db

NEW = "2018-12-11"
URL = f"/drafting/{NEW}/attendance/"


@pytest.fixture
def meeting(demo, isu_staff):
    presidency = demo["2018-11-13"].presidency
    return drafting.create_meeting(isu_staff, date=datetime.date(2018, 12, 11), presidency=presidency)


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


def sheet(response):
    return [
        (form.delegation_obj.name if form.delegation_obj else None, form["status"].value())
        for form in response.context["formset"]
    ]


def test_a_fresh_sheet_lists_the_committee_in_the_records_order_with_nobody_recorded(staff_client, meeting):
    response = staff_client.get(URL)
    assert sheet(response) == [
        ("Sri Lanka", "absent"),
        ("Panama", "absent"),
        ("Chile", "absent"),
        ("Ireland", "absent"),
        ("Spain", "absent"),
        ("Sweden", "absent"),
        ("Lao PDR", "absent"),
        ("Netherlands", "absent"),
        ("Peru", "absent"),
        ("Iraq", "absent"),
        ("New Zealand", "absent"),
        ("CMC", "absent"),
        ("ICRC", "absent"),
        ("UNODA", "absent"),
        ("ISU CCM", "absent"),
        (None, "absent"),  # a row to add another delegation
    ]
    assert "Not recorded" in response.content.decode()
    assert response.context["formset"][0]["label"].value() == "Sri Lanka – 9MSP Presidency"
    assert "Sri Lanka – 9MSP Presidency" in response.content.decode()


def test_staff_mark_attendance_pick_and_add_representatives(staff_client, meeting):
    page = staff_client.get(URL)
    forms = page.context["formset"].forms
    data = form_data(page, "formset", "revision_form")
    for index in range(len(forms)):
        data[f"form-{index}-status"] = "absent"
    sri_lanka = forms[0]
    first, second = list(sri_lanka.rep_objects.values())[:2]
    data.update(
        {
            "form-0-status": "present",
            "form-0-representatives": [str(second.pk), str(first.pk)],
            "form-0-remote": [str(first.pk)],
            "form-1-status": "present",
            "form-1-new_honorific": "Mr.",
            "form-1-new_name": "Juan Pérez",
            "form-1-new_remote": "on",
            "form-2-status": "apologies",
        }
    )
    response = staff_client.post(URL, data)
    assert response.status_code == 302
    rows = Meeting.objects.get(date=NEW).attendance_list()
    assert [(r.display_name, r.status) for r in rows] == [
        ("Sri Lanka – 9MSP Presidency", "present"),
        ("Panama", "present"),
        ("Chile", "apologies"),
    ]
    people = [(a.representative, a.remote) for a in rows[0].attendees.all()]
    assert people == [(second, False), (first, True)]
    added = rows[1].attendees.get()
    assert (added.honorific, added.representative.name, added.remote) == ("Mr.", "Juan Pérez", True)
    assert Representative.objects.filter(name="Juan Pérez", delegation__name="Panama").exists()
    entry = AuditEntry.objects.get(action="attendance.changed")
    assert entry.changes["Chile"] == [None, "Apologies"]


def test_a_saved_sheet_shows_the_rest_of_the_committee_as_absent(staff_client, demo):
    response = staff_client.get("/drafting/2018-11-13/attendance/")
    rows = sheet(response)
    assert rows[:4] == [
        ("Sri Lanka", "present"),
        ("New Zealand", "present"),
        ("ISU CCM", "present"),
        ("Zambia", "apologies"),
    ]
    assert ("Panama", "absent") in rows


def test_another_delegation_can_be_added_on_the_blank_row(staff_client, meeting, demo):
    page = staff_client.get(URL)
    data = form_data(page, "formset", "revision_form")
    blank = len(page.context["formset"].forms) - 1
    from delegations.models import Delegation

    austria = Delegation.objects.get(name="Austria")
    data.update(
        {
            f"form-{blank}-delegation": str(austria.pk),
            f"form-{blank}-status": "present",
            f"form-{blank}-new_name": "Anna Gruber",
        }
    )
    assert staff_client.post(URL, data).status_code == 302
    assert (
        Attendance.objects.get(meeting=meeting, delegation=austria).attendees.get().representative.name == "Anna Gruber"
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"form-2-status": "apologies", "form-2-new_name": "Someone"}, "has no representatives listed"),
        ({"form-0-status": "bogus"}, "Select a valid choice."),
        ({"form-0-delegation": "999999"}, "Select a valid choice."),
        ({"form-TOTAL_FORMS": "x"}, "ManagementForm data is missing or has been tampered with"),
        ({"revision": "x"}, ""),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(staff_client, meeting, changes, message):
    data = form_data(staff_client.get(URL), "formset", "revision_form")
    response = staff_client.post(URL, {**data, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_the_sheet_runs_a_constant_number_of_queries(staff_client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert staff_client.get("/drafting/2018-11-13/attendance/").status_code == 200


def test_a_fresh_sheet_ticks_who_came_last_time(staff_client, meeting, demo):
    response = staff_client.get(URL)
    sri_lanka = response.context["formset"][0]
    last_time = Attendance.objects.get(meeting=demo["2018-11-13"], delegation__name="Sri Lanka")
    expected = [str(a.representative_id) for a in last_time.attendees.all()]
    assert expected
    assert sri_lanka["representatives"].value() == expected


def test_marking_apologies_drops_the_ticks_from_last_time(staff_client, meeting):
    data = form_data(staff_client.get(URL), "formset", "revision_form")
    assert data["form-0-representatives"]
    assert staff_client.post(URL, {**data, "form-0-status": "apologies"}).status_code == 302
    sri_lanka = Attendance.objects.get(meeting=meeting, delegation__name="Sri Lanka")
    assert sri_lanka.status == "apologies"
    assert not sri_lanka.attendees.exists()


def test_present_without_a_representative_is_a_form_error_and_nothing_is_saved(staff_client, meeting):
    page = staff_client.get(URL)
    data = form_data(page, "formset", "revision_form")
    data.update({"form-0-status": "present", "form-0-representatives": [], "form-1-status": "apologies"})
    response = staff_client.post(URL, data)
    assert response.status_code == 200
    assert "needs at least one representative" in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_the_drafting_function_itself_refuses_present_without_names(isu_staff, meeting):
    delegation = drafting.committee(meeting)[0][0]
    with pytest.raises(drafting.DraftingError):
        drafting.save_attendance(
            meeting, isu_staff, meeting.attendance_revision, [{"delegation": delegation, "status": "present"}]
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_present_delegation_without_names_is_never_shown_bare(client, isu_staff):
    """Only a draft can hold one (written outside the sheet); its page and PDF mark it, and the
    workflow refuses to let it go out (tests/meetings/test_workflow_problems.py)."""
    from tests import pdf_reader
    from tests.factories import AttendanceFactory, DelegationFactory, meeting_in

    meeting = meeting_in(Meeting.Status.DRAFT)
    AttendanceFactory(meeting=meeting, delegation=DelegationFactory(name="Ruritania"), status="present")
    client.force_login(isu_staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ruritania" in page and "[representatives not recorded]" in page
    pdf = pdf_reader.text(client.get(meeting.get_pdf_url()).content)
    assert "Ruritania" in pdf and "[representatives not recorded]" in pdf


def test_building_the_sheet_twice_from_the_same_rows_gives_the_same_forms(meeting):
    """A form reads the sheet's rows without rewriting them, so the same rows can be bound again
    (they are shared by every form built from one sheet, on any thread)."""
    from meetings.forms import AttendanceRowForm

    rows = drafting.attendance_sheet(meeting)
    first = [AttendanceRowForm(initial=row) for row in rows]
    second = [AttendanceRowForm(initial=row) for row in rows]

    assert [form.delegation_obj for form in second] == [form.delegation_obj for form in first]
    assert all(row["delegation"] == form.delegation_obj for row, form in zip(rows, first, strict=True))
