"""Documents of a meeting's record: what an upload must be (sniffed, capped, renamed safely), and
that attaching, replacing and removing happen only while the minutes are a draft, each with its
audit row; once adopted, no way in (the functions, the model, the queryset, the admin) changes one."""

import hashlib
import io

import pytest
from django.urls import reverse

from meetings import documents, record_json
from meetings.models import AuditEntry, Document, Meeting, RecordFrozen
from tests.factories import AgendaItemFactory, DelegationFactory, meeting_in, write_up
from tests.meetings.documents import (
    DOCM_BYTES,
    DOCX_BYTES,
    HTML_BYTES,
    ODT_BYTES,
    PDF_BYTES,
    PPTX_BYTES,
    XLSX_BYTES,
    adopt,
    attach,
    circulate,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return write_up(meeting_in(Meeting.Status.DRAFT))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("paper.pdf", PDF_BYTES, documents.PDF),
        ("paper.docx", DOCX_BYTES, documents.DOCX),
        ("figures.xlsx", XLSX_BYTES, documents.XLSX),
        ("slides.pptx", PPTX_BYTES, documents.PPTX),
        ("paper.odt", ODT_BYTES, documents.ODT),
    ],
)
def test_each_allowed_type_is_kept_with_the_type_its_content_is(name, content, content_type):
    checked = documents.check_upload(upload(name, content, content_type="application/octet-stream"))
    assert checked.content_type == content_type
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


def test_a_web_page_named_pdf_is_refused_with_a_clear_message():
    with pytest.raises(documents.DocumentRefused, match=r"named \.pdf but its content is a web page \(HTML\)"):
        documents.check_upload(upload("paper.pdf", HTML_BYTES, content_type="application/pdf"))


def test_a_damaged_word_file_is_refused_with_a_message_not_an_error():
    """A corrupted package (its compressed data broken) is not a document."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        part = documents.OOXML_MAIN_PARTS[documents.DOCX]
        package.writestr("[Content_Types].xml", f'<Types><Override ContentType="{part}"/></Types>' * 20)
    damaged = bytearray(buffer.getvalue())
    start = damaged.index(b"[Content_Types].xml") + len("[Content_Types].xml")
    damaged[start + 2 : start + 12] = b"\xff" * 10  # inside the entry's deflated bytes
    with pytest.raises(documents.DocumentRefused, match=r"named \.docx but its content is something else"):
        documents.check_upload(upload("paper.docx", bytes(damaged), content_type="application/octet-stream"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("paper.pdf", DOCX_BYTES, r"named \.pdf but its content is something else"),
        ("paper.docx", PDF_BYTES, r"named \.docx but its content is something else"),
        ("paper.docx", DOCM_BYTES, r"named \.docx but its content is something else"),
        ("paper.odt", DOCX_BYTES, r"named \.odt but its content is something else"),
        ("paper.docx", b"PK\x03\x04 not really a zip", r"named \.docx but its content is something else"),
        ("setup.exe", b"MZ\x90\x00", r"Only PDF, Word, Excel, PowerPoint and OpenDocument files"),
        ("page.html", HTML_BYTES, r"Only PDF, Word, Excel, PowerPoint and OpenDocument files"),
        ("paper", PDF_BYTES, r"Only PDF, Word, Excel, PowerPoint and OpenDocument files"),
        ("paper.pdf", b"", r"The file is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_or_not_allowed_is_refused(name, content, message):
    with pytest.raises(documents.DocumentRefused, match=message):
        documents.check_upload(upload(name, content))


def test_a_file_over_the_size_cap_is_refused(settings):
    settings.DOCUMENT_MAX_UPLOAD = 1024 * 1024
    with pytest.raises(documents.DocumentRefused, match="larger than 1 MB"):
        documents.check_upload(upload("big.pdf", PDF_BYTES + b"0" * 1024 * 1024))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\Paper by Chile.PDF", "Paper_by_Chile.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("<b>notes</b>.pdf", "b.pdf"),
        ("notes <v2>.pdf", "notes_v2.pdf"),
        ("..", "document"),
        (".pdf", "pdf"),
        ("..\\.htaccess.pdf", "htaccess.pdf"),
    ],
)
def test_names_keep_no_folder_and_no_unsafe_character(given, kept):
    assert documents.sanitised_name(given) == kept


def test_staff_attach_a_document_to_an_item_of_a_draft_with_its_hash_and_an_audit_row(draft, isu_staff):
    item = draft.agenda_items.order_by("position", "id").first()
    chile = DelegationFactory(name="Chile")
    document = attach(
        draft, isu_staff, "../CCM CC 2018 WP.1.pdf", symbol="CCM/CC/2018/WP.1", agenda_item=item, presented_by=chile
    )
    assert document.file_name == "CCM_CC_2018_WP.1.pdf"
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    # Stored under a random folder: nothing about the meeting or the title in the path.
    folder = document.file.name.split("/")[1]
    assert len(folder) >= 32 and draft.date.isoformat() not in document.file.name
    entry = AuditEntry.objects.get(meeting=draft, action="document.attached")
    assert entry.by == isu_staff and "Paper by the Presidency" in entry.summary
    [listed] = record_json.record_document(draft)["documents"]
    assert listed == {
        "key": str(document.pk),
        "title": "Paper by the Presidency",
        "symbol": "CCM/CC/2018/WP.1",
        "kind": "paper",
        "language": "en",
        "item": "2",
        "presented_by": "Chile",
        "file_name": "CCM_CC_2018_WP.1.pdf",
        "content_type": "application/pdf",
        "size": len(PDF_BYTES),
        "sha256": document.sha256,
    }


def test_an_item_of_another_meeting_is_refused(draft, isu_staff):
    other = AgendaItemFactory()
    with pytest.raises(documents.DocumentRefused, match="another meeting"):
        attach(draft, isu_staff, agenda_item=other)
    assert not Document.objects.exists()


def test_replacing_a_drafts_file_keeps_the_document_and_writes_the_new_hash(
    draft, isu_staff, django_capture_on_commit_callbacks
):
    document = attach(draft, isu_staff)
    old_path = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        replaced = documents.replace(document, isu_staff, upload("paper.docx", DOCX_BYTES))
    assert replaced.pk == document.pk and replaced.title == document.title
    assert replaced.sha256 == hashlib.sha256(DOCX_BYTES).hexdigest()
    assert replaced.content_type == documents.DOCX and replaced.file_name == "paper.docx"
    assert not document.file.storage.exists(old_path)
    entry = AuditEntry.objects.get(meeting=draft, action="document.replaced")
    assert entry.changes["sha256"] == [document.sha256, replaced.sha256]


def test_removing_a_drafts_document_deletes_its_file_after_commit(draft, isu_staff, django_capture_on_commit_callbacks):
    document = attach(draft, isu_staff)
    path = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        documents.remove(document, isu_staff)
    assert not Document.objects.exists()
    assert not document.file.storage.exists(path)
    assert AuditEntry.objects.filter(meeting=draft, action="document.removed").exists()


def test_circulated_minutes_refuse_a_new_document_saying_to_withdraw_them_first(draft, isu_staff):
    circulate(draft, isu_staff)
    with pytest.raises(RecordFrozen, match="withdraw them to draft"):
        attach(draft, isu_staff)
    assert not Document.objects.exists()


def test_circulating_freezes_the_documents_with_the_version(draft, isu_staff):
    document = attach(draft, isu_staff)
    version = circulate(draft, isu_staff)
    assert [d["sha256"] for d in version.snapshot["documents"]] == [document.sha256]


@pytest.fixture
def adopted_document(draft, isu_staff):
    document = attach(draft, isu_staff, agenda_item=draft.agenda_items.first())
    adopt(draft, isu_staff)
    return Document.objects.get(pk=document.pk)


def test_adopted_minutes_keep_their_documents_in_the_adopted_record(adopted_document):
    meeting = adopted_document.meeting
    assert [d["sha256"] for d in meeting.adopted_record["documents"]] == [adopted_document.sha256]


def test_after_adoption_the_write_functions_refuse_to_replace_or_remove(adopted_document, isu_staff):
    with pytest.raises(RecordFrozen, match="adopted"):
        documents.replace(adopted_document, isu_staff, upload("other.pdf", PDF_BYTES + b"%changed"))
    with pytest.raises(RecordFrozen, match="adopted"):
        documents.remove(adopted_document, isu_staff)
    with pytest.raises(RecordFrozen, match="adopted"):
        attach(adopted_document.meeting, isu_staff)
    assert list(Document.objects.values_list("sha256", flat=True)) == [adopted_document.sha256]


def test_after_adoption_the_model_and_the_queryset_refuse_every_write(adopted_document):
    adopted_document.title = "Another title"
    with pytest.raises(RecordFrozen):
        adopted_document.save()
    with pytest.raises(RecordFrozen):
        adopted_document.delete()
    with pytest.raises(RecordFrozen):
        Document.objects.filter(pk=adopted_document.pk).update(sha256="0" * 64)
    with pytest.raises(RecordFrozen):
        Document.objects.filter(pk=adopted_document.pk).delete()
    with pytest.raises(RecordFrozen):
        Document.objects.bulk_update([adopted_document], ["title"])
    stored = Document.objects.get(pk=adopted_document.pk)
    assert stored.title == "Paper by the Presidency" and stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_after_adoption_the_admin_refuses_to_change_or_delete_a_document(client, admin_user, adopted_document):
    client.force_login(admin_user)
    change = reverse("admin:meetings_document_change", args=[adopted_document.pk])
    delete = reverse("admin:meetings_document_delete", args=[adopted_document.pk])
    assert client.post(change, {"title": "Changed", "kind": "paper", "language": "en"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:meetings_document_changelist"),
        {"action": "delete_selected", "_selected_action": [adopted_document.pk], "post": "yes"},
    )
    assert Document.objects.filter(pk=adopted_document.pk, title="Paper by the Presidency").exists()


def test_in_a_draft_the_admin_corrects_a_documents_description_with_an_audit_row(client, admin_user, draft, isu_staff):
    document = attach(draft, isu_staff)
    client.force_login(admin_user)
    change = reverse("admin:meetings_document_change", args=[document.pk])
    response = client.post(
        change, {"title": "Corrected title", "kind": "annex", "language": "fr", "symbol": "", "position": 1}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.kind, document.language) == ("Corrected title", "annex", "fr")
    assert AuditEntry.objects.filter(meeting=draft, action="admin.document.changed").exists()


def test_removing_an_item_from_a_draft_keeps_its_documents_with_the_meeting(draft, isu_staff):
    from meetings import drafting

    item = draft.agenda_items.order_by("position", "id").first()
    document = attach(draft, isu_staff, agenda_item=item)
    drafting.remove_item(item, isu_staff)
    document.refresh_from_db()
    assert document.agenda_item is None
    assert record_json.record_document(draft)["documents"][0]["item"] is None


def test_verify_records_finds_a_document_of_adopted_minutes_changed_in_storage(
    draft, isu_staff, django_capture_on_commit_callbacks
):
    from django.core.management import CommandError, call_command

    pytest.importorskip("weasyprint")
    document = attach(draft, isu_staff)
    with django_capture_on_commit_callbacks(execute=True):
        adopt(draft, isu_staff)
    call_command("verify_records", verbosity=0)
    path = document.file.path
    with open(path, "wb") as stored:
        stored.write(PDF_BYTES + b"% tampered\n")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 official record"):
        call_command("verify_records", verbosity=0, stderr=errors)
    assert "document “Paper by the Presidency”" in errors.getvalue()
    assert f"expected {document.sha256}" in errors.getvalue()


def test_a_document_removed_meanwhile_is_refused_with_a_message(draft, isu_staff):
    document = attach(draft, isu_staff)
    stale = Document.objects.get(pk=document.pk)
    documents.remove(document, isu_staff)
    with pytest.raises(documents.DocumentRefused, match="Someone removed this document"):
        documents.remove(stale, isu_staff)
    with pytest.raises(documents.DocumentRefused, match="Someone removed this document"):
        documents.replace(stale, isu_staff, upload("paper.pdf", PDF_BYTES))
