"""Keep passwords, secrets, tokens in URLs and participant attributes out of the logs.

``RedactSensitiveFilter`` sits on the app log's handler (``settings.LOGGING``); gunicorn's access and error
logs use the same redaction through ``sermig_portal.gunicorn_conf``.
"""

import logging
import re
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from participants.attributes import ATTRIBUTE_NAMES

CREDENTIAL_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password1",
        "new_password2",
        "secret",
        "token",
        "authorization",
        "cookie",
        "sessionid",
        "csrfmiddlewaretoken",
    }
)
# Every participant attribute (participants.attributes), sensitive or not: together they identify a person.
SENSITIVE_KEYS = CREDENTIAL_KEYS | frozenset(ATTRIBUTE_NAMES)
REDACTED = "[redacted]"
_KEY_VALUE = re.compile(
    r"(?P<key>" + "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True)) + r")(?P<sep>['\"]?\s*[:=]\s*)"
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s,&;}]+)",
    re.IGNORECASE,
)

# URL path segments that are secrets: whoever has the URL may act with it. Paths are the same in every
# language (only a /ht/ or /en/ prefix changes). tests/security/test_secrets_in_logs.py checks that every
# route with a secret in its path is covered here.
SECRET_PATH_PREFIXES = (
    r"avisos/baja/",  # engine:unsubscribe: signed, never expires
    r"avisos/reportes/\d+/descargar/",  # engine:report-download
    r"cuenta/mis-datos/copia/",  # participants:export-detail, export-download, export-download-pdf
    r"consultas/[-\w]+/sin-cuenta/",  # consultations:anonymous-confirm: a one-time link
    r"cuenta-publica/\d+/sin-cuenta/",  # public_accounts:email-confirm: a one-time link
    r"cuenta/confirm-email/",  # allauth: email verification key
    r"cuenta/password/reset/key/",  # allauth: password reset key
)
_SECRET_PATH = re.compile(
    r"(?<![\w-])(?P<prefix>(?:" + "|".join(SECRET_PATH_PREFIXES) + r"))(?P<secret>[^/?#&\s\"'<>]+)"
)
# OpenID Connect callbacks (ClaveÚnica) carry a one-time code and the session's state in the query string
# (a whole URL, or the query string alone as in gunicorn's %(q)s).
_SECRET_QUERY = re.compile(r"(?P<prefix>(?:^|[?&])(?:code|state|token|key)=)(?P<secret>[^&#\s\"'<>]+)")

# Attributes every LogRecord has; anything else came in through ``extra=``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# What the JSON formatter writes as it is (dates in ISO format); anything else it writes as str().
_PLAIN_TYPES = (str, int, float, type(None), date, time)


def redact_text(text: str) -> str:
    # The separators first: gunicorn redacts every access-log line, and most strings hold none of them.
    if ":" in text or "=" in text:
        text = _KEY_VALUE.sub(lambda m: f"{m['key']}{m['sep']}{REDACTED}", text)
    if "/" in text:
        text = _SECRET_PATH.sub(lambda m: f"{m['prefix']}{REDACTED}", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda m: f"{m['prefix']}{REDACTED}", text)
    return text


def redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: REDACTED if str(k).lower() in SENSITIVE_KEYS else redact_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, _PLAIN_TYPES):
        return value
    # The JSON formatter would write str(value): e.g. Django's request, "<WSGIRequest: GET '/path/'>".
    return redact_text(str(value))


def _is_expected_client_error(record: logging.LogRecord) -> bool:
    """Django's warnings for a 4xx (not found, forbidden, bad request): the traceback only says where."""
    status = getattr(record, "status_code", None)
    return record.levelno < logging.ERROR and isinstance(status, int) and 400 <= status < 500


class RedactSensitiveFilter(logging.Filter):
    """Rewrites a record so no sensitive key's value, secret URL segment or 4xx traceback reaches a handler.

    The message is rendered first, so values passed as ``%s`` arguments are redacted too; a traceback that is
    kept (errors) is rendered and redacted as well.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        if _is_expected_client_error(record):
            record.exc_info = record.exc_text = record.stack_info = None
        elif record.exc_info:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        for key in list(vars(record)):
            if key in _RECORD_ATTRS:
                continue
            if key.lower() in SENSITIVE_KEYS:
                setattr(record, key, REDACTED)
            else:
                setattr(record, key, redact_value(getattr(record, key)))
        return True
