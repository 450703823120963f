import os

from celery import Celery

# Imported first by every entry point (the package's __init__): production unless told otherwise, so that
# gunicorn and the Celery worker never run on development settings by accident. manage.py sets dev first.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sermig_portal.settings.production")

app = Celery("sermig_portal")
# Every Celery setting lives in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
