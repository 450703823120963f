from modeltranslation.translator import TranslationOptions, register

from public_accounts import models


@register(models.PublicAccount)
class PublicAccountTranslation(TranslationOptions):
    fields = ("title", "period", "summary", "cosoc_observations")
    required_languages = ("es",)


@register(models.PresentationEvent)
class PresentationEventTranslation(TranslationOptions):
    fields = ("title", "place")
    required_languages = ("es",)


@register(models.Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("es",)


@register(models.BudgetLine)
class BudgetLineTranslation(TranslationOptions):
    fields = ("program",)
    required_languages = ("es",)


@register(models.Attachment)
class AttachmentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("es",)


@register(models.Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("text", "status_note")
    required_languages = ("es",)


@register(models.Question)
class QuestionTranslation(TranslationOptions):
    # The answer in the asker's language and Spanish at least; the rest falls back to Spanish.
    fields = ("answer", "rejection_reason")
