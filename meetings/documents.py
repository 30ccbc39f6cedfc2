"""Documents attached to a meeting's record: what an upload must be (its type sniffed from its
bytes, never trusted from its name or the browser), and attaching, replacing and removing one,
each under the meeting's row lock while the minutes are a draft, with its audit row."""

import hashlib
import os
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from meetings import audit
from meetings.models import Document, Meeting

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# What each allowed extension must be, by its content.
TYPES = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX, "pptx": PPTX, "odt": ODT, "ods": ODS, "odp": ODP}
# The main part an Office Open XML package declares in [Content_Types].xml: a macro-enabled
# document (.docm and friends) declares another one, and is refused.
OOXML_MAIN_PARTS = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# A package's small entries are read whole; anything larger than this is not what it claims.
ENTRY_LIMIT = 1024 * 1024
MAX_NAME = 150


class DocumentRefused(ValueError):
    """An upload that is not an allowed document; its message is meant for the user."""


@dataclass
class Checked:
    name: str
    content_type: str
    sha256: str
    size: int


def max_upload_mb():
    return settings.DOCUMENT_MAX_UPLOAD // (1024 * 1024)


def allowed_extensions():
    return ", ".join(f".{ext}" for ext in TYPES)


def too_large_message():
    return _("The file is larger than %(limit)s MB, the largest document the portal keeps.") % {
        "limit": max_upload_mb()
    }


def sanitised_name(name):
    """The file's own name without any folder, made safe for storage and for a download header."""
    # No folder, and no leading dot (a hidden file on the server, or ".." itself).
    base = os.path.basename(str(name).replace("\\", "/")).strip().lstrip(". ")
    stem, ext = os.path.splitext(base)
    try:
        stem = get_valid_filename(stem)[: MAX_NAME - len(ext)]
    except SuspiciousFileOperation:  # a name that comes out empty ("..", "")
        stem = ""
    return f"{stem or 'document'}{ext.lower()}"


def _sniff(upload):
    """The MIME type the bytes are, among the allowed ones, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if "mimetype" in names and package.getinfo("mimetype").file_size <= 100:
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS, ODP) else None
            if "[Content_Types].xml" in names and package.getinfo("[Content_Types].xml").file_size <= ENTRY_LIMIT:
                types = package.read("[Content_Types].xml").decode("utf-8", "replace")
                found = [kind for kind, part in OOXML_MAIN_PARTS.items() if f'ContentType="{part}"' in types]
                macros = any(name.lower().endswith("vbaproject.bin") for name in names)
                return found[0] if len(found) == 1 and not macros else None
    # A damaged package (truncated, bad compressed data) is not a document: the caller says so.
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def check_upload(upload):
    """The upload's safe name, sniffed type, SHA-256 and size; DocumentRefused with a message
    saying why if it is too large, of a type not allowed, or not what its name says."""
    if upload.size is None or upload.size > settings.DOCUMENT_MAX_UPLOAD:
        raise DocumentRefused(too_large_message())
    if upload.size == 0:
        raise DocumentRefused(_("The file is empty."))
    name = sanitised_name(upload.name)
    extension = os.path.splitext(name)[1].lstrip(".")
    expected = TYPES.get(extension)
    if expected is None:
        raise DocumentRefused(
            _("Only PDF, Word, Excel, PowerPoint and OpenDocument files can be attached (%(types)s).")
            % {"types": allowed_extensions()}
        )
    sniffed = _sniff(upload)
    if sniffed != expected:
        upload.seek(0)
        start = upload.read(512).lstrip().lower()
        upload.seek(0)
        if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<html" in start:
            raise DocumentRefused(
                _("This file is named .%(ext)s but its content is a web page (HTML), not a document: it was refused.")
                % {"ext": extension}
            )
        raise DocumentRefused(
            _("This file is named .%(ext)s but its content is something else: it was refused.") % {"ext": extension}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(name=name, content_type=sniffed, sha256=digest.hexdigest(), size=upload.size)


def _lock_draft(meeting):
    """The meeting, locked, if its minutes are a draft; RecordFrozen with the reason otherwise."""
    return Meeting.objects.lock_for_drafting(meeting.pk)


def _lock_document(document, meeting):
    locked = Document.objects.select_for_update().filter(pk=document.pk, meeting=meeting).first()
    if locked is None:
        raise DocumentRefused(_("Someone removed this document while you were working on it."))
    return locked


def _described(document):
    """The audit row's details: which file, by its hash (the sentence already names the title)."""
    return {"document": document.pk, "file": document.file_name, "sha256": document.sha256}


def _forget_file_after_commit(name):
    storage = Document._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attach(meeting, by, upload, *, title, kind, language, symbol="", agenda_item=None, presented_by=None):
    """Attach a checked upload to a draft's meeting or one of its items."""
    checked = check_upload(upload)
    locked = _lock_draft(meeting)
    if agenda_item is not None and agenda_item.meeting_id != locked.pk:
        raise DocumentRefused(_("The item belongs to another meeting."))
    last = Document.objects.filter(meeting=locked).order_by("-position").values_list("position", flat=True).first()
    document = Document(
        meeting=locked,
        agenda_item=agenda_item,
        title=title,
        kind=kind,
        language=language,
        symbol=symbol,
        presented_by=presented_by,
        file_name=checked.name,
        sha256=checked.sha256,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
        position=(last or 0) + 1,
    )
    document.file.save(checked.name, File(upload), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    where = f" to item “{agenda_item.title}”" if agenda_item else ""
    audit.record(locked, by, "document.attached", f"Attached the document “{title}”{where}"[:500], _described(document))
    return document


@transaction.atomic
def replace(document, by, upload):
    """Put a new file in place of a draft's document; the title and the rest stay."""
    checked = check_upload(upload)
    locked = _lock_draft(document.meeting)
    document = _lock_document(document, locked)
    old_name, old_file, old_sha = document.file.name, document.file_name, document.sha256
    document.file.save(checked.name, File(upload), save=False)
    document.file_name, document.sha256 = checked.name, checked.sha256
    document.size, document.content_type = checked.size, checked.content_type
    document.uploaded_by = by if getattr(by, "is_authenticated", False) else None
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    _forget_file_after_commit(old_name)
    audit.record(
        locked,
        by,
        "document.replaced",
        f"Replaced the file of the document “{document.title}”"[:500],
        {"document": [document.pk, document.pk], "file": [old_file, checked.name], "sha256": [old_sha, checked.sha256]},
    )
    return document


@transaction.atomic
def remove(document, by):
    locked = _lock_draft(document.meeting)
    document = _lock_document(document, locked)
    name = document.file.name
    audit.record(
        locked,
        by,
        "document.removed",
        f"Removed the document “{document.title}”"[:500],
        _described(document),
    )
    document.delete()
    _forget_file_after_commit(name)
