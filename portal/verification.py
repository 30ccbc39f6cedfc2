"""Is this file an official record? Answered by the SHA-256 of its bytes alone: the upload is
read to hash it and never kept."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Meeting, OfficialRecord

PDF_SIGNATURE = b"%PDF-"
# Room for the multipart envelope around the file itself.
ENVELOPE_BYTES = 64 * 1024


def _limit_mb():
    return settings.VERIFY_MAX_UPLOAD // (1024 * 1024)


def too_large_message():
    return _("The file is larger than %(limit)s MB; no official record is that large.") % {"limit": _limit_mb()}


def too_large(request):
    """Refuse an oversized upload from its declared length, before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.VERIFY_MAX_UPLOAD + ENVELOPE_BYTES


class VerifyForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("PDF file"),
        help_text=gettext_lazy("The minutes PDF you hold. It is read to compute its SHA-256 and is not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > settings.VERIFY_MAX_UPLOAD:
            raise forms.ValidationError(too_large_message())
        upload.seek(0)
        signature = upload.read(len(PDF_SIGNATURE))
        upload.seek(0)
        if signature != PDF_SIGNATURE:
            raise forms.ValidationError(
                _("This file is not a PDF. Upload the minutes as the PDF file you downloaded or received.")
            )
        return upload


@dataclass
class Result:
    sha256: str
    record: OfficialRecord | None
    # Whether the person asking may open the meeting's page (published, or they may see it).
    can_link: bool


def sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def check(upload, user):
    digest = sha256_of(upload)
    record = OfficialRecord.objects.select_related("meeting__adopted_at_meeting").filter(sha256=digest).first()
    can_link = bool(record) and Meeting.objects.visible_to(user).filter(pk=record.meeting_id).exists()
    return Result(sha256=digest, record=record, can_link=can_link)
