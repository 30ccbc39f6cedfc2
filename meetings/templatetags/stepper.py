"""`{% minutes_stepper meeting %}`: where the minutes stand on their way to the public record,
Draft → Circulated (v2) → Adopted → Published, shown at the top of every staff page."""

from django import template
from django.db.models import Max
from django.utils.translation import gettext as _

from meetings.models import Meeting

register = template.Library()
ORDER = [Meeting.Status.DRAFT, Meeting.Status.CIRCULATED, Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED]


@register.inclusion_tag("includes/_stepper.html")
def minutes_stepper(meeting):
    if meeting.status == Meeting.Status.CANCELLED:
        return {"steps": [{"label": _("Cancelled"), "state": "current"}]}
    # A meeting announced before its minutes were drafted starts one step earlier.
    announced = [Meeting.Status.ANNOUNCED] if meeting.announced_at else []
    versions = meeting.versions.aggregate(n=Max("number"))["n"] if meeting.status != Meeting.Status.ANNOUNCED else None
    current = [*announced, *ORDER].index(meeting.status) - len(announced)
    labels = [
        _("Draft")
        if not versions or meeting.status != Meeting.Status.DRAFT
        else _("Draft (after version %(n)s)") % {"n": versions},
        _("Circulated, version %(n)s") % {"n": versions} if versions and current >= 1 else _("Circulated"),
        _("Adopted"),
        _("Published"),
    ]
    labels = [_("Announced")] * len(announced) + labels
    steps = [
        {"label": label, "state": "done" if i < current else "current" if i == current else "todo"}
        for i, label in enumerate(labels, start=-len(announced))
    ]
    return {"steps": steps}
