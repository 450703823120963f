from modeltranslation.translator import TranslationOptions, register

from consultations import models


@register(models.ConsultationPlan)
class ConsultationPlanTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("es",)


@register(models.ProposalCall)
class ProposalCallTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("es",)


@register(models.TopicProposal)
class TopicProposalTranslation(TranslationOptions):
    fields = ("decision",)


@register(models.Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "summary", "rationale", "technical_background", "expected_results")
    required_languages = ("es",)


@register(models.ConsultationDocument)
class ConsultationDocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(models.Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("es",)


@register(models.Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text")
    required_languages = ("es",)


@register(models.Option)
class OptionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("es",)


@register(models.Dialogue)
class DialogueTranslation(TranslationOptions):
    fields = ("title",)


@register(models.DialogueSynthesis)
class DialogueSynthesisTranslation(TranslationOptions):
    fields = ("text",)


@register(models.InstitutionalResponse)
class InstitutionalResponseTranslation(TranslationOptions):
    fields = ("text",)


@register(models.Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("text", "status_note")
