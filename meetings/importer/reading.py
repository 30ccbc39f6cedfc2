"""The minutes in a file (.txt, .pdf or .docx): its text, or the portal's own record it carries."""

from pathlib import Path

from django.utils.translation import gettext as _

from meetings.importer.problems import ImportProblem

DOCX_MAGIC = b"PK\x03\x04"


def _content(source, name):
    if isinstance(source, str | Path):
        path = Path(source)
        name = name or str(source)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ImportProblem(_("a readable file ({reason})").format(reason=exc.strerror), file=name) from None
    else:
        name = name or getattr(source, "name", "upload")
        content = source.read()
    if not content.strip():
        raise ImportProblem(_("minutes text, but the file is empty"), file=name, line=1)
    return content, name


def _is_pdf(content, name):
    return name.lower().endswith(".pdf") or content.startswith(b"%PDF")


def _is_docx(content, name):
    return name.lower().endswith(".docx") or content.startswith(DOCX_MAGIC)


def _text(content, name):
    if _is_pdf(content, name):
        from meetings.importer.layout import pdf_text

        text = pdf_text(content, name)
    elif _is_docx(content, name):
        from meetings.importer.docx import docx_text

        text = docx_text(content, name)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise ImportProblem(_("UTF-8 text (or a PDF or .docx)"), file=name, line=line) from None
    if not text.strip():
        raise ImportProblem(_("minutes text, but the file holds no text"), file=name, line=1)
    return text


def read_source(source, name=None):
    """The text of a .txt, .pdf or .docx file, given a path or an uploaded file."""
    content, name = _content(source, name)
    return _text(content, name)


def read_minutes(source, name=None, *, default_date=None, matcher=None):
    """ParsedMinutes from a file: a PDF carrying the portal's own minutes.json is read from that
    record, exactly; anything else is parsed from its text."""
    from meetings.importer.names import DelegationMatcher
    from meetings.importer.parsing import parse
    from meetings.importer.record import attached_record, from_record

    content, name = _content(source, name)
    if _is_pdf(content, name) and (record := attached_record(content)) is not None:
        parsed = from_record(record, matcher or DelegationMatcher.from_db(), name=name)
        if default_date and parsed.date != default_date:
            raise ImportProblem(
                _("the date {given}, but the PDF's record is of {date}").format(given=default_date, date=parsed.date),
                file=name,
            )
        return parsed
    text = _text(content, name)
    return parse(text, default_date=default_date, matcher=matcher or DelegationMatcher.from_db())
