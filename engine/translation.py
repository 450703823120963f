from modeltranslation.translator import TranslationOptions, register

from engine.models import Page, ReferenceDistribution, Topic


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("es",)


@register(ReferenceDistribution)
class ReferenceDistributionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("es",)


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("es",)
