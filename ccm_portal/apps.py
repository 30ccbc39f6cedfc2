from django.apps import AppConfig


class CcmPortalConfig(AppConfig):
    name = "ccm_portal"
    verbose_name = "CCM Portal"

    def ready(self):
        from ccm_portal import checks  # noqa: F401  (registers the system check)
