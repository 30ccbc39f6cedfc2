"""The documents' pages: staff attach, replace and remove them on the drafting page; everyone who
may see the minutes downloads them, as a file whose bytes hash to the SHA-256 shown; the public
meeting page, the PDF and the delegation pages list them once the minutes are published."""

import hashlib

import pytest
from django.urls import reverse

from meetings import pdf
from meetings.models import AuditEntry, Document, Meeting
from tests import pdf_reader
from tests.factories import DelegationFactory, meeting_in, write_up
from tests.meetings.documents import (
    DOCX_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    adopt,
    attach,
    circulate,
    publish,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return write_up(meeting_in(Meeting.Status.DRAFT))


@pytest.fixture
def staff(client, isu_staff):
    client.force_login(isu_staff)
    return client


def attach_url(meeting):
    return reverse("meetings:drafting_document_attach", args=[meeting.date.isoformat()])


def form(item=None, name="paper.pdf", content=PDF_BYTES, **fields):
    return {
        "title": "Paper by the Presidency",
        "kind": "paper",
        "language": "en",
        "symbol": "CCM/CC/2018/WP.1",
        "agenda_item": item.pk if item else "",
        "presented_by": "",
        "upload": upload(name, content),
        **fields,
    }


def test_staff_attach_a_document_to_an_item_from_the_drafting_page(staff, draft):
    page = staff.get(draft.get_drafting_url())
    assert b'id="documents"' in page.content and attach_url(draft).encode() in page.content
    item = draft.agenda_items.order_by("position", "id").first()
    response = staff.post(attach_url(draft), form(item))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.agenda_item == item and document.symbol == "CCM/CC/2018/WP.1"
    page = staff.get(draft.get_drafting_url())
    assert "Paper by the Presidency" in page.content.decode()
    assert document.sha256[:12] in page.content.decode()


def test_a_web_page_named_pdf_is_refused_on_the_page_with_a_clear_message(staff, draft):
    response = staff.post(attach_url(draft), form(content=HTML_BYTES))
    assert response.status_code == 400
    assert "This file is named .pdf but its content is a web page (HTML)" in response.content.decode()
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="document.attached").exists()


def test_an_oversized_file_is_refused_on_the_page(staff, draft, settings):
    settings.DOCUMENT_MAX_UPLOAD = 1024 * 1024
    response = staff.post(attach_url(draft), form(content=PDF_BYTES + b"0" * 1024 * 1024))
    assert response.status_code == 400
    assert "The file is larger than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_staff_replace_and_remove_a_drafts_document_from_the_page(staff, draft, isu_staff):
    document = attach(draft, isu_staff)
    replace = reverse("meetings:drafting_document_replace", args=[draft.date.isoformat(), document.pk])
    assert staff.get(replace).status_code == 200
    assert staff.post(replace, {"upload": upload("paper.docx", DOCX_BYTES)}).status_code == 302
    assert Document.objects.get().sha256 == hashlib.sha256(DOCX_BYTES).hexdigest()
    remove = reverse("meetings:drafting_document_remove", args=[draft.date.isoformat(), document.pk])
    assert staff.post(remove).status_code == 302
    assert not Document.objects.exists()


def test_after_adoption_the_pages_refuse_to_replace_or_remove_a_document(staff, draft, isu_staff):
    document = attach(draft, isu_staff)
    adopt(draft, isu_staff)
    day = draft.date.isoformat()
    replace = reverse("meetings:drafting_document_replace", args=[day, document.pk])
    remove = reverse("meetings:drafting_document_remove", args=[day, document.pk])
    refused = staff.post(replace, {"upload": upload("other.pdf", PDF_BYTES + b"%other")})
    assert refused.status_code == 403
    assert "official record can no longer be changed" in refused.content.decode()
    assert staff.post(remove).status_code == 403
    assert staff.post(attach_url(draft), form()).status_code == 403
    assert list(Document.objects.values_list("sha256", flat=True)) == [document.sha256]
    # The drafting page of adopted minutes lists the document with no way to change it.
    page = staff.get(draft.get_drafting_url()).content.decode()
    assert "Paper by the Presidency" in page and replace not in page and remove not in page


def test_circulated_minutes_refuse_a_new_document_with_the_reason(staff, draft, isu_staff):
    circulate(draft, isu_staff)
    refused = staff.post(attach_url(draft), form())
    assert refused.status_code == 403
    assert "withdraw them to draft" in refused.content.decode()


def download(client, document, **headers):
    """The response, with a file's bytes read into `.body` (read to the end, the test client closes
    the file, as a WSGI server would)."""
    response = client.get(document.get_download_url(), headers=headers)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def test_a_document_of_an_item_of_a_draft_is_404_to_the_public_until_the_minutes_are_published(
    client, django_user_model, draft, isu_staff, coordinator, outsider
):
    document = attach(draft, isu_staff, agenda_item=draft.agenda_items.first())
    clients = {}
    for name, user in (("anonymous", None), ("outsider", outsider), ("coordinator", coordinator), ("staff", isu_staff)):
        clients[name] = type(client)()
        if user:
            clients[name].force_login(user)

    def statuses():
        return {name: download(c, document).status_code for name, c in clients.items()}

    assert statuses() == {"anonymous": 404, "outsider": 404, "coordinator": 404, "staff": 200}
    assert clients["anonymous"].get(draft.get_absolute_url()).status_code == 404
    circulate(draft, isu_staff)
    assert statuses() == {"anonymous": 404, "outsider": 404, "coordinator": 200, "staff": 200}
    adopt_at = Meeting.objects.get(pk=draft.pk)
    from meetings import workflow
    from tests.factories import later_meeting

    workflow.adopt(adopt_at, by=isu_staff, at_meeting=later_meeting(adopt_at))
    assert statuses() == {"anonymous": 404, "outsider": 404, "coordinator": 200, "staff": 200}
    workflow.publish(adopt_at, by=isu_staff)
    assert statuses() == {"anonymous": 200, "outsider": 200, "coordinator": 200, "staff": 200}


def test_a_document_of_another_meeting_or_a_wrong_id_is_404(client, draft, isu_staff):
    document = attach(draft, isu_staff)
    publish(draft, isu_staff)
    other = meeting_in(Meeting.Status.PUBLISHED, by=isu_staff)
    wrong = reverse("portal:document_download", args=[other.date.isoformat(), document.pk, document.file_name])
    assert client.get(wrong).status_code == 404
    missing = reverse("portal:document_download", args=[draft.date.isoformat(), document.pk + 1, "paper.pdf"])
    assert client.get(missing).status_code == 404


def test_the_download_is_an_attachment_whose_bytes_hash_to_the_sha256_shown(client, draft, isu_staff):
    attach(draft, isu_staff, symbol="CCM/CC/2018/WP.1", presented_by=DelegationFactory(name="Chile"))
    publish(draft, isu_staff)
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    [shown] = page.context["record"]["documents"]
    html = page.content.decode()
    assert "CCM/CC/2018/WP.1" in html and "Paper by the Presidency" in html and shown["sha256"] in html
    document = Document.objects.get()
    assert document.get_download_url() in html
    response = download(client, document)
    assert response.status_code == 200
    content = response.body
    assert hashlib.sha256(content).hexdigest() == shown["sha256"]
    assert response["Content-Disposition"] == 'attachment; filename="paper.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{shown["sha256"]}"'
    assert "sandbox" in response["Content-Security-Policy"]
    again = download(client, document, if_none_match=f'"{shown["sha256"]}"')
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]
    other = download(client, document, if_none_match='"' + "0" * 64 + '"')
    assert other.status_code == 200 and other.body == content


def test_a_misspelt_file_name_redirects_to_the_documents_address(client, draft, isu_staff):
    document = attach(draft, isu_staff)
    publish(draft, isu_staff)
    url = reverse("portal:document_download", args=[draft.date.isoformat(), document.pk, "other.pdf"])
    response = client.get(url)
    assert response.status_code == 301 and response.url == document.get_download_url()


def test_a_draft_document_is_never_kept_by_a_shared_cache(staff, draft, isu_staff):
    document = attach(draft, isu_staff)
    response = download(staff, document)
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_adopted_pdf_lists_the_documents_with_their_hashes_and_minutes_json_carries_them(draft, isu_staff):
    pytest.importorskip("weasyprint")
    item = draft.agenda_items.order_by("position", "id").first()
    document = attach(draft, isu_staff, symbol="CCM/CC/2018/WP.1", agenda_item=item, language="fr", kind="annex")
    adopt(draft, isu_staff)
    meeting = Meeting.objects.get(pk=draft.pk)
    try:
        content = pdf.render_minutes_pdf(meeting)
    except pdf.PdfUnavailable as exc:
        pytest.skip(str(exc))
    text = pdf_reader.text(content)
    assert "Documents" in text
    assert "Paper by the Presidency (CCM/CC/2018/WP.1)" in text
    assert "Annex, French, item 2" in text
    assert document.sha256 in text.replace(" ", "")
    [listed] = pdf_reader.minutes_json(content)["documents"]
    assert {k: listed[k] for k in ("title", "symbol", "kind", "language", "sha256", "size", "file_name")} == {
        "title": "Paper by the Presidency",
        "symbol": "CCM/CC/2018/WP.1",
        "kind": "annex",
        "language": "fr",
        "sha256": document.sha256,
        "size": len(PDF_BYTES),
        "file_name": "paper.pdf",
    }


def test_the_delegation_page_lists_the_documents_it_presented_in_published_minutes_only(client, isu_staff):
    chile = DelegationFactory(name="Chile")
    published = write_up(meeting_in(Meeting.Status.DRAFT))
    attach(published, isu_staff, title="Universalization update", presented_by=chile)
    publish(published, isu_staff)
    draft = write_up(meeting_in(Meeting.Status.DRAFT))
    attach(draft, isu_staff, title="Draft paper not yet public", presented_by=chile)
    page = client.get(reverse("portal:delegation_detail", args=[chile.slug])).content.decode()
    assert "Universalization update" in page
    assert Document.objects.get(title="Universalization update").get_download_url() in page
    assert "Draft paper not yet public" not in page


def test_the_api_lists_a_published_meetings_documents_with_hash_and_address(client, draft, isu_staff):
    from tests.meetings.test_api import conforms

    item = draft.agenda_items.order_by("position", "id").first()
    document = attach(draft, isu_staff, symbol="CCM/CC/2018/WP.1", agenda_item=item)
    publish(draft, isu_staff)
    path = f"/api/v1/meetings/{draft.date.isoformat()}/"
    data = conforms(client.get(path), "/api/v1/meetings/{date}/")
    [listed] = data["documents"]
    assert listed["sha256"] == document.sha256 and listed["item"] == "2"
    assert listed["url"].endswith(document.get_download_url())


def test_the_history_says_who_attached_and_removed_a_document_and_which_file(staff, draft, isu_staff):
    from meetings import documents

    document = attach(draft, isu_staff)
    documents.remove(document, isu_staff)
    html = staff.get(reverse("meetings:meeting_history", args=[draft.date.isoformat()])).content.decode()
    assert "attached the document “Paper by the Presidency”" in html
    assert "removed the document “Paper by the Presidency”" in html
    assert document.sha256 in html


def test_the_public_page_shows_an_items_documents_under_that_item(client, draft, isu_staff):
    first, second = draft.agenda_items.order_by("position", "id")[:2]
    document = attach(draft, isu_staff, title="Paper under the second item", agenda_item=second)
    publish(draft, isu_staff)
    html = client.get(draft.get_absolute_url()).content.decode()
    url = document.get_download_url()
    under_item = html.index('id="item-3"') < html.index(url) < html.index('id="documents"')
    assert under_item, "the link is listed under item 3, before the list of all the documents"
    assert html.count(url) == 2


def test_searching_a_documents_title_or_symbol_finds_its_published_minutes(client, draft, isu_staff):
    attach(draft, isu_staff, title="Study on stockpile destruction financing", symbol="CCM/CC/2018/WP.7")
    publish(draft, isu_staff)
    for query in ("stockpile destruction financing", "CCM/CC/2018/WP.7"):
        results = client.get(reverse("portal:search"), {"q": query}).context["results"]
        assert [result.meeting_id for result in results] == [draft.pk], query


def test_the_versions_page_shows_a_document_replaced_between_circulations(client, draft, isu_staff, coordinator):
    from meetings import documents, workflow

    document = attach(draft, isu_staff)
    circulate(draft, isu_staff)
    workflow.withdraw(draft, by=isu_staff)
    replaced = documents.replace(document, isu_staff, upload("paper.docx", DOCX_BYTES))
    circulate(draft, isu_staff)
    client.force_login(coordinator)
    response = client.get(reverse("meetings:meeting_versions", args=[draft.date.isoformat()]), {"from": 1, "to": 2})
    [row] = [row for row in response.context["rows"] if row["title"] == "Documents"]
    assert row["state"] == "changed"
    html = response.content.decode()
    assert document.sha256 in html and replaced.sha256 in html
    assert [row["title"] for row in response.context["rows"] if row["state"] == "changed"] == ["Documents"]
