FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
 && DJANGO_SETTINGS_MODULE=sermig_portal.settings.dev python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SETTINGS_MODULE=sermig_portal.settings.dev python manage.py collectstatic --noinput -v0
RUN mkdir -p /app/media && useradd --create-home portal && chown -R portal /app
USER portal
EXPOSE 8000
# The configuration redacts tokens in URLs from gunicorn's access and error logs (sermig_portal/gunicorn_conf.py).
CMD ["gunicorn", "sermig_portal.wsgi:application", "--config", "python:sermig_portal.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
