"""Comparing versions of the minutes: per-item word diffs between two documents of the record
(meetings/record_json.py), insertions and deletions marked, everything else escaped. The portal's
one word diff lives here; the drafting conflict notice shows it too."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from meetings import markup, record_json


def word_diff(old, new):
    """Word-level diff as [(op, text)] with op in "equal", "insert", "delete"; a change spanning
    several words reads as one deletion followed by one insertion."""
    old_words = re.split(r"(\s+)", old or "")
    new_words = re.split(r"(\s+)", new or "")
    opcodes = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes()
    parts = []
    deleted, inserted = "", ""
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        equal = "".join(old_words[i1:i2]) if op == "equal" else ""
        between_changes = 0 < index < len(opcodes) - 1 and (deleted or inserted)
        if op == "equal" and not (between_changes and equal.isspace()):
            if deleted:
                parts.append(("delete", deleted))
            if inserted:
                parts.append(("insert", inserted))
            deleted, inserted = "", ""
            parts.append(("equal", equal))
        elif op == "equal":
            deleted += equal
            inserted += equal
        else:
            deleted += "".join(old_words[i1:i2])
            inserted += "".join(new_words[j1:j2])
    if deleted:
        parts.append(("delete", deleted))
    if inserted:
        parts.append(("insert", inserted))
    return [part for part in parts if part[1]]


def diff_html(old, new):
    """The word diff of two texts as safe HTML: <del> for removed words, <ins> for added ones."""
    tags = {"delete": "<del>{}</del>", "insert": "<ins>{}</ins>", "equal": "{}"}
    return mark_safe("".join(tags[op].format(escape(text)) for op, text in word_diff(old, new)))


def _point_text(point):
    owners = ", ".join(point["owners"])
    return f"{point['text']} — {owners}" if owners else point["text"]


def item_text(item):
    """An item as one comparable text: body, decisions and action points."""
    parts = [item["body"]]
    if item["decisions"]:
        parts.append("Decisions:\n" + "\n".join(f"- {text}" for text in item["decisions"]))
    if item["action_points"]:
        parts.append("Action points:\n" + "\n".join(f"- {_point_text(point)}" for point in item["action_points"]))
    return "\n\n".join(part for part in parts if part)


def _person(attendee):
    person = f"{attendee['honorific']} {attendee['name']}".strip()
    return f"{person} (via conference call)" if attendee["remote"] else person


def attendance_text(document):
    lines = []
    for row in document.get("attendance", []):
        if row["status"] == "present":
            people = ", ".join(_person(attendee) for attendee in row["attendees"])
            lines.append(f"{row['label']}: {people}" if people else row["label"])
    apologies = [row["label"] for row in document.get("attendance", []) if row["status"] == "apologies"]
    if apologies:
        lines.append("Apologies: " + ", ".join(apologies))
    return "\n".join(lines)


def documents_text(document):
    """The documents a version lists, one per line, each with its file's hash: a replaced file shows."""
    lines = []
    for listed in document.get("documents", []):
        symbol = f" ({listed['symbol']})" if listed.get("symbol") else ""
        where = f"under item {listed['item']}" if listed.get("item") else "for the meeting as a whole"
        lines.append(f"{listed['title']}{symbol}, {where}: {listed['file_name']}, SHA-256 {listed['sha256']}")
    return "\n".join(lines)


def _leads(item):
    return " & ".join(item["leads"])


WORDS = re.compile(r"\s+|[^\s]+")


def _marked(words, spans, tag):
    out = []
    position = 0
    for start, end in spans:
        out.append(escape("".join(words[position:start])))
        out.append(f"<{tag}>{escape(''.join(words[start:end]))}</{tag}>")
        position = end
    out.append(escape("".join(words[position:])))
    return mark_safe("".join(out))


def rewrite_html(old, new):
    """A rewritten paragraph as two blocks: (before with removed words in <del>, after with added
    words in <ins>), so each reads as a whole sentence rather than interleaved words."""
    a, b = WORDS.findall(old or ""), WORDS.findall(new or "")
    removed, added = [], []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed.append((a1, a2))
        if op in ("insert", "replace"):
            added.append((b1, b2))
    return _marked(a, removed, "del"), _marked(b, added, "ins")


def paragraph_blocks(old, new):
    """Two texts compared paragraph by paragraph: a list of blocks, each {"state": same / changed /
    added / removed, "before": html, "after": html}."""
    a, b = markup.paragraphs(old), markup.paragraphs(new)
    blocks = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            blocks += [{"state": "same", "before": None, "after": escape(p)} for p in b[b1:b2]]
            continue
        olds, news = a[a1:a2], b[b1:b2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            if before is not None and after is not None:
                marked_before, marked_after = rewrite_html(before, after)
                blocks.append({"state": "changed", "before": marked_before, "after": marked_after})
            elif after is not None:
                blocks.append({"state": "added", "before": None, "after": escape(after)})
            else:
                blocks.append({"state": "removed", "before": escape(before), "after": None})
    return blocks


def compare(old, new):
    """Per-item differences between two documents, in the newer one's order, removed items last.
    Each entry: number, title, state (added / removed / changed / unchanged), and title, leads and
    text diffs as safe HTML."""
    old_items = {item["key"]: item for item in record_json.flat_items(old)}
    rows = []
    present_old, present_new = attendance_text(old), attendance_text(new)
    rows.append(_row("1", "Present", present_old, present_new, "", "", "", ""))
    for item in record_json.flat_items(new):
        before = old_items.pop(item["key"], None)
        if before is None:
            row = _row(item["number"], item["title"], "", item_text(item), "", item["title"], "", _leads(item))
            row["state"] = "added"
        else:
            row = _row(
                item["number"],
                item["title"],
                item_text(before),
                item_text(item),
                before["title"],
                item["title"],
                _leads(before),
                _leads(item),
            )
        rows.append(row)
    for item in old_items.values():
        row = _row(item["number"], item["title"], item_text(item), "", item["title"], "", _leads(item), "")
        row["state"] = "removed"
        rows.append(row)
    documents_old, documents_new = documents_text(old), documents_text(new)
    if documents_old or documents_new:
        rows.append(_row("", "Documents", documents_old, documents_new, "", "", "", ""))
    return rows


def _row(number, title, old_text, new_text, old_title, new_title, old_leads, new_leads):
    changed = old_text != new_text or old_title != new_title or old_leads != new_leads
    return {
        "number": number,
        "title": title,
        "state": "changed" if changed else "unchanged",
        "title_diff": diff_html(old_title, new_title) if old_title != new_title else None,
        "leads_diff": diff_html(old_leads, new_leads) if old_leads != new_leads else None,
        "text_diff": diff_html(old_text, new_text) if old_text != new_text else escape(new_text),
        "blocks": paragraph_blocks(old_text, new_text),
    }
