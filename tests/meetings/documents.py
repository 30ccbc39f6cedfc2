"""Files for the document tests, made here in a few bytes: real PDFs, Office Open XML and
OpenDocument packages, and the impostors an upload check must see through."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import documents, workflow
from tests.factories import later_meeting

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_BYTES = b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body><script>steal()</script></body></html>\n"


def ooxml(main_part, *, macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/main.xml" ContentType="{main_part}"/></Types>',
        )
        package.writestr("main.xml", "<document/>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def odf(mimetype):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


DOCX_BYTES = ooxml(documents.OOXML_MAIN_PARTS[documents.DOCX])
XLSX_BYTES = ooxml(documents.OOXML_MAIN_PARTS[documents.XLSX])
PPTX_BYTES = ooxml(documents.OOXML_MAIN_PARTS[documents.PPTX])
DOCM_BYTES = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", macros=True)
ODT_BYTES = odf(documents.ODT)


def upload(name="paper.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attach(meeting, by, name="paper.pdf", content=PDF_BYTES, **fields):
    fields = {"title": "Paper by the Presidency", "kind": "paper", "language": "en", **fields}
    return documents.attach(meeting, by, upload(name, content), **fields)


def circulate(meeting, by):
    return workflow.circulate(meeting, by=by, comment_deadline=datetime.date.today() + datetime.timedelta(days=14))


def adopt(meeting, by):
    circulate(meeting, by)
    return workflow.adopt(meeting, by=by, at_meeting=later_meeting(meeting))


def publish(meeting, by):
    adopt(meeting, by)
    return workflow.publish(meeting, by=by)
