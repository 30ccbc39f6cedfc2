"""The one entry point for the minutes PDF: WeasyPrint over templates/pdf/ with a fetcher that
reads only the project's own static files; archival (PDF/A-3b), tagged, and for adopted minutes
rendered once, stored and hashed (OfficialRecord)."""

import hashlib
import logging
import warnings
from datetime import UTC, datetime, time
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from meetings import audit, record_json, signing
from meetings.models import RECORD_LANGUAGE, Meeting, OfficialRecord, RetiredRecordFile

try:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    WEASYPRINT_ERROR = None
except OSError as exc:  # WeasyPrint is installed but Pango or its friends are missing.
    weasyprint = None
    URLFetcher = object
    WEASYPRINT_ERROR = str(exc)

logger = logging.getLogger(__name__)

# No hyphen: Django's manifest storage leaves `scheme:` URLs in CSS alone only if the scheme is [a-z]+.
STATIC_SCHEME = "ccmstatic:"
AUTHOR = "Implementation Support Unit"
# The minutes are kept in their own language (RECORD_LANGUAGE) whatever language the person asking
# for the PDF reads: an official record must not depend on who downloaded it first.


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are missing."""


class RefusedURL(ValueError):
    pass


class StaticOnlyURLFetcher(URLFetcher):
    """Serve `ccmstatic:path` from the project's static files and refuse every other URL
    (file:, http:, https:, data:, …), so rendering reads nothing else and fetches nothing."""

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_SCHEME):
            raise RefusedURL(f"Refused to fetch {url[:80]!r}: only the project's static files are allowed.")
        path = unquote(urlsplit(url).path).lstrip("/")
        found = finders.find(path) if ".." not in path.split("/") else None
        if not found:
            raise RefusedURL(f"Refused to fetch {url[:80]!r}: no such static file.")
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": _mime_type(path)})


def _mime_type(path):
    if path.endswith(".css"):
        return "text/css"
    if path.endswith(".ttf"):
        return "font/ttf"
    if path.endswith(".otf"):
        return "font/otf"
    if path.endswith(".woff2"):
        return "font/woff2"
    if path.endswith(".png"):
        return "image/png"
    if path.endswith(".svg"):
        return "image/svg+xml"
    return "application/octet-stream"


def _check_weasyprint():
    if weasyprint is None:
        raise PdfUnavailable(
            "WeasyPrint cannot load the system libraries it needs (Pango). "
            "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0. "
            f"({WEASYPRINT_ERROR})"
        )


def mark(document):
    """The line that says what this document is: adopted (how, and which version), or a draft
    (and which version is under review, if circulated)."""
    if document.get("adoption"):
        return document["adoption"]["statement"]
    version = document.get("version")
    if version:
        return f"Draft — version {version['number']}, circulated on {record_json.geneva_day(version['circulated_at'])}"
    return "Draft — not the official record"


def running_mark(document):
    """The short form of `mark` that pages after the first carry in their header, on one line."""
    if document.get("adoption"):
        version = document.get("version") or {}
        return f"Adopted — version {version['number']}" if version.get("number") else "Adopted"
    version = document.get("version")
    return f"Draft — version {version['number']}" if version else "Draft"


def record_dates(meeting):
    """(created, modified) of the document, from the record and never from the clock: the day of
    the meeting, and the day the minutes were adopted (or last changed, for a draft)."""
    created = datetime.combine(meeting.date, time(0, 0), tzinfo=UTC)
    if meeting.adopted_at_meeting_id:
        modified = datetime.combine(meeting.adopted_at_meeting.date, time(0, 0), tzinfo=UTC)
    elif meeting.silence_procedure_ends_at:
        modified = meeting.silence_procedure_ends_at.astimezone(UTC).replace(microsecond=0)
    else:
        modified = meeting.updated_at.astimezone(UTC).replace(microsecond=0)
    return created, max(created, modified)


def document_identifier(meeting):
    """The PDF's /ID: fixed by which minutes these are and what they say, so rendering twice
    gives the same bytes."""
    return hashlib.md5(f"ccm-cc-minutes:{meeting.date.isoformat()}".encode(), usedforsecurity=False).hexdigest()


# Lines per column of a block of attendance: a block stays about a page tall, so that a long list
# reads down one column and then the other on the same page, not across pages.
ATTENDANCE_BLOCK_LINES = 30


def attendance_blocks(attendance):
    """The delegations present (rows of the record document) as blocks of two columns of about
    equal length, in written order (down the first column, then the second). A delegation's name
    and representatives stay together. WeasyPrint's CSS columns would balance them too, at half the
    cost of the whole PDF."""
    present = [(row, 1 + len(row["attendees"])) for row in attendance if row["status"] == "present"]
    blocks, block, lines = [], [], 0
    for row, height in present:
        if block and lines + height > 2 * ATTENDANCE_BLOCK_LINES:
            blocks.append(block)
            block, lines = [], 0
        block.append((row, height))
        lines += height
    if block:
        blocks.append(block)
    return [_two_columns(block) for block in blocks]


def _two_columns(block):
    half, running = sum(height for _, height in block) / 2, 0
    for index, (_, height) in enumerate(block):
        if running + height / 2 > half:
            return [[row for row, _ in block[:index]], [row for row, _ in block[index:]]]
        running += height
    return [[row for row, _ in block], []]


def _context(meeting, document):
    created, modified = record_dates(meeting)
    day = date_format(meeting.date, "j F Y")
    return {
        "meeting": meeting,
        "record": document,
        "attendance_blocks": attendance_blocks(document["attendance"]),
        "draft": not document.get("adoption"),
        "mark": mark(document),
        "running_mark": running_mark(document),
        "supersedes": record_json.supersedes_sentence(document),
        "title": f"Minutes of the CCM Coordination Committee meeting of {day}",
        "subject": (
            f"Minutes of the meeting of the Coordination Committee of the Convention on Cluster Munitions held on {day}"
        ),
        "keywords": f"Convention on Cluster Munitions, CCM, Coordination Committee, minutes, {meeting.date:%Y-%m-%d}",
        "author": AUTHOR,
        "running_header": f"CCM Coordination Committee · {day}",
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "static": STATIC_SCHEME,
    }


def minutes_html(meeting, document=None):
    document = record_json.document_for(meeting) if document is None else document
    with translation.override(RECORD_LANGUAGE):
        return render_to_string("pdf/minutes.html", _context(meeting, document))


def render_html_to_pdf(html, *, attachments=(), identifier=None):
    _check_weasyprint()
    fetcher = StaticOnlyURLFetcher()
    document = weasyprint.HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher)
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile (the PDF/A output intent) and leaves closing it to
        # the garbage collector; that is its business, not a leak of ours.
        warnings.filterwarnings("ignore", category=ResourceWarning, message=".*sRGB2014.icc")
        return document.write_pdf(
            pdf_variant="pdf/a-3b",
            pdf_tags=True,
            pdf_identifier=identifier or True,
            presentational_hints=False,
            attachments=list(attachments),
        )


def render_minutes_pdf(meeting):
    """The minutes as PDF/A-3b bytes, the same bytes every time for the same record."""
    _check_weasyprint()
    # Adopted minutes print their record as adopted, whatever has happened since (record_json).
    document = record_json.document_for(meeting)
    created, modified = record_dates(meeting)
    data = weasyprint.Attachment(
        string=record_json.minutes_json(document),
        url_fetcher=StaticOnlyURLFetcher(),
        name="minutes.json",
        description="The minutes as data (version, attendance, items, decisions, action points, adoption)",
        created=created,
        modified=modified,
        relationship="Data",
    )
    return render_html_to_pdf(
        minutes_html(meeting, document), attachments=[data], identifier=document_identifier(meeting)
    )


def filename(meeting):
    return f"ccm-cc-minutes-{meeting.date.isoformat()}.pdf"


def stored_record(meeting):
    """The meeting's OfficialRecord, or None (works with or without select_related)."""
    return getattr(meeting, "official_record", None)


def official_pdf(meeting):
    """The official record of adopted minutes: rendered the first time it is asked for, stored
    through Django's storage with its SHA-256, and from then on always that stored file."""
    existing = OfficialRecord.objects.filter(meeting_id=meeting.pk).first()
    if existing is not None:
        return existing
    fresh = Meeting.objects.select_related("presidency__delegation", "adopted_at_meeting").get(pk=meeting.pk)
    if not fresh.is_adopted:
        raise ValueError(f"{fresh} is not adopted: only adopted minutes have an official record.")
    try:
        signed = signing.sign(render_minutes_pdf(fresh), adoption=mark(record_json.document_for(fresh)))
    except signing.SigningError as exc:
        raise PdfUnavailable(f"the signing key cannot be used: {exc}") from exc
    content = signed.content
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = OfficialRecord.objects.filter(meeting=locked).first()
        if existing is not None:  # Someone else stored it while we rendered.
            return existing
        record = OfficialRecord(
            meeting=locked,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            rendered_at=timezone.now(),
            weasyprint_version=weasyprint.__version__,
            unsigned_sha256=signed.unsigned_sha256,
            unsigned_size=signed.unsigned_size,
            signing_certificate=signing.certificate_row(signed.key) if signed.key else None,
            signed_at=signed.signed_at,
        )
        record.file.save(f"{filename(fresh)}", ContentFile(content), save=False)
        try:
            record.save()
        except Exception:
            record.file.delete(save=False)
            raise
    logger.info("Stored the official record of %s (sha256 %s)", fresh, record.sha256)
    return record


def resign_official_record(meeting, key):
    """Sign an official record stored unsigned (before signing existed) or signed with a key since
    rotated: the same rendering, never rendered again, with a new signature as a new stored file.
    The earlier file is kept (RetiredRecordFile) and the meeting's history says so. Returns the
    `signing.Signed` result, or None if `key` signed it already."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        record = OfficialRecord.objects.select_related("signing_certificate").get(meeting=locked)
        if record.is_signed and record.signing_certificate.sha256_fingerprint == key.fingerprint:
            return None
        with record.file.open("rb") as stored:
            content = stored.read()
        rendering = content[: record.unsigned_size] if record.is_signed else content
        if hashlib.sha256(content).hexdigest() != record.sha256 or (
            hashlib.sha256(rendering).hexdigest() != record.rendering_sha256
        ):
            raise ValueError(f"The stored file of {locked} is not the one recorded; run verify_records.")
        signed = signing.sign(rendering, adoption=mark(record_json.document_for(locked)), key=key)
        earlier = RetiredRecordFile.objects.create(
            meeting=locked,
            file=record.file.name,
            sha256=record.sha256,
            size=record.size,
            signing_certificate=record.signing_certificate,
            stored_at=record.signed_at or record.rendered_at,
        )
        record.file.save(filename(locked), ContentFile(signed.content), save=False)
        record.sha256 = hashlib.sha256(signed.content).hexdigest()
        record.size = len(signed.content)
        record.unsigned_sha256, record.unsigned_size = signed.unsigned_sha256, signed.unsigned_size
        record.signing_certificate = signing.certificate_row(key)
        record.signed_at = signed.signed_at
        try:
            record.save()
        except Exception:
            record.file.delete(save=False)  # The earlier file stays the record.
            raise
        audit.record(
            locked,
            None,
            "record.signed",
            f"Official record signed with certificate {key.fingerprint[:16]}…; the earlier file is kept.",
            {"sha256": record.sha256, "earlier_sha256": earlier.sha256, "certificate_sha256": key.fingerprint},
        )
    logger.info("Re-signed the official record of %s (sha256 %s)", locked, record.sha256)
    return signed


def render_signed(meeting):
    """The official record of `meeting` as it would be stored now (its record as `meeting` holds
    it in memory), rendered and signed, nothing stored: workflow.supersede stores it last, once
    everything else it writes is written."""
    try:
        return signing.sign(render_minutes_pdf(meeting), adoption=mark(record_json.document_for(meeting)))
    except signing.SigningError as exc:
        raise PdfUnavailable(f"the signing key cannot be used: {exc}") from exc


def replace_official_file(record, signed):
    """Store `signed` as the new file of `record` (an OfficialRecord), under a new name: the file
    it replaces is never touched (whoever keeps it, a RetiredRecordFile or a RecordSupersession,
    keeps its name). Runs in the caller's transaction; if saving the row fails, the new file goes."""
    content = signed.content
    record.file.save(filename(record.meeting), ContentFile(content), save=False)
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.size = len(content)
    record.rendered_at = timezone.now()
    record.weasyprint_version = weasyprint.__version__
    record.unsigned_sha256, record.unsigned_size = signed.unsigned_sha256, signed.unsigned_size
    record.signing_certificate = signing.certificate_row(signed.key) if signed.key else None
    record.signed_at = signed.signed_at
    try:
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def store_official_record(meeting_id):
    """What adoption schedules after commit (meetings.workflow._after_adoption)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.is_adopted:
        official_pdf(meeting)
