"""
WSGI config for ccm_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from ccm_portal.checks import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm_portal.settings")

application = get_wsgi_application()

# Serving (gunicorn, runserver) needs a SECRET_KEY of its own when DEBUG is off.
require_secret_key()
