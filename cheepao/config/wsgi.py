"""WSGI entry point for gunicorn: `gunicorn cheepao.config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cheepao.config.settings")

application = get_wsgi_application()
