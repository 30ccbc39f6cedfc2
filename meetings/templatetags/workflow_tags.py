"""`{% workflow_actions meeting as actions %}`: what the current user may do next with a meeting,
as booleans from meetings/permissions.py and the small forms that go with them."""

from django import template

from meetings import permissions, workflow
from meetings.forms import AdoptForm, BreakSilenceForm, CirculateForm, SilenceForm
from meetings.models import SilenceProcedure

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_actions(context, meeting):
    user = context["request"].user
    running = broken = None
    if meeting.status == "circulated":
        latest = SilenceProcedure.objects.filter(meeting=meeting).select_related("broken_by").order_by("-id").first()
        running = latest if latest and latest.status == SilenceProcedure.Status.RUNNING else None
        broken = latest if latest and latest.status == SilenceProcedure.Status.BROKEN else None
    actions = {
        "running_silence": running,
        "broken_silence": broken,
        "can_review": permissions.can_review(user, meeting),
        "can_view_versions": permissions.can_view_versions(user, meeting),
        "can_view_history": permissions.can_view_history(user, meeting),
        "can_circulate": permissions.can_circulate(user, meeting),
        "can_withdraw": permissions.can_withdraw(user, meeting),
        "can_adopt": permissions.can_adopt(user, meeting),
        "can_start_silence": permissions.can_start_silence(user, meeting, running),
        "can_break_silence": permissions.can_break_silence(user, meeting, running),
        "can_publish": permissions.can_publish(user, meeting),
    }
    actions["circulate_form"] = CirculateForm() if actions["can_circulate"] else None
    actions["adopt_form"] = AdoptForm(meeting=meeting) if actions["can_adopt"] else None
    version = meeting.latest_version() if actions["can_start_silence"] else None
    actions["silence_form"] = (
        SilenceForm(comment_deadline=version.comment_deadline if version else None)
        if actions["can_start_silence"]
        else None
    )
    # What stops the next step, shown before anyone clicks (the verb refuses it anyway).
    next_verb = next(
        (
            verb
            for verb in ("circulate", "adopt", "publish")
            if actions[f"can_{verb}"] or (verb == "adopt" and actions["can_start_silence"])
        ),
        None,
    )
    actions["problems"] = workflow.problems(meeting, next_verb) if next_verb else []
    actions["break_form"] = BreakSilenceForm() if actions["can_break_silence"] else None
    actions["any"] = any(value for key, value in actions.items() if key.startswith("can_"))
    return actions
