"""The one thing the site must not start without: a SECRET_KEY of its own when DEBUG is off."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING = "SECRET_KEY must be set when DEBUG is off (see .env.example)"


def require_secret_key():
    """Called by wsgi.py and asgi.py: a server signing sessions with a key that changes on every
    restart (and differs between workers) would log everyone out at random."""
    if settings.SECRET_KEY_IS_EPHEMERAL and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING)


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
