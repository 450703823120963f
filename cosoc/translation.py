from modeltranslation.translator import TranslationOptions, register

from cosoc import models


@register(models.Council)
class CouncilTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("es",)


@register(models.Term)
class TermTranslation(TranslationOptions):
    fields = ("legal_basis", "selection_method")


@register(models.Session)
class SessionTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("es",)


@register(models.AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description", "expected_decision")
    required_languages = ("es",)


@register(models.AgendaDocument)
class AgendaDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("es",)


@register(models.Minutes)
class MinutesTranslation(TranslationOptions):
    fields = ("body", "correction_note")


@register(models.Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)


@register(models.AgreementProgress)
class AgreementProgressTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)
