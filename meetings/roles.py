"""The two roles of the portal, as groups: who is ISU staff and who is a coordinator, and what
each group may do in the admin. The groups are made after every `migrate` (meetings/apps.py)."""

ISU_STAFF_GROUP = "ISU staff"
COORDINATORS_GROUP = "Coordinators"
# The apps whose admin permissions ISU staff hold.
STAFF_APPS = ("delegations", "meetings")


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


def ensure_roles(**kwargs):
    """Make both groups and give ISU staff every permission of the record's apps. Idempotent; runs
    as a post_migrate handler, after Django has made the permissions."""
    from django.contrib.auth.models import Group, Permission

    staff, _ = Group.objects.get_or_create(name=ISU_STAFF_GROUP)
    staff.permissions.add(*Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    Group.objects.get_or_create(name=COORDINATORS_GROUP)
