"""Gunicorn settings: ``gunicorn --config python:sermig_portal.gunicorn_conf sermig_portal.wsgi:application``.

Unsubscribe and download links carry their secret in the URL path, and gunicorn's access log writes the
request line, path, query and referer of every request. ``RedactingLogger`` writes them with those secrets
replaced by ``[redacted]`` (the same rules as the app log, ``sermig_portal.logging``), in the access log and
in gunicorn's own error log ("Error handling request /avisos/baja/…").
"""

import logging

from gunicorn.glogging import Logger

from sermig_portal.logging import RedactSensitiveFilter, redact_text

# Gunicorn's default (Apache combined) format: request line, status, size, referer, user agent.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

_redact_error_log = RedactSensitiveFilter()


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        # Every atom, so any access_log_format is safe: %(r)s, %(U)s, %(q)s, %(f)s, {raw_uri}e, {referer}i…
        return {
            key: redact_text(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # One filter instance: setup runs again on every reload, and addFilter ignores one already added.
        logging.getLogger("gunicorn.error").addFilter(_redact_error_log)


logger_class = RedactingLogger
