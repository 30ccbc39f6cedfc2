"""The official PDF is signed by the ISU at adoption: a PAdES certification signature that permits no
change, with a visible seal that covers no text; /verify/ and verify_records check it."""

import hashlib
import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils.generic import NameObject, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from meetings import pdf, signing
from meetings.models import AuditEntry, Meeting, OfficialRecord, RetiredRecordFile
from tests import pdf_reader
from tests.signing_keys import TimestampAuthority

pytestmark = pytest.mark.django_db

SEED = "/meetings/2018-09-25/minutes.pdf"
VERIFY = reverse("portal:record_verify")
CERTIFICATE = reverse("portal:record_certificate")


def upload(content):
    return {"document": SimpleUploadedFile("minutes.pdf", content, content_type="application/pdf")}


def stored_bytes(record):
    with record.file.open("rb") as handle:
        return handle.read()


def replace_stored_file(record, content):
    with open(record.file.path, "wb") as handle:
        handle.write(content)


def verify_records_fails():
    with pytest.raises(CommandError) as failure:
        call_command("verify_records", stderr=(errors := io.StringIO()), stdout=io.StringIO())
    return str(failure.value) + errors.getvalue()


@pytest.fixture
def signed_seed(client, demo, isu_signing_key):
    """The published seed minutes as anyone downloads them, signed with the ISU's key."""
    return client.get(SEED).content


@pytest.fixture
def seed_record(signed_seed):
    return OfficialRecord.objects.select_related("signing_certificate").get(meeting__date="2018-09-25")


def unsigned_rendering(record):
    return stored_bytes(record)[: record.unsigned_size]


def test_the_seed_validates_against_the_published_certificate_as_certified_with_no_changes(client, signed_seed):
    published = signing.load_certificate(client.get(CERTIFICATE).content)
    signature = PdfFileReader(io.BytesIO(signed_seed)).embedded_signatures[0]
    status = validate_pdf_signature(
        signature, signer_validation_context=ValidationContext(trust_roots=[published], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.docmdp_level == MDPPerm.NO_CHANGES
    assert status.docmdp_ok
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_the_signed_pdf_keeps_pdf_a_3b_minutes_json_and_the_text_of_the_rendering(signed_seed, seed_record):
    rendering = unsigned_rendering(seed_record)
    assert pdf_reader.pdfa_identification(signed_seed) == ("3", "B")
    assert pdf_reader.minutes_json(signed_seed) == pdf_reader.minutes_json(rendering)
    assert pdf_reader.page_texts(signed_seed) == pdf_reader.page_texts(rendering)


def test_signing_leaves_the_document_information_and_xmp_metadata_as_rendered(signed_seed, seed_record):
    def metadata(content):
        reader = pdf_reader.reader(content)
        info = {key: str(value) for key, value in reader.trailer["/Info"].get_object().items()}
        return info, reader.trailer["/Root"]["/Metadata"].get_object().get_data()

    assert metadata(signed_seed) == metadata(unsigned_rendering(seed_record))


def test_the_signature_is_an_incremental_update_of_the_very_rendering_whose_hash_the_record_keeps(
    signed_seed, seed_record
):
    rendering = unsigned_rendering(seed_record)
    assert hashlib.sha256(rendering).hexdigest() == seed_record.unsigned_sha256
    assert rendering == pdf.render_minutes_pdf(seed_record.meeting)
    assert hashlib.sha256(signed_seed).hexdigest() == seed_record.sha256


def test_pdffonts_lists_every_font_of_the_signed_pdf_as_embedded(signed_seed, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_seed)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(rows) == 5  # the four styles of the text, and the seal's
    for row in rows:
        # name, type (may hold spaces), encoding, then emb sub uni object-number generation
        assert row.split()[-5] == "yes", row


def test_the_seal_sits_in_the_room_reserved_on_page_1_and_covers_no_text(signed_seed, seed_record, tmp_path):
    annotations = [a.get_object() for a in pdf_reader.reader(signed_seed).pages[0]["/Annots"]]
    (seal,) = [a for a in annotations if a.get("/FT") == "/Sig"]
    left, bottom, right, top = (float(v) for v in seal["/Rect"])
    assert right - left > 400 and top - bottom > 60
    # Every word of the rendering, before the seal was added to it.
    path = tmp_path / "rendering.pdf"
    path.write_bytes(unsigned_rendering(seed_record))
    words = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', words).group(1))
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', words)
    assert len(boxes) > 50
    for x_min, y_min, x_max, y_max in ((float(v) for v in box) for box in boxes):
        # pdftotext measures from the top of the page, the PDF from the bottom.
        overlaps = x_min < right and x_max > left and height - y_max < top and height - y_min > bottom
        assert not overlaps, (x_min, y_min, x_max, y_max)


def test_the_seal_says_what_the_record_is_with_the_hash_of_the_rendering_and_the_verify_address(
    signed_seed, seed_record, settings, tmp_path
):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_seed)
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for line in (
        "Official record of the CCM Coordination Committee —",
        "adopted by silence procedure ending 26 October 2018 (version 1, entered from the archive),",
        "signed by the Implementation Support Unit",
        f"SHA-256 of the unsigned rendering: {seed_record.unsigned_sha256}",
        f"Verify at {settings.SITE_URL}/verify/",
    ):
        assert line in first_page


def test_the_record_remembers_the_certificate_that_signed_it(seed_record, isu_signing_key):
    assert seed_record.signing_certificate.sha256_fingerprint == isu_signing_key
    assert seed_record.signed_at is not None


def test_the_verify_page_publishes_the_certificate_and_its_fingerprint(client, isu_signing_key, settings):
    page = client.get(VERIFY).content.decode()
    assert isu_signing_key in page
    assert f'href="{CERTIFICATE}"' in page
    response = client.get(CERTIFICATE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    with open(settings.SIGNING_CERT_FILE, "rb") as handle:
        assert signing.fingerprint(signing.load_certificate(response.content)) == signing.fingerprint(
            signing.load_certificate(handle.read())
        )


def test_without_a_key_there_is_no_certificate_to_download(client, db):
    assert client.get(CERTIFICATE).status_code == 404
    assert "certificate.pem" not in client.get(VERIFY).content.decode()


# /verify/ on what anyone may hold.


def test_verify_says_the_official_pdf_is_an_official_record_with_a_valid_isu_signature(
    client, signed_seed, isu_signing_key
):
    page = client.post(VERIFY, upload(signed_seed)).content.decode()
    assert "This is an official record." in page
    assert "The signature is valid." in page
    assert "current certificate" in page
    assert isu_signing_key in page


def test_verify_says_a_flipped_byte_altered_the_signed_content(client, signed_seed, seed_record):
    changed = bytearray(signed_seed)
    changed[seed_record.unsigned_size // 2] ^= 0x01
    page = client.post(VERIFY, upload(bytes(changed))).content.decode()
    assert "This file is not an official record" in page
    assert "The signature is not valid." in page
    assert "The signed content was altered after it was signed" in page


def append_update(content):
    """What an editor does when it saves a change to a signed PDF: an incremental update (here,
    the document's language relabelled)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    writer.root[NameObject("/Lang")] = TextStringObject("fr")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_verify_says_something_was_appended_after_signing(client, signed_seed):
    page = client.post(VERIFY, upload(append_update(signed_seed))).content.decode()
    assert "This file is not an official record" in page
    assert "The signature is not valid." in page
    assert "Something was added to the file after it was signed." in page
    assert "The signed content was altered" not in page


def test_verify_says_a_signature_by_another_key_is_not_the_isus(client, seed_record, other_key):
    forged = signing.sign(unsigned_rendering(seed_record), adoption="Adopted", key=other_key).content
    page = client.post(VERIFY, upload(forged)).content.decode()
    assert "This file is not an official record" in page
    assert "It is signed with a certificate that is not the ISU&#x27;s." in page
    assert other_key.fingerprint in page


def test_verify_says_an_unsigned_pdf_carries_no_signature(client, demo):
    content = pdf.render_minutes_pdf(demo["2018-11-13"])
    page = client.post(VERIFY, upload(content)).content.decode()
    assert "The file carries no digital signature." in page


# verify_records on what the portal stores.


def test_verify_records_validates_every_stored_signature(signed_seed):
    output = io.StringIO()
    call_command("verify_records", stdout=output)
    assert "1 official record(s) verified, 1 with a valid signature." in output.getvalue()


def test_verify_records_names_a_flipped_byte(seed_record, signed_seed):
    changed = bytearray(signed_seed)
    changed[seed_record.unsigned_size // 2] ^= 0x01
    replace_stored_file(seed_record, bytes(changed))
    report = verify_records_fails()
    assert "25 September 2018" in report
    assert "the signed bytes were altered" in report


def test_verify_records_names_an_appended_update(seed_record, signed_seed):
    replace_stored_file(seed_record, append_update(signed_seed))
    report = verify_records_fails()
    assert "something was appended to it after it was signed" in report
    assert "altered" not in report


def test_verify_records_names_a_signature_by_another_key(seed_record, other_key, isu_signing_key):
    replace_stored_file(seed_record, signing.sign(unsigned_rendering(seed_record), adoption="A", key=other_key).content)
    report = verify_records_fails()
    assert f"signed by certificate {other_key.fingerprint}, not by {isu_signing_key}" in report


# Keys: rotation, records stored before signing, no key at all.


def adopt_thirty_august(django_capture_on_commit_callbacks, demo):
    """The 30 August minutes, adopted in the demo, get their official record through adoption's
    own after-commit step (as if adopted now)."""
    with django_capture_on_commit_callbacks(execute=True):
        pdf.store_official_record(demo["2018-08-30"].pk)
    return OfficialRecord.objects.get(meeting__date="2018-08-30")


def test_after_a_key_rotation_each_record_is_checked_against_its_own_certificate(
    settings, signed_seed, _other_key_pair, demo, django_capture_on_commit_callbacks
):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE, rotated = map(str, _other_key_pair)
    later = adopt_thirty_august(django_capture_on_commit_callbacks, demo)
    assert later.signing_certificate.sha256_fingerprint == rotated
    output = io.StringIO()
    call_command("verify_records", stdout=output)
    assert "2 official record(s) verified, 2 with a valid signature." in output.getvalue()


def test_without_a_key_adoption_still_stores_the_record_unsigned_and_staff_are_told(client, demo, isu_staff, settings):
    content = client.get(SEED).content
    record = OfficialRecord.objects.get(meeting__date="2018-09-25")
    assert not record.is_signed
    assert hashlib.sha256(content).hexdigest() == record.sha256 == record.rendering_sha256
    client.force_login(isu_staff)
    page = client.get(reverse("meetings:drafting_workspace")).content.decode()
    assert "No signing key is configured" in page


def test_staff_see_no_warning_when_records_are_signed(client, isu_staff, isu_signing_key):
    client.force_login(isu_staff)
    assert "signing key" not in client.get(reverse("meetings:drafting_workspace")).content.decode()


def test_signing_records_stored_before_signing_keeps_the_old_file_and_writes_history(
    client, demo, settings, _isu_key_pair
):
    unsigned = client.get(SEED).content
    record = OfficialRecord.objects.get(meeting__date="2018-09-25")
    old_name = record.file.name
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE, fingerprint = map(str, _isu_key_pair)

    output = io.StringIO()
    call_command("sign_official_records", stdout=output)

    assert "Signed Meeting of 25 September 2018; the earlier file is kept." in output.getvalue()
    record.refresh_from_db()
    signed = stored_bytes(record)
    assert record.signing_certificate.sha256_fingerprint == fingerprint
    assert signed[: record.unsigned_size] == unsigned  # the rendering itself never changes
    assert record.file.name != old_name
    earlier = RetiredRecordFile.objects.get(meeting=record.meeting)
    assert earlier.file.name == old_name and earlier.sha256 == hashlib.sha256(unsigned).hexdigest()
    assert stored_bytes(earlier) == unsigned
    entry = AuditEntry.objects.filter(meeting=record.meeting).last()
    assert entry.action == "record.signed" and entry.changes["earlier_sha256"] == earlier.sha256
    assert client.get(SEED).content == signed
    page = client.post(VERIFY, upload(unsigned)).content.decode()
    assert "This is an earlier copy of an official record." in page
    output = io.StringIO()
    call_command("verify_records", stdout=output)
    assert "1 with a valid signature" in output.getvalue()


def test_signing_again_with_the_same_key_changes_nothing(signed_seed, seed_record):
    call_command("sign_official_records", stdout=io.StringIO())
    assert not RetiredRecordFile.objects.exists()
    assert stored_bytes(OfficialRecord.objects.get(pk=seed_record.pk)) == signed_seed


def test_a_rotated_key_re_signs_the_same_rendering(settings, seed_record, signed_seed, _other_key_pair):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE, rotated = map(str, _other_key_pair)
    call_command("sign_official_records", stdout=io.StringIO())
    record = OfficialRecord.objects.get(pk=seed_record.pk)
    assert record.signing_certificate.sha256_fingerprint == rotated
    assert stored_bytes(record)[: record.unsigned_size] == signed_seed[: seed_record.unsigned_size]
    assert RetiredRecordFile.objects.get().signing_certificate == seed_record.signing_certificate


def test_a_pdf_without_room_for_the_seal_is_signed_without_one(demo, other_key):
    meeting = Meeting.objects.get(date="2018-11-13")  # a draft: its rendering reserves no room
    signed = signing.sign(pdf.render_minutes_pdf(meeting), adoption="Adopted", key=other_key)
    assert not signed.sealed
    seal = PdfFileReader(io.BytesIO(signed.content)).embedded_signatures[0]
    assert seal.sig_field["/Rect"] == [0, 0, 0, 0]


# The JSON API.


def test_the_api_gives_each_adopted_records_signature_status_and_certificate(client, seed_record, isu_signing_key):
    detail = client.get("/api/v1/meetings/2018-09-25/").json()["official_record"]
    assert detail == {
        "sha256": seed_record.sha256,
        "signature": {
            "status": "signed",
            "certificate_sha256": isu_signing_key,
            "signed_at": seed_record.signed_at.isoformat(),
        },
    }
    (listed,) = client.get("/api/v1/meetings/").json()["results"]
    assert listed["official_record"] == detail


def test_the_api_says_a_record_stored_without_a_key_is_unsigned(client, demo):
    client.get(SEED)
    signature = client.get("/api/v1/meetings/2018-09-25/").json()["official_record"]["signature"]
    assert signature == {"status": "unsigned", "certificate_sha256": None, "signed_at": None}


# Timestamps (PAdES B-T), from a timestamp authority the test runs on the loopback interface.


def test_with_a_timestamp_authority_the_signature_carries_an_rfc_3161_timestamp(
    client, demo, isu_signing_key, settings
):
    with TimestampAuthority() as authority:
        settings.SIGNING_TSA_URL = authority.url
        signed = client.get(SEED).content
    assert authority.requests  # (pyHanko asks once more to size the signature)
    record = OfficialRecord.objects.select_related("signing_certificate").get()
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(signed)).embedded_signatures[0],
        signer_validation_context=ValidationContext(
            trust_roots=[signing.load_certificate(record.signing_certificate.pem)], allow_fetching=False
        ),
        ts_validation_context=ValidationContext(trust_roots=[authority.certificate], allow_fetching=False),
    )
    assert status.bottom_line
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted
    page = client.post(VERIFY, upload(signed)).content.decode()
    assert "The signature is valid." in page and "Timestamp" in page


def test_an_unreachable_timestamp_authority_leaves_the_record_signed_without_a_timestamp(
    client, demo, isu_signing_key, settings, caplog
):
    with TimestampAuthority() as authority:
        settings.SIGNING_TSA_URL = authority.url
    # The authority has stopped: nothing listens on its port any more.
    signed = client.get(SEED).content
    assert "signing without a timestamp" in caplog.text
    check = signing.check(signed, [OfficialRecord.objects.get().signing_certificate])
    assert check.valid and check.timestamped_at is None


def test_without_a_timestamp_authority_none_is_asked_for(signed_seed, seed_record):
    check = signing.check(signed_seed, [seed_record.signing_certificate])
    assert check.valid and check.timestamped_at is None
