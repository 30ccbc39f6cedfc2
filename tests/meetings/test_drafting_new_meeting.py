"""ISU staff start a meeting from the standard agenda."""

import datetime

import pytest

from delegations.models import CoordinatorRole, Presidency, ThematicArea
from meetings.models import AgendaItem, AuditEntry, Meeting
from tests.factories import DelegationFactory

pytestmark = pytest.mark.django_db

NEW_URL = "/drafting/new/"


def create(client, **data):
    return client.post(NEW_URL, {"date": "2018-12-11", "starts_at": "13:00", "ends_at": "15:00", "venue": "", **data})


def agenda_titles(meeting):
    return [(item.number, item.title, item.leads_display) for top in meeting.agenda() for item in [top, *top.children]]


def test_staff_get_the_standard_agenda_under_the_current_presidency(client, isu_staff, demo):
    client.force_login(isu_staff)
    response = create(client)
    meeting = Meeting.objects.get(date="2018-12-11")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_drafting_url()
    assert meeting.presidency.name == "9MSP"
    assert meeting.status == Meeting.Status.DRAFT
    assert agenda_titles(meeting) == [
        ("2", "Welcome Remarks", ""),
        ("3", "Adoption of the Minutes of the meeting of 13 November 2018", ""),
        ("4", "Update by the Presidency", ""),
        ("5", "Update by the Coordinators", ""),
        ("5.1", "Universalization", "Panama & Chile"),
        ("5.2", "Victim Assistance", "Ireland & Spain"),
        ("5.3", "Clearance and Risk Reduction", "Sweden & Lao PDR"),
        ("5.4", "Cooperation and Assistance", "Netherlands & Peru"),
        ("5.5", "Reporting", "Iraq"),
        ("5.6", "National Implementation Measures", "New Zealand"),
        ("6", "Update by the Implementation Support Unit", ""),
        ("7", "Any Other Business", ""),
        ("8", "Date of the Next Meeting", ""),
    ]


def test_the_adoption_item_links_the_latest_minutes_not_yet_adopted(client, isu_staff, demo):
    client.force_login(isu_staff)
    create(client)
    item = AgendaItem.objects.get(meeting__date="2018-12-11", title__startswith="Adoption")
    assert item.minutes_to_adopt == demo["2018-11-13"]


def test_the_adoption_item_links_minutes_of_an_earlier_presidency(client, isu_staff, demo):
    tenth = Presidency.objects.create(
        name="10MSP", delegation=DelegationFactory(name="Philippines"), starts_on=datetime.date(2019, 9, 1)
    )
    area = ThematicArea.objects.get(name="Reporting")
    CoordinatorRole.objects.create(presidency=tenth, thematic_area=area, delegation=DelegationFactory(name="Chad"))
    client.force_login(isu_staff)
    create(client, date="2019-10-01")
    meeting = Meeting.objects.get(date="2019-10-01")
    assert meeting.presidency == tenth
    adoption = meeting.agenda_items.get(title__startswith="Adoption")
    assert adoption.minutes_to_adopt == demo["2018-11-13"]
    assert adoption.title == "Adoption of the Minutes of the meeting of 13 November 2018"
    # Only the new term's coordinators are offered.
    assert [(n, t, leads) for n, t, leads in agenda_titles(meeting) if n.startswith("5.")] == [
        ("5.1", "Reporting", "Chad")
    ]


def test_with_no_earlier_minutes_to_adopt_the_item_stands_unlinked(client, isu_staff, demo):
    client.force_login(isu_staff)
    create(client, date="2018-09-10")
    item = AgendaItem.objects.get(meeting__date="2018-09-10", title__startswith="Adoption")
    assert item.minutes_to_adopt is None
    assert item.title == "Adoption of the Minutes of the previous meeting"


def test_a_date_already_taken_is_a_form_error(client, isu_staff, demo):
    client.force_login(isu_staff)
    response = create(client, date="2018-11-13")
    assert response.status_code == 200
    assert "There is already a meeting on this date." in response.content.decode()
    assert Meeting.objects.count() == 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "not a date"}, "Enter a valid date."),
        ({"date": ""}, "This field is required."),
        ({"starts_at": "15:00", "ends_at": "13:00"}, "The meeting must end after it starts."),
        ({"date": "1990-01-01"}, "No presidency"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, isu_staff, demo, data, message):
    client.force_login(isu_staff)
    response = create(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(date="2018-12-11").exists()


def test_creating_a_meeting_is_audited(client, isu_staff, demo):
    client.force_login(isu_staff)
    create(client, venue="Working lunch")
    entry = AuditEntry.objects.get(action="meeting.created")
    assert entry.by == isu_staff
    assert entry.meeting.date == datetime.date(2018, 12, 11)
    assert entry.changes["venue"] == [None, "Working lunch"]


def test_the_form_offers_today(client, isu_staff):
    client.force_login(isu_staff)
    response = client.get(NEW_URL)
    assert response.status_code == 200
    assert 'type="date"' in response.content.decode()


def test_moving_a_meeting_to_a_taken_date_is_a_form_error_and_links_stay_put(client, isu_staff, demo):
    from tests.meetings.pages import form_data

    client.force_login(isu_staff)
    url = "/drafting/2018-11-13/"
    response = client.post(url, {**form_data(client.get(url), "form"), "date": "2018-09-25"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is already a meeting on this date." in html
    assert 'action="/drafting/2018-11-13/items/add/"' in html
    assert "/drafting/2018-09-25/" not in html


def test_moving_a_meeting_to_a_free_date_redirects_to_its_new_address(client, isu_staff, demo):
    from tests.meetings.pages import form_data

    client.force_login(isu_staff)
    url = "/drafting/2018-11-13/"
    response = client.post(url, {**form_data(client.get(url), "form"), "date": "2018-11-14"})
    assert response["Location"] == "/drafting/2018-11-14/"
    assert AuditEntry.objects.get(action="meeting.changed").changes == {"date": ["2018-11-13", "2018-11-14"]}
