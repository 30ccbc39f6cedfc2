"""The text of a minutes file (.txt or .pdf)."""

import io
from pathlib import Path

from django.utils.translation import gettext as _

from meetings.importer.problems import ImportProblem


def read_source(source, name=None):
    """The text of a .txt or .pdf file, given a path or an uploaded file."""
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
    if name.lower().endswith(".pdf") or content.startswith(b"%PDF"):
        text = _pdf_text(content, name)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise ImportProblem(_("UTF-8 text (or a PDF)"), file=name, line=line) from None
    if not text.strip():
        raise ImportProblem(_("minutes text, but the file holds no text"), file=name, line=1)
    return text


def _pdf_text(content, name):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise ImportProblem(_("a readable PDF, but it is damaged or not a PDF"), file=name, line=1) from None
    if not "".join(pages).strip():
        raise ImportProblem(_("a PDF with a text layer (a scanned PDF needs OCR first)"), file=name, line=1)
    # Page breaks become blank lines; the parser rejoins a paragraph cut by one.
    return "\n\n".join(pages)
