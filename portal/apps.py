from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Public portal"

    def ready(self):
        from meetings import calendar, workflow
        from portal import caching

        # Publishing changes what public pages show: this process forgets its stamp at once.
        workflow.minutes_published.connect(caching.on_minutes_published, dispatch_uid="portal.forget_stamp")
        # So does announcing, postponing or cancelling a meeting, or changing its provisional agenda.
        calendar.announcement_changed.connect(caching.on_minutes_published, dispatch_uid="portal.forget_stamp_ann")
