import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from delegations.models import Presidency
from tests.factories import AttendanceFactory, AttendeeFactory, DelegationFactory, MeetingFactory, PresidencyFactory
from tests.meetings.test_delegation_pages import assert_no_draft
from tests.meetings.test_public_pages import page_text

pytestmark = pytest.mark.django_db


def test_presidency_index_lists_terms(client, demo):
    text = page_text(client.get(reverse("portal:presidency_index")))
    assert "9MSP" in text and "Sri Lanka" in text
    assert "8MSP" in text and "Nicaragua" in text


def test_presidency_page_lists_its_published_meetings_and_coordinators(client, demo):
    text = page_text(client.get("/presidencies/9MSP/"))
    assert "Presided by Sri Lanka" in text
    assert "25 September 2018" in text
    assert "Universalization Panama & Chile" in text
    assert "Reporting Iraq" in text


def test_presidency_links_to_its_page(demo):
    assert Presidency.objects.get(name="9MSP").get_absolute_url() == "/presidencies/9MSP/"


def matrix_of(response):
    body = response.content.decode()
    start = body.index('<table class="table table-sm attendance-matrix"')
    return body[start : body.index("</table>", start)]


def test_attendance_matrix_is_an_accessible_table_with_words_in_its_cells(client, demo):
    matrix = matrix_of(client.get("/presidencies/9MSP/"))
    assert "<caption" in matrix
    assert 'scope="col"' in matrix and 'scope="row"' in matrix
    mozambique = re.search(r"Mozambique</a></th>(.*?)</tr>", matrix, re.S).group(1)
    assert ">apologies<" in mozambique
    chile = re.search(r"Chile</a></th>(.*?)</tr>", matrix, re.S).group(1)
    assert ">present<" in chile


def test_the_demo_draft_appears_nowhere_in_the_attendance_matrix(client, demo):
    response = client.get("/presidencies/9MSP/")
    matrix = matrix_of(response)
    assert "2018-11-13" not in matrix
    assert ">remote<" not in matrix  # New Zealand joined the draft meeting by conference call
    assert_no_draft(page_text(response))


@pytest.mark.parametrize("persona", ["isu_staff", "coordinator", "admin_user"])
def test_staff_see_only_published_meetings_in_the_matrix(client, demo, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/presidencies/9MSP/")
    assert "2018-11-13" not in matrix_of(response)
    assert_no_draft(page_text(response))
    text = page_text(client.get("/presidencies/8MSP/"))
    assert "30 August 2018" not in text  # adopted, not yet published


def publish_meeting_of(presidency, delegations, remote=()):
    """A published meeting of `presidency` attended by `delegations`, one representative each
    (taking part remotely for those in `remote`)."""
    from meetings import workflow

    meeting = MeetingFactory(presidency=presidency)
    for position, delegation in enumerate(delegations):
        AttendeeFactory(
            attendance=AttendanceFactory(meeting=meeting, delegation=delegation, position=position),
            remote=delegation in remote,
        )
    workflow.enter_archived_adoption(meeting, silence_procedure_ends_at=datetime(2040, 1, 1, tzinfo=UTC))
    workflow.publish(meeting)
    return meeting


def test_matrix_tells_present_remote_and_absent_apart(client):
    presidency = PresidencyFactory()
    here, remote = DelegationFactory(name="Presentia"), DelegationFactory(name="Remotia")
    publish_meeting_of(presidency, [here, remote], remote=[remote])
    publish_meeting_of(presidency, [here])
    matrix = matrix_of(client.get(presidency.get_absolute_url()))
    remotia = re.search(r"Remotia</a></th>(.*?)</tr>", matrix, re.S).group(1)
    assert re.findall(r">(\w+)</td>", remotia) == ["remote", "absent"]
    presentia = re.search(r"Presentia</a></th>(.*?)</tr>", matrix, re.S).group(1)
    assert re.findall(r">(\w+)</td>", presentia) == ["present", "present"]


def test_presidency_page_query_count_does_not_grow_with_meetings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(meetings):
        presidency = PresidencyFactory()
        delegations = [DelegationFactory() for _ in range(meetings * 2)]
        for index in range(meetings):
            publish_meeting_of(presidency, delegations[index:])
        with CaptureQueriesContext(connection) as context:
            assert client.get(presidency.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    assert queries(1) == queries(6)


def test_unknown_presidency_is_404(client, demo):
    assert client.get("/presidencies/99MSP/").status_code == 404
