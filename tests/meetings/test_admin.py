import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import AgendaItemFactory, DelegationFactory, MeetingFactory, PresidencyFactory

pytestmark = pytest.mark.django_db


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def meeting_form(presidency, **overrides):
    data = {
        "date": presidency.starts_on.replace(day=20).isoformat(),
        "starts_at": "12:30",
        "ends_at": "14:30",
        "venue": "Working lunch",
        "presidency": str(presidency.pk),
        **inline_management("attendance"),
        **inline_management("agenda_items"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


def test_isu_staff_can_key_in_a_meeting_with_attendance_and_items(staff_client):
    presidency = PresidencyFactory()
    sri_lanka, austria = DelegationFactory(name="Sri Lanka"), DelegationFactory(name="Austria")
    data = meeting_form(
        presidency,
        **inline_management("attendance", total=2),
        **{
            "attendance-0-delegation": sri_lanka.pk,
            "attendance-0-status": "present",
            "attendance-0-position": 1,
            "attendance-0-label": "Sri Lanka – 9MSP Presidency",
            "attendance-1-delegation": austria.pk,
            "attendance-1-status": "apologies",
            "attendance-1-position": 2,
        },
        **inline_management("agenda_items", total=1),
        **{
            "agenda_items-0-title": "Welcome Remarks",
            "agenda_items-0-body": "The *President* opened.",
            "agenda_items-0-position": 1,
        },
    )
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFT
    assert [row.display_name for row in meeting.attendance_list()] == ["Sri Lanka – 9MSP Presidency", "Austria"]
    assert meeting.agenda()[0].body_html == "<p>The <em>President</em> opened.</p>"


def test_a_meeting_that_ends_before_it_starts_gets_a_form_error(staff_client):
    data = meeting_form(PresidencyFactory(), starts_at="14:30", ends_at="12:30")
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_delegation_listed_twice_in_one_meeting_gets_a_form_error(staff_client):
    delegation = DelegationFactory(name="Chile")
    rows = {}
    for n in range(2):
        rows |= {
            f"attendance-{n}-delegation": delegation.pk,
            f"attendance-{n}-status": "present",
            f"attendance-{n}-position": n,
        }
    data = meeting_form(PresidencyFactory(), **inline_management("attendance", total=2), **rows)
    response = staff_client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for delegation" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Attendance.objects.exists()


def test_a_third_nesting_level_gets_a_form_error(staff_client):
    item = AgendaItemFactory(title="Interactive exchange")
    sub = AgendaItemFactory(meeting=item.meeting, parent=item, title="Universalization")
    data = {
        "parent": sub.pk,
        "position": 1,
        "title": "Too deep",
        "body": "",
        **inline_management("lead_links"),
        **inline_management("action_points"),
        **inline_management("decisions"),
    }
    third = AgendaItemFactory(meeting=item.meeting, title="Standalone")
    response = staff_client.post(reverse("admin:meetings_agendaitem_change", args=[third.pk]), data)
    assert response.status_code == 200
    assert "Items nest two levels deep at most" in response.content.decode()
    third.refresh_from_db()
    assert third.parent is None


def test_an_item_cannot_hang_under_another_meetings_item(staff_client):
    other = AgendaItemFactory(title="Elsewhere")
    item = AgendaItemFactory(title="Here")
    data = {
        "parent": other.pk,
        "position": 1,
        "title": "Here",
        "body": "",
        **inline_management("lead_links"),
        **inline_management("action_points"),
        **inline_management("decisions"),
    }
    response = staff_client.post(reverse("admin:meetings_agendaitem_change", args=[item.pk]), data)
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.parent is None


def test_the_admin_shows_status_read_only(staff_client):
    meeting = MeetingFactory()
    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()


def test_adopted_minutes_cannot_be_changed_in_the_admin(staff_client, demo):
    published = demo["2018-09-25"]
    before = published.agenda()[0].title
    url = reverse("admin:meetings_meeting_change", args=[published.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="_save"' not in page  # read-only view, no save button
    response = staff_client.post(url, meeting_form(published.presidency, venue="Changed"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.venue != "Changed"
    item = published.agenda_items.first()
    assert (
        staff_client.post(reverse("admin:meetings_agendaitem_change", args=[item.pk]), {"title": "x"}).status_code
        == 403
    )
    assert (
        staff_client.post(reverse("admin:meetings_agendaitem_delete", args=[item.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert published.agenda()[0].title == before


@pytest.mark.parametrize(
    "model",
    ["meeting", "attendance", "agendaitem", "actionpoint", "actionpointfollowup"],
)
def test_meetings_changelists_load_for_isu_staff(staff_client, demo, model):
    response = staff_client.get(reverse(f"admin:meetings_{model}_changelist") + "?q=Sri")
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["delegation", "representative", "presidency", "thematicarea", "coordinatorrole"])
def test_delegations_changelists_load_for_isu_staff(staff_client, demo, model):
    response = staff_client.get(reverse(f"admin:delegations_{model}_changelist") + "?q=Sri")
    assert response.status_code == 200


def test_meeting_change_page_of_a_draft_loads_with_its_inlines(staff_client, demo):
    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[demo["2018-11-13"].pk]))
    assert response.status_code == 200
    assert "Aliyar Lebbe Abdul Azeez" in response.content.decode()


def test_coordinators_cannot_use_the_admin(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302  # to the admin login: not staff


def test_autocomplete_finds_delegations_by_alias(staff_client, demo):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "People's Democratic",
            "app_label": "meetings",
            "model_name": "attendance",
            "field_name": "delegation",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Lao PDR"]


def test_deleting_a_meeting_item_removes_its_sub_items(db):
    item = AgendaItemFactory()
    AgendaItemFactory(meeting=item.meeting, parent=item)
    item.delete()
    assert not AgendaItem.objects.exists()


def test_the_admin_refuses_to_change_an_announced_meeting(staff_client, isu_staff, demo):
    """An announcement changes only through its pages, which raise the calendar's SEQUENCE."""
    import datetime

    from django.utils import timezone

    from meetings import workflow
    from tests.meetings.pages import admin_form_data

    day = timezone.localdate() + datetime.timedelta(days=30)
    announced = workflow.announce(
        isu_staff, date=day, presidency=demo["2018-11-13"].presidency, starts_at=datetime.time(13, 0)
    )
    url = reverse("admin:meetings_meeting_change", args=[announced.pk])
    data = admin_form_data(staff_client.get(url))
    assert staff_client.post(url, {**data, "venue": "Conference Room XII"}).status_code == 403
    announced.refresh_from_db()
    assert (announced.venue, announced.ics_sequence) == ("", 0)
