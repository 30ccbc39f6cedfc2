"""ISU staff edit agenda items: title, leads, Markdown body, decisions and action points;
add, remove and reorder items, and the numbers follow."""

import pytest
from django.test import Client

from delegations.models import Delegation
from meetings.models import ActionPoint, AgendaItem, AuditEntry, Decision
from tests.meetings.pages import form_data

pytestmark = pytest.mark.django_db

DRAFT = "2018-11-13"


def item_url(item):
    return f"/drafting/{item.meeting.date.isoformat()}/items/{item.pk}/"


def numbered(meeting):
    return [(i.number, i.title) for top in meeting.agenda() for i in [top, *top.children]]


@pytest.fixture
def staff_client(client, isu_staff):
    client.force_login(isu_staff)
    return client


@pytest.fixture
def item(demo):
    return AgendaItem.objects.get(meeting=demo[DRAFT], title="Update by the Presidency")


def edit(client, item, **changes):
    page = client.get(item_url(item))
    data = form_data(page, "form", "action_points", "decisions")
    data.update(changes)
    return client.post(item_url(item), data)


def test_staff_edit_title_body_and_leads_of_an_item(staff_client, item):
    sri_lanka = Delegation.objects.get(name="Sri Lanka")
    chile = Delegation.objects.get(name="Chile")
    response = edit(
        staff_client,
        item,
        title="Update by the Sri Lankan Presidency",
        body="The **President** reported.",
        lead_1=str(chile.pk),
        lead_2=str(sri_lanka.pk),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Update by the Sri Lankan Presidency"
    assert item.body_html == "<p>The <strong>President</strong> reported.</p>"
    assert [link.delegation.name for link in item.lead_links.all()] == ["Chile", "Sri Lanka"]
    assert item.revision == 2


def test_the_item_editor_has_a_toolbar_and_preview_without_inline_script(staff_client, item):
    html = staff_client.get(item_url(item)).content.decode()
    assert 'data-md="bold"' in html and 'data-md="ol"' in html and 'data-md="ul"' in html
    assert 'data-preview-url="/drafting/preview/"' in html
    assert "js/editor." in html
    assert "<script>" not in html


def test_staff_add_decisions_and_action_points_under_an_item(staff_client, item):
    new_zealand = Delegation.objects.get(name="New Zealand")
    response = edit(
        staff_client,
        item,
        **{
            "dec-0-text": "The Committee took note of the update.",
            "ap-0-text": "Circulate the draft agenda",
            "ap-0-owners": [str(new_zealand.pk)],
            "ap-0-due_at_next_meeting": "on",
            "ap-0-status": "open",
        },
    )
    assert response.status_code == 302
    assert list(Decision.objects.filter(agenda_item=item).values_list("text", flat=True)) == [
        "The Committee took note of the update."
    ]
    point = ActionPoint.objects.get(agenda_item=item)
    assert point.due_display == "next meeting"
    assert list(point.owners.all()) == [new_zealand]


def test_an_action_point_due_on_a_date_and_at_the_next_meeting_is_a_form_error(staff_client, item):
    response = edit(
        staff_client,
        item,
        **{"ap-0-text": "Both", "ap-0-due_on": "2019-01-01", "ap-0-due_at_next_meeting": "on", "ap-0-status": "open"},
    )
    assert response.status_code == 200
    assert "An action point is due on a date or at the next meeting, not both." in response.content.decode()
    assert not ActionPoint.objects.filter(agenda_item=item).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 501}, "Ensure this value has at most 500 characters"),
        ({"lead_1": "999999"}, "Select a valid choice."),
        ({"revision": "abc"}, "Enter a whole number."),
        ({"ap-0-text": "No status", "ap-0-status": "bogus"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(staff_client, item, changes, message):
    response = edit(staff_client, item, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.revision == 1


def test_the_same_lead_twice_is_a_form_error(staff_client, item):
    chile = str(Delegation.objects.get(name="Chile").pk)
    response = edit(staff_client, item, lead_1=chile, lead_2=chile)
    assert "A delegation leads an item once" in response.content.decode()


def test_the_preview_returns_sanitised_html(staff_client):
    response = staff_client.post(
        "/drafting/preview/", {"body": "*Hi* <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>Hi</em>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_the_preview_enforces_csrf(isu_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(isu_staff)
    assert client.post("/drafting/preview/", {"body": "x"}).status_code == 403


def test_the_preview_is_post_only(staff_client):
    assert staff_client.get("/drafting/preview/").status_code == 405


def test_staff_add_an_item_at_the_end_and_numbers_follow(staff_client, demo):
    meeting = demo[DRAFT]
    response = staff_client.post(f"/drafting/{DRAFT}/items/add/")
    item = AgendaItem.objects.filter(meeting=meeting).latest("id")
    assert response["Location"] == item_url(item)
    assert numbered(meeting)[-1] == ("9", "New item")


def test_staff_add_a_sub_item(staff_client, demo):
    parent = AgendaItem.objects.get(meeting=demo[DRAFT], title="Any Other Business")
    staff_client.post(f"/drafting/{DRAFT}/items/add/", {"parent": parent.pk})
    assert ("7.1", "New item") in numbered(demo[DRAFT])


def test_a_third_level_is_refused_with_a_message(staff_client, demo):
    sub = AgendaItem.objects.get(meeting=demo[DRAFT], title="Reporting")
    response = staff_client.post(f"/drafting/{DRAFT}/items/add/", {"parent": sub.pk}, follow=True)
    assert "levels deep at most" in response.content.decode()
    assert not sub.sub_items.exists()


def test_a_parent_from_another_meeting_is_404(staff_client, demo):
    other = AgendaItem.objects.filter(meeting=demo["2018-09-25"]).first()
    assert staff_client.post(f"/drafting/{DRAFT}/items/add/", {"parent": other.pk}).status_code == 404
    assert staff_client.post(f"/drafting/{DRAFT}/items/add/", {"parent": "x"}).status_code == 404


def test_staff_remove_an_item_and_the_numbers_close_up(staff_client, demo):
    meeting = demo[DRAFT]
    presidency = AgendaItem.objects.get(meeting=meeting, title="Update by the Presidency")
    staff_client.post(f"/drafting/{DRAFT}/items/{presidency.pk}/remove/")
    assert numbered(meeting)[2:4] == [("4", "Update by the Coordinators"), ("4.1", "Universalization")]
    entry = AuditEntry.objects.get(action="item.removed")
    assert entry.changes["title"] == ["Update by the Presidency", None]


def test_removing_an_item_with_sub_items_removes_them_too(staff_client, demo):
    coordinators = AgendaItem.objects.get(meeting=demo[DRAFT], title="Update by the Coordinators")
    staff_client.post(f"/drafting/{DRAFT}/items/{coordinators.pk}/remove/")
    assert not AgendaItem.objects.filter(meeting=demo[DRAFT], title="Universalization").exists()


def test_staff_move_items_up_and_down_and_numbers_follow(staff_client, demo):
    meeting = demo[DRAFT]
    aob = AgendaItem.objects.get(meeting=meeting, title="Any Other Business")
    staff_client.post(f"/drafting/{DRAFT}/items/{aob.pk}/move/", {"direction": "up"})
    assert numbered(meeting)[-3:] == [
        ("6", "Any Other Business"),
        ("7", "Update by the Implementation Support Unit"),
        ("8", "Date of the Next Meeting"),
    ]
    reporting = AgendaItem.objects.get(meeting=meeting, title="Reporting")
    staff_client.post(f"/drafting/{DRAFT}/items/{reporting.pk}/move/", {"direction": "down"})
    assert ("5.6", "Reporting") in numbered(meeting)


def test_moving_past_the_end_is_refused_with_a_message(staff_client, demo):
    last = AgendaItem.objects.get(meeting=demo[DRAFT], title="Date of the Next Meeting")
    response = staff_client.post(f"/drafting/{DRAFT}/items/{last.pk}/move/", {"direction": "down"}, follow=True)
    assert "cannot move further" in response.content.decode()
    response = staff_client.post(f"/drafting/{DRAFT}/items/{last.pk}/move/", {"direction": "sideways"}, follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize("action", ["remove", "move"])
def test_structure_changes_are_post_only(staff_client, item, action):
    assert staff_client.get(f"{item_url(item)}{action}/").status_code == 405
    assert staff_client.get(f"/drafting/{DRAFT}/items/add/").status_code == 405


def test_an_item_of_another_meeting_is_404(staff_client, demo):
    other = AgendaItem.objects.filter(meeting=demo["2018-09-25"]).first()
    assert staff_client.get(f"/drafting/{DRAFT}/items/{other.pk}/").status_code == 404


def test_the_item_editor_runs_a_constant_number_of_queries(staff_client, item, django_assert_max_num_queries):
    for n in range(5):
        point = ActionPoint.objects.create(agenda_item=item, text=f"Point {n}")
        point.owners.set(Delegation.objects.all()[:3])
        Decision.objects.create(agenda_item=item, text=f"Decision {n}")
    with django_assert_max_num_queries(14):
        assert staff_client.get(item_url(item)).status_code == 200


def test_drafting_mutations_enforce_csrf(isu_staff, item):
    client = Client(enforce_csrf_checks=True)
    client.force_login(isu_staff)
    for url in (item_url(item), f"{item_url(item)}remove/", f"{item_url(item)}move/", f"/drafting/{DRAFT}/items/add/"):
        assert client.post(url, {"title": "x", "direction": "up"}).status_code == 403, url
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_saving_an_item_removed_meanwhile_is_a_message_not_a_500(staff_client, item, monkeypatch):
    from meetings import drafting

    page = staff_client.get(item_url(item))
    data = form_data(page, "form", "action_points", "decisions")
    real_load = drafting.load_item
    # The item disappears between loading the page's objects and taking the row lock.
    monkeypatch.setattr(
        drafting, "load_item", lambda m, pk: (real_load(m, pk), AgendaItem.objects.filter(pk=pk).delete())[0]
    )
    response = staff_client.post(item_url(item), {**data, "body": "Lost?"})
    assert response.status_code == 200
    assert "Someone removed this while you were editing it" in response.content.decode()


def test_staff_change_and_delete_existing_decisions_and_action_points(staff_client, item):
    keep = Decision.objects.create(agenda_item=item, text="Old wording", position=1)
    drop = Decision.objects.create(agenda_item=item, text="Drop me", position=2)
    point = ActionPoint.objects.create(agenda_item=item, text="Write to the States", position=1)
    point.owners.set([Delegation.objects.get(name="Chile")])
    page = staff_client.get(item_url(item))
    data = form_data(page, "form", "action_points", "decisions")
    assert data["dec-0-id"] == str(keep.pk)
    data.update({"dec-0-text": "New wording", "dec-1-DELETE": "on", "ap-0-status": "done"})
    assert staff_client.post(item_url(item), data).status_code == 302
    assert list(Decision.objects.filter(agenda_item=item).values_list("text", flat=True)) == ["New wording"]
    assert not Decision.objects.filter(pk=drop.pk).exists()
    point.refresh_from_db()
    assert point.status == "done"
    changes = AuditEntry.objects.get(action="item.changed").changes
    assert changes["decisions"] == ["Old wording\nDrop me", "New wording"]
    assert changes["action_points"] == [
        "Write to the States — Chile; open",
        "Write to the States — Chile; done",
    ]
