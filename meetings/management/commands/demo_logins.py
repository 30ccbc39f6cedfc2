"""Give the demo accounts fresh random passwords and print them (run by `make run`)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from delegations.models import Representative
from meetings.roles import COORDINATORS_GROUP, ISU_STAFF_GROUP

# (role, username, group, delegation, representative): the coordinators belong to New Zealand
# (National Implementation Measures) and Chile (Universalization), two delegations of the demo
# term, so that circulated minutes show comments from two delegations.
DEMO_ACCOUNTS = [
    ("isu", "isu", ISU_STAFF_GROUP, "ISU CCM", "Sheila Mweemba"),
    ("coordinator", "coordinator", COORDINATORS_GROUP, "New Zealand", "Katy Donnelly"),
    ("coordinator", "coordinator-chile", COORDINATORS_GROUP, "Chile", "Pamela Moraga"),
]


def _second_factor(user):
    from ccm_portal import mfa

    if mfa.required_for(user):
        return "a second factor is required: enrol a passkey or an authenticator app at the first login"
    if settings.MFA_REQUIRED:
        return "password alone; a second factor is optional"
    return "password alone: MFA_REQUIRED is off for this demo"


def demo_account(role, username, group_name, delegation, person):
    """The demo account, created without a usable password if new, in its group and linked to
    the delegation's representative of that name."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    first, _space, last = person.partition(" ")
    user.first_name, user.last_name = first, last
    # example.org is reserved for examples: the console backend shows these emails under `make run`.
    user.email = f"{username}@example.org"
    user.is_staff = role == "isu"  # ISU staff may also use the admin, as a support tool.
    if created:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    Representative.objects.filter(delegation__name=delegation, name=person, user__isnull=True).update(user=user)
    return user


class Command(BaseCommand):
    help = "Reset the demo accounts' passwords to new random ones and print them."

    @transaction.atomic
    def handle(self, *args, **options):
        for role, username, *rest in DEMO_ACCOUNTS:
            user = demo_account(role, username, *rest)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            self.stdout.write(f"demo login: {role} {username} {password} ({_second_factor(user)})")
