"""The ISU's signature on the official record: its key and certificate, the PAdES certification
signature with a visible seal on page 1, and the check of a signed PDF against known certificates.

pdf.py calls `sign()` in the one place that stores an official record; `check()` answers /verify/
and `verify_records`. Nothing here touches the database except `certificate_row()`.
"""

import functools
import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FIELD_NAME = "OfficialRecordSeal"
# The box templates/pdf/minutes.html reserves on page 1 of adopted minutes (`.seal-space` in
# static/css/pdf.css): its id is a named destination in the PDF, giving the box's top-left corner.
SEAL_ANCHOR = "official-seal"
SEAL_HEIGHT_MM = 24
SEAL_FONT = "vendor/source-serif-4.5.1/SourceSerif4-Regular.ttf"
SIGNER_NAME = "Implementation Support Unit"
POINTS_PER_MM = 72 / 25.4


class SigningError(RuntimeError):
    """A key is configured but cannot be used (unreadable file, wrong passphrase, key and
    certificate that do not belong together); the message says which."""


@dataclass(frozen=True)
class Key:
    signer: object  # pyhanko SimpleSigner
    certificate: asn1_x509.Certificate

    @property
    def fingerprint(self):
        return fingerprint(self.certificate)


@dataclass(frozen=True)
class Signed:
    """What `sign` gives back: the bytes to store, and what the record remembers about them."""

    content: bytes
    unsigned_sha256: str
    unsigned_size: int
    key: Key | None
    signed_at: datetime | None
    sealed: bool  # a visible seal on page 1 (records rendered before the seal existed get none)


def fingerprint(certificate):
    return hashlib.sha256(certificate.dump()).hexdigest()


def certificate_pem(certificate):
    return asn1_pem.armor("CERTIFICATE", certificate.dump()).decode("ascii")


def load_certificate(pem_text):
    data = pem_text.encode("ascii") if isinstance(pem_text, str) else pem_text
    if asn1_pem.detect(data):
        _, _, data = asn1_pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def is_configured():
    return bool(settings.SIGNING_KEY_FILE and settings.SIGNING_CERT_FILE)


def configured_key():
    """The ISU's key from SIGNING_KEY_FILE / SIGNING_CERT_FILE, or None when none is configured."""
    if not is_configured():
        return None
    key_file, cert_file = Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE)
    for name, path in (("SIGNING_KEY_FILE", key_file), ("SIGNING_CERT_FILE", cert_file)):
        if not path.is_file():
            raise SigningError(f"{name} names {path}, which is not a readable file.")
    return load_key(key_file, cert_file, settings.SIGNING_KEY_PASSPHRASE)


def load_key(key_file, cert_file, passphrase=""):
    """A key and its certificate from PEM files. Loaded once per version of the files (decrypting
    a key is slow), and again when they change."""
    key_file, cert_file = Path(key_file), Path(cert_file)
    stamp = (key_file.stat().st_mtime_ns, cert_file.stat().st_mtime_ns)
    return _load_key(key_file, cert_file, passphrase, stamp)


@functools.lru_cache(maxsize=4)
def _load_key(key_file, cert_file, passphrase, stamp):
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers

    passphrase = passphrase.encode() or None
    try:
        private_key = serialization.load_pem_private_key(key_file.read_bytes(), password=passphrase)
    except (ValueError, TypeError) as exc:
        raise SigningError(
            f"The key in SIGNING_KEY_FILE cannot be read (a wrong or missing SIGNING_KEY_PASSPHRASE?): {exc}"
        ) from None
    try:
        certificate = load_certificate(cert_file.read_bytes())
        certificate.public_key.native  # noqa: B018  (parses it now, not while signing)
    except ValueError as exc:
        raise SigningError(f"SIGNING_CERT_FILE does not hold a PEM certificate: {exc}") from None
    public = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public != certificate.public_key.dump():
        raise SigningError("The key in SIGNING_KEY_FILE does not belong to the certificate in SIGNING_CERT_FILE.")
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file), key_passphrase=passphrase)
    if signer is None:
        raise SigningError("pyHanko could not load the signing key and certificate.")
    return Key(signer=signer, certificate=certificate)


def configuration_problem():
    """Why the configured key cannot sign, or None (also None when no key is configured)."""
    try:
        configured_key()
    except SigningError as exc:
        return str(exc)
    return None


def current_certificate():
    """The certificate that signs new records, as published on /verify/ (only the certificate is
    read, never the key), or None when none is configured or its file cannot be read."""
    if not is_configured():
        return None
    try:
        return load_certificate(Path(settings.SIGNING_CERT_FILE).read_bytes())
    except (OSError, ValueError):
        logger.exception("SIGNING_CERT_FILE cannot be read")
        return None


def unsigned_reason():
    """Why adopted minutes would be stored unsigned right now, for the ISU staff; None if they
    would be signed."""
    if not is_configured():
        return _("No signing key is configured (SIGNING_KEY_FILE): adopted minutes are stored unsigned.")
    problem = configuration_problem()
    if problem:
        return _(
            "The signing key cannot be used: the official PDF of adopted minutes cannot be stored until "
            "it is fixed. %(problem)s"
        ) % {"problem": problem}
    return None


def seal_lines(adoption, unsigned_sha256):
    """The seal's text, in the record's language (English) like the rest of the PDF."""
    adoption = adoption[:1].lower() + adoption[1:]
    return [
        "Official record of the CCM Coordination Committee —",
        f"{adoption},",
        f"signed by the {SIGNER_NAME}",
        f"SHA-256 of the unsigned rendering: {unsigned_sha256}",
        f"Verify at {settings.SITE_URL}/verify/",
    ]


def _named_destination(root, name):
    """The /XYZ destination `name` in the catalog's /Names /Dests tree (WeasyPrint writes one per id)."""
    names = root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    pending = [tree] if tree is not None else []
    while pending:
        node = pending.pop().get_object()
        entries = node.get("/Names", [])
        for index in range(0, len(entries) - 1, 2):
            if str(entries[index]) == name:
                return entries[index + 1].get_object()
        pending.extend(kid for kid in node.get("/Kids", []))
    return None


def seal_box(reader):
    """(llx, lly, urx, ury) of the room reserved for the seal on page 1, or None if the PDF has
    none (rendered before the seal existed): then the signature goes without a visible seal."""
    destination = _named_destination(reader.root, SEAL_ANCHOR)
    if destination is None:
        return None
    page_ref, left, top = destination.raw_get(0), destination[2], destination[3]
    first_page_ref = reader.root["/Pages"].raw_get("/Kids").get_object().raw_get(0)
    if page_ref.idnum != first_page_ref.idnum:
        return None
    width = float(first_page_ref.get_object()["/MediaBox"][2])
    left, top = float(left), float(top)
    return (round(left), round(top - SEAL_HEIGHT_MM * POINTS_PER_MM), round(width - left), round(top))


# What the seal can say: Latin text, dates, a hex digest and an address.
SEAL_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026]


@functools.cache
def _seal_font(path):
    """The vendored font cut down once to SEAL_CHARACTERS: pyHanko subsets the font again for each
    signature, and doing that from the full font is most of the cost of signing."""
    from fontTools import subset, ttLib

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = ttLib.TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=SEAL_CHARACTERS)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    font.close()
    return output.getvalue()


def _stamp_style():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    class VendoredFont(GlyphAccumulatorFactory):
        """The project's own Source Serif, embedded (subset) like WeasyPrint's text; read into
        memory because pyHanko's factory opens the file and never closes it."""

        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            handle = io.BytesIO(_seal_font(self.font_file))
            return GlyphAccumulator(writer=writer, font_handle=handle, font_size=self.font_size, obj_stream=obj_stream)

    return TextStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(font=VendoredFont(finders.find(SEAL_FONT), font_size=8), leading=10),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID, margins=Margins(8, 8, 4, 4)
        ),
        border_width=1,
        border_color=(0.27, 0.27, 0.27),
        background=None,
    )


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=30)


def sign(content, *, adoption, key=None):
    """Sign the rendering `content` (PDF/A-3b bytes) with the configured key, or `key`: a PAdES
    certification signature that permits no change, added as an incremental update (so the
    rendering, its PDF/A conformance and minutes.json stay as they are), with the visible seal in
    the room the template reserved. Without a configured key the content comes back unsigned.
    With SIGNING_TSA_URL the signature gets an RFC 3161 timestamp; if the authority cannot be
    reached the record is signed without one (and that is logged), never left unstored."""
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    unsigned_sha256 = hashlib.sha256(content).hexdigest()
    key = key or configured_key()
    if key is None:
        return Signed(content, unsigned_sha256, len(content), None, None, sealed=False)
    lines = seal_lines(adoption, unsigned_sha256)
    timestamper = _timestamper()
    try:
        signed, sealed = _signed_bytes(content, key, lines, timestamper)
    except TimestampRequestError:
        if timestamper is None:
            raise
        logger.warning("The timestamp authority %s failed; signing without a timestamp", settings.SIGNING_TSA_URL)
        signed, sealed = _signed_bytes(content, key, lines, None)
    return Signed(signed, unsigned_sha256, len(content), key, timezone.now(), sealed=sealed)


def _signed_bytes(content, key, lines, timestamper):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    class KeepMetadata(IncrementalPdfFileWriter):
        """Leaves the document information and XMP as the rendering wrote them: pyHanko would set
        its own producer and the signing time in both, differently, which breaks the PDF/A rule
        that they agree (and the record's dates come from the record, never from the clock)."""

        def _update_meta(self):
            pass

    writer = KeepMetadata(io.BytesIO(content))
    box = seal_box(writer.prev)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Official record of the CCM Coordination Committee",
        location="Geneva",
        name=SIGNER_NAME,
    )
    signer = signers.PdfSigner(
        metadata,
        key.signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(),
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=box),
    )
    text = "\n".join(lines).replace("%", "%%")
    output = signer.sign_pdf(writer, appearance_text_params={"lines": text})
    return output.getvalue(), box is not None


def certificate_row(key):
    """The SigningCertificate row of `key`'s certificate, created the first time it signs."""
    from meetings.models import SigningCertificate

    certificate = key.certificate
    row, _ = SigningCertificate.objects.get_or_create(
        sha256_fingerprint=key.fingerprint,
        defaults={
            "pem": certificate_pem(certificate),
            "subject": certificate.subject.human_friendly[:300],
            "not_before": certificate.not_valid_before,
            "not_after": certificate.not_valid_after,
        },
    )
    return row


@dataclass
class SignatureCheck:
    """What a PDF's signature says: whether there is one, whether the signed bytes are intact,
    which certificate signed (and whether it is one of the ISU's), and whether anything was
    appended after signing."""

    signed: bool
    readable: bool = True
    intact: bool = False
    certificate_sha256: str = ""
    certificate_subject: str = ""
    # The ISU certificate (a SigningCertificate row) that made a valid signature, if one did.
    isu_certificate: object = None
    certified_no_changes: bool = False
    appended_after_signing: bool = False
    signed_at: datetime | None = None
    timestamped_at: datetime | None = None
    problems: list = field(default_factory=list)

    @property
    def valid(self):
        return (
            self.signed
            and self.readable
            and self.intact
            and self.isu_certificate is not None
            and self.certified_no_changes
            and not self.appended_after_signing
        )


def check(content, certificates, *, at=None):
    """Check the first signature of `content` against `certificates` (SigningCertificate rows: the
    ISU's, or the one a stored record remembers), as of `at` (default: the time the signature
    states), so that a record signed years ago still validates after its certificate expired.
    Never raises: an unreadable PDF is reported as such."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # Untrusted bytes: whatever the parser trips on, the answer is "cannot read".
        logger.info("Could not read the signatures of an uploaded PDF", exc_info=True)
        return SignatureCheck(signed=False, readable=False)
    if not signatures:
        return SignatureCheck(signed=False)
    signature = signatures[0]
    try:
        signer_certificate = signature.signer_cert
    except Exception:
        return SignatureCheck(signed=True, readable=False)
    result = SignatureCheck(
        signed=True,
        certificate_sha256=fingerprint(signer_certificate),
        certificate_subject=signer_certificate.subject.human_friendly,
    )
    known = {row.sha256_fingerprint: row for row in certificates}
    row = known.get(result.certificate_sha256)
    roots = [load_certificate(row.pem)] if row is not None else []
    try:
        moment = at or signature.self_reported_timestamp or timezone.now()
        status = validate_pdf_signature(
            signature,
            signer_validation_context=ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment),
            ts_validation_context=ValidationContext(trust_roots=[], allow_fetching=False),
        )
    except (ValueError, KeyError, TypeError) as exc:  # pyHanko's validation errors are ValueErrors
        logger.info("A signature could not be validated: %s", exc)
        result.readable = False
        return result
    result.intact = bool(status.intact and status.valid)
    if result.intact and status.trusted and row is not None:
        result.isu_certificate = row
    result.appended_after_signing = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    result.certified_no_changes = bool(
        signature.docmdp_level is not None
        and signature.docmdp_level.value == 1  # MDPPerm.NO_CHANGES
        and status.docmdp_ok
        and (status.modification_level in (None, ModificationLevel.NONE))
    )
    result.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None and status.timestamp_validity.intact:
        result.timestamped_at = status.timestamp_validity.timestamp
    return result


def create_self_signed(key_file, cert_file, *, common_name, passphrase="", days=3 * 365):
    """A new ECDSA P-256 key and a self-signed certificate for it, written as PEM files (the key
    encrypted with `passphrase` if one is given). Returns the certificate's SHA-256 fingerprint.
    P-256 rather than RSA: PDF readers accept both, and pyHanko reloads the key for every
    signature, which for an RSA key costs more than the rest of signing."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Convention on Cluster Munitions"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SIGNER_NAME),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Geneva"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CH"),
        ]
    )
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    key_file, cert_file = Path(key_file), Path(cert_file)
    for path in (key_file, cert_file):
        path.parent.mkdir(parents=True, exist_ok=True)
    key_bytes = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    key_file.touch(mode=0o600, exist_ok=False)
    key_file.write_bytes(key_bytes)
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
