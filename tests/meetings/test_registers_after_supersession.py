"""The public registers say what the published record says: once an imported record is superseded
by a corrected one (workflow.supersede, through the import page), the delegation pages, the
presidency's attendance matrix, the delegation index, the action-point register and the search
links read the corrected record, not the rows of the import it replaced. A record never
superseded reads as before."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, RecordSupersession
from tests.meetings.importing import load_reference_data
from tests.meetings.test_public_pages import page_text
from tests.seed import SEED_FILE

pytestmark = pytest.mark.django_db

DATE = "2018-09-25"
IMPORT_URL = reverse("meetings:meeting_import")
CONFIRM_URL = reverse("meetings:meeting_import_confirm")
SUPERSEDE_URL = reverse("meetings:meeting_supersede", args=[DATE])
SEED = SEED_FILE.read_text(encoding="utf-8")
# The transcription error: Austria, present in the source, imported among the apologies.
AUSTRIA = "Austria\n\nMs. Susanne Hammer\n\n"
AUSTRIA_AWAY = SEED.replace(AUSTRIA, "", 1).replace("Apologies\n\nMozambique", "Apologies\n\nAustria\nMozambique", 1)
# Another: the heading of item 5.2 left out, so that its text was imported under 5.1.
NO_5_2 = SEED.replace("5.2. Victim Assistance (Ireland & Spain)\n", "", 1)


@pytest.fixture
def staff_client(isu_staff):
    client = Client()
    client.force_login(isu_staff)
    return client


def _upload(client, content, name="minutes.txt", **data):
    file = SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode("utf-8"))
    return client.post(IMPORT_URL, {"file": file, "status": data.pop("status", "draft"), **data})


def _payload(response, form="payload"):
    return re.search(rf'name="{form}" value="([^"]+)"', response.content.decode()).group(1)


def publish_import(client, content, name="minutes.txt"):
    """Import `content` as minutes published from the archive (adopted by a silence procedure)."""
    options = {"status": "published", "silence_procedure_ends": "2018-10-20"}
    preview = _upload(client, content, name=name, **options)
    client.post(CONFIRM_URL, {"payload": _payload(preview), **options})
    meeting = Meeting.objects.get(date=DATE)
    assert meeting.status == Meeting.Status.PUBLISHED
    return meeting


def supersede(client, content, name="minutes.txt", reason="The import differs from the source."):
    preview = _upload(client, content, name=name)
    data = {"payload": _payload(preview), "against": _payload(preview, "against"), "reason": reason}
    assert client.post(SUPERSEDE_URL, {**data, "confirmed": "yes"}).status_code == 302
    assert RecordSupersession.objects.filter(meeting__date=DATE).exists()


def delegation_history(client, slug):
    return page_text(client.get(f"/delegations/{slug}/"))


def matrix_cell(client, delegation):
    body = client.get("/presidencies/9MSP/").content.decode()
    matrix = body[body.index("<table") : body.index("</table>")]
    row = re.search(rf">{delegation}</a></th>(.*?)</tr>", matrix, re.S)
    return re.findall(r'class="presence presence-(\w+)"', row.group(1)) if row else None


def attended_count(client, delegation):
    """The number of published meetings the delegation index says `delegation` attended."""
    body = client.get(reverse("portal:delegation_index")).content.decode()
    row = re.search(rf">{delegation}</a>.*?</tr>", body, re.S).group(0)
    return int(re.search(r'<td class="text-end">(\d+)</td>', row).group(1))


@pytest.fixture
def reference():
    load_reference_data()


def test_a_delegation_imported_among_the_apologies_is_shown_present_once_the_record_is_corrected(
    client, staff_client, reference
):
    publish_import(staff_client, AUSTRIA_AWAY)
    assert "sent apologies to 1" in delegation_history(client, "austria")
    assert matrix_cell(client, "Austria") == ["apologies"]

    supersede(staff_client, SEED)

    history = delegation_history(client, "austria")
    assert "Attended 1 of 1 published meeting; sent apologies to 0." in history
    assert matrix_cell(client, "Austria") == ["present"]
    # The others read as the record says too: Mozambique sent its apologies, Chile was there.
    assert matrix_cell(client, "Mozambique") == ["apologies"]
    assert matrix_cell(client, "Chile") == ["present"]
    assert "Attended 1 of 1 published meeting; sent apologies to 0." in delegation_history(client, "chile")
    assert "Attended 0 of 1 published meeting; sent apologies to 1." in delegation_history(client, "mozambique")


def test_the_delegation_index_counts_the_attendance_the_corrected_record_gives(client, staff_client, reference):
    publish_import(staff_client, AUSTRIA_AWAY)
    assert attended_count(client, "Austria") == 0

    supersede(staff_client, SEED)

    assert attended_count(client, "Austria") == 1
    assert attended_count(client, "Chile") == 1
    assert attended_count(client, "Mozambique") == 0


def test_a_search_result_links_to_the_item_of_the_corrected_record(client, staff_client, reference):
    publish_import(staff_client, NO_5_2)
    assert 'href="/meetings/2018-09-25/#item-5.1"' in client.get("/search/", {"q": "silos"}).content.decode()

    supersede(staff_client, SEED)

    body = client.get("/search/", {"q": "silos"}).content.decode()
    assert 'href="/meetings/2018-09-25/#item-5.2"' in body
    assert 'href="/meetings/2018-09-25/#item-5.1"' not in body


def test_registers_of_a_record_never_superseded_read_as_before(client, staff_client, reference):
    publish_import(staff_client, AUSTRIA_AWAY)
    assert "Attended 0 of 1 published meeting; sent apologies to 1." in delegation_history(client, "austria")
    assert matrix_cell(client, "Austria") == ["apologies"]
    assert matrix_cell(client, "Chile") == ["present"]
    assert "Attended 1 of 1 published meeting; sent apologies to 0." in delegation_history(client, "chile")


def pdf_carrying(record):
    """A PDF carrying `record` as its minutes.json, as the portal's own PDFs do."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("minutes.json", json.dumps(record).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrected_record(meeting):
    """The published record of `meeting` with item 5.1 as its source gives it: led by Panama and
    Chile, with a decision and an action point owned by Chile."""
    record = json.loads(json.dumps(meeting.adopted_record))
    item = next(i for i in record["items"][3]["items"] if i["title"].startswith("Universalization"))
    item["leads"] = ["Panama", "Chile"]
    item["decisions"] = ["The Committee welcomed the universalization plan."]
    item["action_points"] = [
        {"text": "Chile to brief the Committee on its outreach.", "owners": ["Chile"], "status": "open"}
    ]
    return record


def test_the_action_points_and_the_leads_of_a_corrected_record_reach_the_registers(client, staff_client, reference):
    meeting = publish_import(
        staff_client, SEED.replace("Universalization (Panama & Chile)", "Universalization (Panama & Peru)")
    )
    supersede(staff_client, pdf_carrying(corrected_record(meeting)), name="minutes.pdf")

    register = page_text(client.get(reverse("portal:action_point_index")))
    assert "Chile to brief the Committee on its outreach." in register
    assert "1 action point" in register
    chile = delegation_history(client, "chile")
    assert "Chile to brief the Committee on its outreach." in chile
    assert "The Committee welcomed the universalization plan." in chile
    peru = delegation_history(client, "peru")
    assert "Chile to brief the Committee" not in peru
    assert "The Committee welcomed the universalization plan." not in peru
    register = reverse("portal:action_point_index")
    assert "Chile to brief the Committee" in page_text(client.get(register, {"owner": "chile"}))
    assert "Chile to brief the Committee" not in page_text(client.get(register, {"owner": "peru"}))
    assert "Chile to brief the Committee" not in page_text(client.get(register, {"status": "done"}))


def test_the_registers_of_a_superseded_record_stay_within_their_query_budgets(
    client, staff_client, reference, django_assert_max_num_queries
):
    meeting = publish_import(staff_client, AUSTRIA_AWAY)
    supersede(staff_client, pdf_carrying(corrected_record(meeting)), name="minutes.pdf")
    # The budgets of the registers' own query-count tests (test_delegation_pages, test_presidency_pages).
    with django_assert_max_num_queries(12):
        assert client.get("/delegations/chile/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portal:delegation_index")).status_code == 200
