"""Gunicorn settings: ``gunicorn --config python:sermig_portal.gunicorn_conf sermig_portal.wsgi:application``.

Unsubscribe and download links carry their secret in the URL path, and gunicorn's access log writes the
request line, path, query and referer of every request. ``RedactingLogger`` writes them with those secrets
replaced by ``[redacted]`` (the same rules as the app log, ``sermig_portal.logging``), in the access log and
in gunicorn's own error log ("Error handling request /avisos/baja/…").
"""

import logging

from gunicorn.glogging import Logger, SafeAtoms

from sermig_portal.logging import RedactSensitiveFilter, redact_text

# Gunicorn's default (Apache combined) format: request line, status, size, referer, user agent.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'

_redact_error_log = RedactSensitiveFilter()


class RedactedAtoms(SafeAtoms):
    """Any atom the format asks for comes redacted: %(r)s, %(U)s, %(q)s, %(f)s, {raw_uri}e, {referer}i…
    Only those: the others (every header and environ entry) are never rendered, so never redacted."""

    def __getitem__(self, key: str):
        value = super().__getitem__(key)
        return redact_text(value) if isinstance(value, str) else value


class RedactingLogger(Logger):
    atoms_wrapper_class = RedactedAtoms

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # One filter instance: setup runs again on every reload, and addFilter ignores one already added.
        logging.getLogger("gunicorn.error").addFilter(_redact_error_log)


logger_class = RedactingLogger
