from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and minutes"

    def ready(self):
        from meetings import checks  # noqa: F401  (registers the signing checks)
        from meetings.roles import ensure_roles

        # After this app's migrations, once Django has made the permissions the groups hold.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="meetings.ensure_roles")
