"""WSGI entry point, served by gunicorn: ``gunicorn geopolitics.wsgi``.

``runserver`` loads it too, so both refuse to start in production mode
(``DEBUG`` off) without a ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geopolitics.settings")


def require_production_settings():
    """Stop start-up with a clear message when production settings are missing."""
    if settings.DEBUG:
        return
    missing = []
    if not os.environ.get("SECRET_KEY", "").strip():
        missing.append(
            "SECRET_KEY is not set. Set it in the environment "
            "(or set DEBUG=true for local development)."
        )
    if not settings.ALLOWED_HOSTS:
        missing.append("ALLOWED_HOSTS is not set. Give the site's host names, separated by commas.")
    if missing:
        raise ImproperlyConfigured(" ".join(missing))


application = get_wsgi_application()
require_production_settings()
