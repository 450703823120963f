"""Pages staff edit (engine.models.Page) in any template:

{% load engine_pages %}
{{ page.body|page_html }}     the body, with only the tags a page needs (nh3)
{% privacy_notice %}          the privacy notice's summary and a link to the whole notice (sign-up)
"""

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

from engine.models import Page

register = template.Library()

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "a", "strong", "em", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang"}}


@register.filter
def page_html(text: str) -> SafeString:
    """Cleaned each time it is shown: whatever reached the database (admin, a migration, a shell), only these
    tags and link addresses with http(s) or mailto survive."""
    return mark_safe(  # noqa: S308 - nh3 removed every other tag, attribute and scheme
        nh3.clean(
            text or "",
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


@register.inclusion_tag("engine/_privacy_notice.html")
def privacy_notice() -> dict:
    return {"page": Page.objects.filter(slug=Page.PRIVACY).first()}
