"""Keep passwords, secrets and participant attributes out of the logs."""

import logging
import re
from collections.abc import Mapping
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
# Attributes every LogRecord has; anything else came in through ``extra=``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact_text(text: str) -> str:
    return _KEY_VALUE.sub(lambda m: f"{m['key']}{m['sep']}{REDACTED}", text)


def redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: REDACTED if str(k).lower() in SENSITIVE_KEYS else redact_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactSensitiveFilter(logging.Filter):
    """Rewrites a record so no sensitive key's value reaches a handler.

    The message is rendered first, so values passed as ``%s`` arguments are redacted too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact_text(message)
        record.args = None
        for key in list(vars(record)):
            if key in _RECORD_ATTRS:
                continue
            if key.lower() in SENSITIVE_KEYS:
                setattr(record, key, REDACTED)
            else:
                setattr(record, key, redact_value(getattr(record, key)))
        return True
