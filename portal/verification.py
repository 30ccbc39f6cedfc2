"""Is this file an official record? Answered by the SHA-256 of its bytes, and by its signature
(meetings/signing.py): valid, by which certificate, anything appended since. The upload is read
and never kept."""

import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import signing
from meetings.models import Meeting, OfficialRecord, RecordSupersession, RetiredRecordFile, SigningCertificate

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
    signature: signing.SignatureCheck | None = None
    # A file the record was stored as before it was re-signed: official bytes, since superseded.
    earlier: RetiredRecordFile | None = None
    # The correction that replaced the record this file is (or was a copy of): genuine, but superseded.
    superseded: RecordSupersession | None = None

    @property
    def meeting(self):
        found = self.record or self.earlier or self.superseded
        return found.meeting if found else None

    @property
    def signature_findings(self):
        """What is wrong with the signature, one sentence each (empty when it is valid or absent)."""
        check = self.signature
        if check is None or not check.signed:
            return []
        if not check.readable:
            return [_("Its digital signature cannot be read.")]
        findings = []
        if not check.intact:
            findings.append(_("The signed content was altered after it was signed: the signature does not match it."))
        elif check.isu_certificate is None:
            findings.append(_("It is signed with a certificate that is not the ISU's."))
        if check.appended_after_signing:
            findings.append(_("Something was added to the file after it was signed."))
        elif check.intact and not check.certified_no_changes:
            findings.append(_("It is not certified as allowing no changes."))
        return findings


def sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def check(upload, user):
    digest = sha256_of(upload)
    record = OfficialRecord.objects.select_related("meeting__adopted_at_meeting").filter(sha256=digest).first()
    earlier = superseded = None
    if record is None:
        earlier = RetiredRecordFile.objects.select_related("meeting__adopted_at_meeting").filter(sha256=digest).first()
    if record is None and earlier is None:
        superseded = RecordSupersession.objects.select_related("meeting").filter(sha256=digest).first()
    elif earlier is not None:
        # A copy kept when the record was signed anew, of a record corrected since.
        superseded = (
            RecordSupersession.objects.select_related("meeting")
            .filter(meeting=earlier.meeting, at__gte=earlier.retired_at)
            .order_by("at", "id")
            .first()
        )
    upload.seek(0)
    signature = signing.check(upload.read(), SigningCertificate.objects.all())
    result = Result(
        sha256=digest, record=record, can_link=False, signature=signature, earlier=earlier, superseded=superseded
    )
    meeting = result.meeting
    result.can_link = meeting is not None and Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    return result


@dataclass(frozen=True)
class PublishedCertificate:
    pem: str
    sha256_fingerprint: str
    subject: str


def published_certificate():
    """The certificate that signs new official records, as /verify/ shows and serves it."""
    certificate = signing.current_certificate()
    if certificate is None:
        return None
    return PublishedCertificate(
        pem=signing.certificate_pem(certificate),
        sha256_fingerprint=signing.fingerprint(certificate),
        subject=certificate.subject.human_friendly,
    )
