"""The message an admin action leaves: how many rows it changed, in the staff member's language.

Every app's admin uses it (``participants/admin.py``, ``engine/admin.py``)::

    WITHDRAWN = ngettext_lazy("%(count)d consentimiento retirado.", "%(count)d consentimientos retirados.", "count")
    message_count(self, request, WITHDRAWN, count)
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest


def message_count(model_admin: admin.ModelAdmin, request: HttpRequest, message: Any, count: int) -> None:
    """``message``: an ``ngettext_lazy(singular, plural, "count")``; the count picks the plural form."""
    model_admin.message_user(request, message % {"count": count}, messages.SUCCESS)
