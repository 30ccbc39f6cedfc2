from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Public portal"

    def ready(self):
        from meetings import workflow
        from portal import caching

        # Publishing changes what public pages show: this process forgets its stamp at once.
        workflow.minutes_published.connect(caching.on_minutes_published, dispatch_uid="portal.forget_stamp")
