from modeltranslation.translator import TranslationOptions, register

from engine.models import Topic


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("es",)
