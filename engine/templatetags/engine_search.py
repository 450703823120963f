import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from engine.search.text import START, STOP

register = template.Library()

_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


@register.filter
def highlighted(text: str) -> SafeString:
    """Escape the whole text first, then turn each pair of search markers into ``<mark>``: nothing of the
    stored or typed text is ever trusted as HTML."""
    escaped = _MARKED.sub(r"<mark>\1</mark>", escape(str(text or "")))
    return mark_safe(escaped.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped just above
