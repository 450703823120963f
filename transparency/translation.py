from modeltranslation.translator import TranslationOptions, register

from transparency import models


@register(models.Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "responsible_unit")
    required_languages = ("es",)


@register(models.PublicationVersion)
class PublicationVersionTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "change_note")
    required_languages = ("es",)


@register(models.Attachment)
class AttachmentTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("es",)


@register(models.BudgetRow)
class BudgetRowTranslation(TranslationOptions):
    fields = ("program",)
    required_languages = ("es",)


@register(models.SocialChannel)
class SocialChannelTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("es",)
