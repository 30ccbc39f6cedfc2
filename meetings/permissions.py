"""Who may do what: plain predicates that views and templates ask, and the one loader of a meeting
for views. Whether a move is allowed in the minutes' current state is meetings/workflow.py's call."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from meetings import workflow
from meetings.models import Meeting
from meetings.roles import is_coordinator, is_isu_staff

__all__ = ["is_coordinator", "is_isu_staff"]


def get_meeting_or_404(request, meeting_date, announcements=False):
    """The one way views load a meeting: whoever may not see it gets 404, so a draft's
    existence never leaks. Views then ask a predicate below and answer 403 to whoever may see
    but not act. With `announcements`, a meeting that was announced is found for everyone too: the
    view then shows its record only if `can_view_meeting`, else its announcement alone."""
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        raise Http404(_("No such meeting.")) from None
    meetings = Meeting.objects.visible_to(request.user)
    if announcements:
        meetings = meetings | Meeting.objects.announced()
    meeting = (
        meetings.select_related("presidency__delegation", "adopted_at_meeting", "official_record")
        .filter(date=day)
        .first()
    )
    if meeting is None and announcements:
        # The day a postponed meeting was first announced for still leads to it.
        meeting = (
            Meeting.objects.announced().select_related("presidency__delegation").filter(postponed_from=day).first()
        )
    if meeting is None:
        raise Http404(_("No such meeting."))
    if meeting.status == Meeting.Status.CIRCULATED and workflow.close_silence_procedures(meeting=meeting):
        # Its silence procedure ended unbroken: no page may show it as still running.
        meeting.refresh_from_db()
    return meeting


def can_view_meeting(user, meeting):
    # The rule itself lives in the queryset (MeetingQuerySet.visible_statuses); this asks it.
    return meeting.status in Meeting.objects.visible_statuses(user)


def can_edit_meeting(user, meeting):
    """Change the record: ISU staff, while the minutes are a draft (circulated minutes are
    withdrawn first; adopted ones never change), or the provisional agenda of an announced meeting.
    meetings/drafting.py checks it again under lock."""
    return is_isu_staff(user) and meeting.status in (Meeting.Status.DRAFT, Meeting.Status.ANNOUNCED)


def can_announce(user):
    return is_isu_staff(user)


def can_see_remote_link(user, meeting):
    """The video call's address: for coordinators and ISU staff, before the meeting; never public."""
    return (is_isu_staff(user) or is_coordinator(user)) and meeting.status == Meeting.Status.ANNOUNCED


def can_postpone(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "postpone")


def can_cancel(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "cancel")


def can_start_drafting(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "start_drafting")


def can_import_minutes(user):
    return is_isu_staff(user)


def can_review(user, meeting):
    """Read circulated versions and their comments: coordinators and ISU staff."""
    return can_view_meeting(user, meeting) and (is_isu_staff(user) or is_coordinator(user))


def can_view_versions(user, meeting):
    return can_review(user, meeting)


def can_comment(user, meeting):
    """Comment on the version under review, while the minutes are circulated."""
    return can_review(user, meeting) and meeting.status == Meeting.Status.CIRCULATED


def can_reply_to_comments(user, meeting):
    return is_isu_staff(user) and not meeting.is_adopted


def can_apply_proposals(user, meeting):
    """Apply a comment's proposed paragraph to the draft: ISU staff (meetings/review.py checks,
    under lock, that the minutes are a draft again)."""
    return is_isu_staff(user) and can_view_meeting(user, meeting)


def can_view_history(user, meeting):
    return is_isu_staff(user) and can_view_meeting(user, meeting)


def can_run_workflow(user, meeting):
    """Circulate, withdraw, adopt, start a silence procedure, publish: ISU staff. Whether the move
    is allowed in the minutes' current state is meetings/workflow.py's call."""
    return is_isu_staff(user) and can_view_meeting(user, meeting)


def can_circulate(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "circulate")


def can_withdraw(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "withdraw")


def can_adopt(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "adopt")


def can_start_silence(user, meeting, running=None):
    # A silence procedure is a way of adopting: it may start wherever adoption may.
    return can_adopt(user, meeting) and running is None


def can_break_silence(user, meeting, running=None):
    """Any coordinator may break a running silence procedure."""
    return is_coordinator(user) and can_view_meeting(user, meeting) and running is not None


def may_break_silence(user, meeting):
    """Whether the user is the kind of person who breaks silence (the state aside)."""
    return is_coordinator(user) and can_view_meeting(user, meeting)


def can_publish(user, meeting):
    return can_run_workflow(user, meeting) and workflow.allowed(meeting, "publish")


def can_draft(user):
    """May open the drafting workspace and start a new meeting (pages about no one record)."""
    return is_isu_staff(user)


def can_supersede(user, meeting):
    """Replace the published record of imported minutes by a corrected one: ISU staff (who may
    import), when workflow.supersede_refusal finds nothing against it."""
    return can_import_minutes(user) and can_run_workflow(user, meeting) and workflow.supersede_refusal(meeting) is None
