from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(value):
    """Pick the active language from {"es": …, "ht": …, "en": …}, falling back to Spanish; text as is.

    Notification context is JSON written when the event happens, before anyone knows who reads it: content
    titles travel in every language and each email takes the reader's.
    """
    if isinstance(value, dict):
        language = get_language() or settings.LANGUAGE_CODE
        for code in (language, language.split("-")[0], settings.LANGUAGE_CODE):
            if value.get(code):
                return value[code]
        return next((text for text in value.values() if text), "")
    return value
