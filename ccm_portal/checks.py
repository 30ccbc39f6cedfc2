"""What the site must not start without when DEBUG is off: a SECRET_KEY of its own and a SITE_URL."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING = "SECRET_KEY must be set when DEBUG is off (see .env.example)"
MISSING_SITE_URL = "SITE_URL must be set when DEBUG is off: emails, feeds and the sitemap are built on it"


def require_secret_key():
    """Called by wsgi.py and asgi.py: a server signing sessions with a key that changes on every
    restart (and differs between workers) would log everyone out at random."""
    if settings.SECRET_KEY_IS_EPHEMERAL and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING)
    if not settings.SITE_URL_IS_SET and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING_SITE_URL)


@checks.register(checks.Tags.security)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY_IS_EPHEMERAL and not settings.DEBUG:
        return [
            checks.Warning(
                "SECRET_KEY is not set: this command runs with a key random to this process, "
                "and the site will refuse to serve until it is set.",
                hint="Set SECRET_KEY in the environment (see .env.example).",
                id="ccm_portal.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if not settings.SITE_URL_IS_SET and not settings.DEBUG:
        return [
            checks.Warning(
                "SITE_URL is not set: emails, feeds and the sitemap would point at localhost, "
                "and the site will refuse to serve until it is set.",
                hint="Set SITE_URL to the public https:// address (see .env.example).",
                id="ccm_portal.W002",
            )
        ]
    return []
