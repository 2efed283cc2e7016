"""The WSGI entry point for a production server (README, "Running the web platform")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placelab.web.settings")
application = get_wsgi_application()
