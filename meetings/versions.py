"""Circulated versions of the minutes: the frozen snapshot of a record, and per-item word diffs
between two snapshots (insertions and deletions marked, everything else escaped)."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORDS = re.compile(r"\s+|[^\s]+")


def snapshot(meeting):
    """A JSON-able copy of the record as it stands: attendance, then items with number, title,
    leads, body, decisions and action points. An item's `key` is its id, so that an item keeps
    its identity across versions even when it is renumbered."""
    attendance = []
    for row in meeting.attendance_list():
        attendance.append(
            {
                "name": row.display_name,
                "status": row.status,
                "attendees": [
                    f"{attendee} (via conference call)" if attendee.remote else str(attendee)
                    for attendee in row.attendees.all()
                ],
            }
        )
    items = []
    for top in meeting.agenda():
        for item in [top, *top.children]:
            items.append(
                {
                    "key": str(item.pk),
                    "number": item.number,
                    "title": item.title,
                    "leads": item.leads_display,
                    "body": item.body,
                    # Sanitised when the item was saved (meetings/markup.py); kept so pages needn't re-render.
                    "body_html": item.body_html,
                    "decisions": [decision.text for decision in item.decisions.all()],
                    "action_points": [point.text for point in item.action_points.all()],
                }
            )
    return {"attendance": attendance, "items": items}


def item_text(item):
    """An item as one comparable text: title line, body, decisions and action points."""
    parts = [item["body"]]
    if item["decisions"]:
        parts.append("Decisions:\n" + "\n".join(f"- {text}" for text in item["decisions"]))
    if item["action_points"]:
        parts.append("Action points:\n" + "\n".join(f"- {text}" for text in item["action_points"]))
    return "\n\n".join(part for part in parts if part)


def attendance_text(snap):
    lines = []
    for row in snap.get("attendance", []):
        if row["status"] == "present":
            lines.append(f"{row['name']}: {', '.join(row['attendees'])}" if row["attendees"] else row["name"])
    apologies = [row["name"] for row in snap.get("attendance", []) if row["status"] == "apologies"]
    if apologies:
        lines.append("Apologies: " + ", ".join(apologies))
    return "\n".join(lines)


def diff_html(old, new):
    """Word-level diff of two texts as safe HTML: <del> for removed words, <ins> for added ones."""
    a, b = WORDS.findall(old or ""), WORDS.findall(new or "")
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return mark_safe("".join(out))


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


PARAGRAPHS = re.compile(r"\n\s*\n")


def paragraph_blocks(old, new):
    """Two texts compared paragraph by paragraph: a list of blocks, each {"state": same / changed /
    added / removed, "before": html, "after": html}."""
    a = [p.strip() for p in PARAGRAPHS.split(old or "") if p.strip()]
    b = [p.strip() for p in PARAGRAPHS.split(new or "") if p.strip()]
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
    """Per-item differences between two snapshots, in the newer one's order, removed items last.
    Each entry: number, title, state (added / removed / changed / unchanged), and title, leads and
    text diffs as safe HTML."""
    old_items = {item["key"]: item for item in old.get("items", [])}
    rows = []
    present_old, present_new = attendance_text(old), attendance_text(new)
    rows.append(_row("1", "Present", present_old, present_new, "", "", "", ""))
    for item in new.get("items", []):
        before = old_items.pop(item["key"], None)
        if before is None:
            row = _row(item["number"], item["title"], "", item_text(item), "", item["title"], "", item["leads"])
            row["state"] = "added"
        else:
            row = _row(
                item["number"],
                item["title"],
                item_text(before),
                item_text(item),
                before["title"],
                item["title"],
                before["leads"],
                item["leads"],
            )
        rows.append(row)
    for item in old_items.values():
        row = _row(item["number"], item["title"], item_text(item), "", item["title"], "", item["leads"], "")
        row["state"] = "removed"
        rows.append(row)
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
