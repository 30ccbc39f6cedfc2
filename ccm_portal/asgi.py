"""
ASGI config for ccm_portal project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

from ccm_portal.checks import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")

application = get_asgi_application()

# Serving (gunicorn, runserver) needs a SECRET_KEY of its own when DEBUG is off.
require_secret_key()
