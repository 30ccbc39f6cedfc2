"""Item bodies are Markdown; this turns them into HTML that is safe to show anywhere."""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "br", "ol", "ul", "li", "em", "strong", "blockquote", "a", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text):
    """Markdown → sanitised HTML. Raw HTML in the source is escaped or stripped, never trusted,
    and only http(s) and mailto links survive (nothing a PDF renderer could fetch)."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned.strip())


# A paragraph of an item's text is what a blank line separates (a list written without blank
# lines is one paragraph). Review cites them ("item 5.2, ¶3"), the version diff compares them.
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_spans(text):
    """[(start, end)] of each paragraph of `text`, surrounding white space left out, so that
    text[start:end] is the paragraph and replacing that slice changes nothing else."""
    spans = []
    position = 0
    for gap in [*PARAGRAPH_BREAK.finditer(text or ""), None]:
        end = gap.start() if gap else len(text or "")
        chunk = (text or "")[position:end]
        if chunk.strip():
            start = position + len(chunk) - len(chunk.lstrip())
            spans.append((start, start + len(chunk.strip())))
        position = gap.end() if gap else end
    return spans


def paragraphs(text):
    """The paragraphs of `text`, in order (¶1 is the first)."""
    return [text[start:end] for start, end in paragraph_spans(text)]
