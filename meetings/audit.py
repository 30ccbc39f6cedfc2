"""The audit trail: one append-only row per change to a meeting's record and per transition."""

from meetings.models import AuditEntry


def record(meeting, by, action, summary, changes=None):
    """Write one audit row, in the caller's transaction, so it stands or falls with the change."""
    name = ""
    if by is not None and getattr(by, "is_authenticated", False):
        name = by.get_full_name() or by.get_username()
    return AuditEntry.objects.create(
        meeting=meeting,
        by=by if name else None,
        by_name=name,
        action=action,
        summary=summary[:500],
        changes=changes or {},
    )


def diff_fields(old, new, fields):
    """{field: [old, new]} for the fields whose values differ between two snapshots (dicts)."""
    return {f: [old.get(f), new.get(f)] for f in fields if old.get(f) != new.get(f)}
