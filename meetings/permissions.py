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


def can_draft(user):
    """May open the drafting workspace and start a new meeting (pages about no one record)."""
    return is_isu_staff(user)
