"""Who may do what: plain predicates that views, templates and querysets all ask."""

ISU_STAFF_GROUP = "ISU staff"
COORDINATORS_GROUP = "Coordinators"


def _in_group(user, name):
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_ccm_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._ccm_groups = cache
    return name in cache


def is_isu_staff(user):
    return user.is_authenticated and (user.is_superuser or _in_group(user, ISU_STAFF_GROUP))


def is_coordinator(user):
    return _in_group(user, COORDINATORS_GROUP)


def can_view_meeting(user, meeting):
    from meetings.models import Meeting

    if meeting.status == Meeting.Status.PUBLISHED:
        return True
    if is_isu_staff(user):
        return True
    return is_coordinator(user) and meeting.status != Meeting.Status.DRAFT


def can_edit_meeting(user, meeting):
    return is_isu_staff(user) and not meeting.is_adopted


def can_import_minutes(user):
    return is_isu_staff(user)


def can_review(user, meeting):
    """Read circulated versions and their comments: coordinators and ISU staff."""
    return can_view_meeting(user, meeting) and (is_isu_staff(user) or is_coordinator(user))


def can_view_versions(user, meeting):
    return can_review(user, meeting)


def can_comment(user, meeting):
    """Comment on the version under review, while the minutes are circulated."""
    from meetings.models import Meeting

    return can_review(user, meeting) and meeting.status == Meeting.Status.CIRCULATED


def can_reply_to_comments(user, meeting):
    return is_isu_staff(user) and not meeting.is_adopted


def can_view_history(user, meeting):
    return is_isu_staff(user) and can_view_meeting(user, meeting)


def can_run_workflow(user, meeting):
    """Circulate, withdraw, adopt, start a silence procedure, publish: ISU staff. Whether the move
    is allowed in the minutes' current state is meetings/workflow.py's call."""
    return is_isu_staff(user) and can_view_meeting(user, meeting)


def can_circulate(user, meeting):
    return can_run_workflow(user, meeting) and meeting.status == "draft"


def can_withdraw(user, meeting):
    return can_run_workflow(user, meeting) and meeting.status == "circulated"


def can_adopt(user, meeting):
    return can_run_workflow(user, meeting) and meeting.status == "circulated"


def can_start_silence(user, meeting, running=None):
    return can_run_workflow(user, meeting) and meeting.status == "circulated" and running is None


def can_break_silence(user, meeting, running=None):
    """Any coordinator may break a running silence procedure."""
    return is_coordinator(user) and can_view_meeting(user, meeting) and running is not None


def may_break_silence(user, meeting):
    """Whether the user is the kind of person who breaks silence (the state aside)."""
    return is_coordinator(user) and can_view_meeting(user, meeting)


def can_publish(user, meeting):
    return can_run_workflow(user, meeting) and meeting.status == "adopted"


def can_draft(user):
    """May open the drafting workspace and start a new meeting (pages about no one record)."""
    return is_isu_staff(user)
