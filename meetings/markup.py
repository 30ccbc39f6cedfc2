"""Item bodies are Markdown; this turns them into HTML that is safe to show anywhere."""

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
