import pytest
from django.urls import reverse

from tests.factories import AttendeeFactory, DelegationFactory, published_meeting
from tests.meetings.test_public_pages import page_text

pytestmark = pytest.mark.django_db

DRAFT_DATE_TEXTS = ["13 November 2018", "13 Nov 2018", "2018-11-13"]


def assert_no_draft(text):
    for needle in DRAFT_DATE_TEXTS:
        assert needle not in text


def test_delegation_index_lists_delegations_with_their_published_attendance(client, demo):
    text = page_text(client.get(reverse("portal:delegation_index")))
    assert "New Zealand" in text
    assert "Mozambique" in text


def test_delegation_page_shows_attendance_history_of_published_meetings(client, demo):
    text = page_text(client.get("/delegations/new-zealand/"))
    assert "Attended 1 of 1 published meeting; sent apologies to 0." in text
    assert "25 September 2018" in text


def test_delegation_page_counts_apologies(client, demo):
    text = page_text(client.get("/delegations/mozambique/"))
    assert "Attended 0 of 1 published meeting; sent apologies to 1." in text
    assert "apologies" in text


def test_the_demo_draft_appears_nowhere_on_delegation_pages(client, demo):
    # New Zealand took part remotely in the draft of 13 November, and Zambia sent apologies to it.
    for slug in ["new-zealand", "zambia", "sri-lanka", "isu-ccm"]:
        text = page_text(client.get(f"/delegations/{slug}/"))
        assert_no_draft(text)
        assert "remote" not in text
    assert_no_draft(page_text(client.get(reverse("portal:delegation_index"))))


@pytest.mark.parametrize("persona", ["isu_staff", "coordinator", "admin_user", "outsider"])
def test_logged_in_readers_see_only_the_published_record_on_delegation_pages(client, demo, request, persona):
    client.force_login(request.getfixturevalue(persona))
    text = page_text(client.get("/delegations/new-zealand/"))
    assert_no_draft(text)
    assert "30 August 2018" not in text  # adopted, not yet published
    assert "Attended 1 of 1 published meeting;" in text


def test_delegation_page_lists_roles_held(client, demo):
    assert "Coordinator for Universalization during the 9MSP Presidency" in page_text(
        client.get("/delegations/panama/")
    )
    assert "9MSP Presidency, from 6 September 2018" in page_text(client.get("/delegations/sri-lanka/"))


def test_delegation_page_lists_action_points_owned_with_their_status(client, demo):
    response = client.get("/delegations/isu-ccm/")
    text = page_text(response)
    assert "Have sample country pages ready for the next meeting" in text
    # The draft of 13 November records it done; the public record still has it open.
    assert "The ISU presented the sample country pages." not in text
    assert "action-status-done" not in response.content.decode()
    assert "action-status-open" in response.content.decode()


def test_delegation_links_to_its_page(demo):
    from delegations.models import Delegation

    assert Delegation.objects.get(name="New Zealand").get_absolute_url() == "/delegations/new-zealand/"


def test_unknown_delegation_is_404(client, demo):
    assert client.get("/delegations/atlantis/").status_code == 404
    assert client.get("/delegations/%20/").status_code == 404


def test_delegation_page_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries):
    delegation = DelegationFactory(name="Ruritania")
    for _ in range(5):
        published_meeting(
            items=3,
            delegations=2,
            before_adoption=lambda m: AttendeeFactory(attendance__meeting=m, attendance__delegation=delegation),
        )
    with django_assert_max_num_queries(12):
        assert client.get(delegation.get_absolute_url()).status_code == 200


def test_delegation_index_query_count_is_constant(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:delegation_index"))
