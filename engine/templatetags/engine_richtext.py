"""{% load engine_richtext %}{{ obj.body|rich_text }}: stored rich text, cleaned again with engine.richtext."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from engine.richtext import clean_html

register = template.Library()


@register.filter
def rich_text(html: str | None) -> SafeString:
    return mark_safe(clean_html(html))  # noqa: S308 - nh3 kept only engine.richtext's allow-list
