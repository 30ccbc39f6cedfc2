"""Template filters for showing the record."""

from datetime import datetime

from django import template

from meetings.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def isodate(value):
    """A date or date-time of the record document (ISO text) as a date or datetime, for `|date`."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.date() if len(value) == 10 else parsed


@register.filter
def document_kind(value):
    """A document's kind as the record stores it ("paper"), in the reader's language."""
    from meetings.models import Document

    return dict(Document.Kind.choices).get(value, value)


@register.filter
def document_language(value):
    from meetings.models import Document

    return dict(Document.Language.choices).get(value, value)


@register.filter
def item_documents(documents, number):
    """The documents of a record document attached to the item numbered `number`."""
    return [document for document in documents or () if document.get("item") == number]
