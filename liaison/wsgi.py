"""WSGI entry point for production servers (gunicorn liaison.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
application = get_wsgi_application()

# What was loaded at startup (Django, the apps, the URL and template machinery) lives as
# long as the process: kept out of the garbage collector's full passes, which would
# otherwise scan it again and again and add tens of milliseconds to the slowest requests.
gc.collect()
gc.freeze()
