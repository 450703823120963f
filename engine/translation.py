from modeltranslation.translator import TranslationOptions, register

from engine.models import ReferenceDistribution, Topic


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("es",)


@register(ReferenceDistribution)
class ReferenceDistributionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("es",)
