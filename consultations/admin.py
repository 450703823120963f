from django.contrib import admin, messages
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline

from consultations import services
from consultations.models import (
    TEXT_KINDS,
    Answer,
    Commitment,
    Consultation,
    ConsultationDocument,
    ConsultationPlan,
    Dialogue,
    DialogueAttendance,
    DialogueOptionCount,
    DialogueSynthesis,
    InstitutionalResponse,
    ModerationStatus,
    Option,
    ProposalCall,
    Question,
    Response,
    Section,
    TopicProposal,
)
from consultations.receivers import results_changed
from engine import search


class DocumentInline(TranslationTabularInline):
    model = ConsultationDocument
    extra = 0


class SectionInline(TranslationTabularInline):
    model = Section
    extra = 0
    fields = ["order", "title", "edit_link"]
    readonly_fields = ["edit_link"]

    @admin.display(description=_("preguntas"))
    def edit_link(self, obj: Section) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:consultations_section_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Editar preguntas"))


class CommitmentInline(TranslationStackedInline):
    model = Commitment
    extra = 0
    fields = ["order", "text", "responsible_unit", "due_date", "status", "status_note"]


class InstitutionalResponseInline(TranslationStackedInline):
    model = InstitutionalResponse
    extra = 0
    max_num = 1


@admin.register(Consultation)
class ConsultationAdmin(TabbedTranslationAdmin):
    list_display = [
        "title",
        "modality",
        "opens_at",
        "closes_at",
        "phase_label",
        "is_published",
        "response_count",
    ]
    list_filter = ["is_published", "modality", "scope", "topic"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_es"]}
    list_select_related = ["topic"]
    date_hierarchy = "opens_at"
    inlines = [SectionInline, DocumentInline, InstitutionalResponseInline, CommitmentInline]
    actions = ["clone", "publish"]
    readonly_fields = ["citizen_links"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "plan", "citizen_links"]}),
        (_("Minuta de posición"), {"fields": ["rationale", "technical_background", "expected_results"]}),
        (_("Modalidad y alcance"), {"fields": ["modality", "scope", "regions", "allow_anonymous"]}),
        (
            _("Fases"),
            {
                "fields": [
                    "announced_at",
                    "opens_at",
                    "closes_at",
                    "results_published_at",
                    "response_published_at",
                    "phase_override",
                    "is_published",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(_responses=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED)))
        )

    @admin.display(description=_("respuestas"), ordering="_responses")
    def response_count(self, obj: Consultation) -> int:
        return obj._responses

    @admin.display(description=_("fase"))
    def phase_label(self, obj: Consultation) -> str:
        return obj.get_phase_display()

    @admin.display(description=_("Vista ciudadana"))
    def citizen_links(self, obj: Consultation) -> str:
        if not obj.pk:
            return "—"
        preview = reverse("consultations:answer", kwargs={"slug": obj.slug, "step": 1}) + "?vista_previa=1"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            preview,
            _("Vista previa del cuestionario"),
            reverse("consultations:assisted", kwargs={"slug": obj.slug}),
            _("Registrar respuesta asistida"),
            reverse("consultations:results", kwargs={"slug": obj.slug}),
            _("Resultados"),
        )

    @admin.action(description=_("Clonar como borrador nuevo"), permissions=["add"])
    def clone(self, request: HttpRequest, queryset: QuerySet[Consultation]):
        clones = [services.consultation_clone(consultation=c, by=request.user) for c in queryset]
        self.message_user(request, _("Consultas clonadas: %(n)d") % {"n": len(clones)}, messages.SUCCESS)
        if len(clones) == 1:
            return redirect("admin:consultations_consultation_change", clones[0].pk)
        return None

    @admin.action(description=_("Publicar"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Consultation]) -> None:
        updated = queryset.update(is_published=True)
        for consultation in queryset:  # update() sends no signal: the search index learns it here
            search.reindex(consultation)
        self.message_user(request, _("Consultas publicadas: %(n)d") % {"n": updated}, messages.SUCCESS)


class QuestionInline(TranslationStackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "kind", "required", "allow_other"),
        "text",
        "help_text",
        "depends_on_option",
        "options_link",
    ]
    readonly_fields = ["options_link"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A condition may only point to an option of this consultation.
        if db_field.name == "depends_on_option":
            section_id = request.resolver_match.kwargs.get("object_id")
            section = Section.objects.filter(pk=section_id).first()
            queryset = Option.objects.none()
            if section is not None:
                queryset = Option.objects.filter(
                    question__section__consultation_id=section.consultation_id
                ).select_related("question")
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("opciones"))
    def options_link(self, obj: Question) -> str:
        if not obj.pk or obj.kind in TEXT_KINDS:
            return "—"
        url = reverse("admin:consultations_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Editar opciones"))


@admin.register(Section)
class SectionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "consultation", "order"]
    list_filter = ["consultation"]
    list_select_related = ["consultation"]
    inlines = [QuestionInline]


class OptionInline(TranslationTabularInline):
    model = Option
    extra = 2
    fields = ["order", "text"]


@admin.register(Question)
class QuestionAdmin(TabbedTranslationAdmin):
    list_display = ["text", "section", "kind", "required", "order"]
    list_filter = ["kind", "section__consultation"]
    list_select_related = ["section__consultation"]
    search_fields = ["text"]
    inlines = [OptionInline]
    raw_id_fields = ["depends_on_option"]


class AttendanceInline(admin.TabularInline):
    model = DialogueAttendance
    extra = 3
    verbose_name_plural = _("Asistencia (use dato «total», categoría «todas» para el total de asistentes)")


def _dialogue_being_edited(request: HttpRequest) -> Dialogue | None:
    return Dialogue.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()


class OptionCountInline(admin.TabularInline):
    model = DialogueOptionCount
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "option":
            dialogue = _dialogue_being_edited(request)
            kwargs["queryset"] = Option.objects.filter(
                question__section__consultation_id=dialogue.consultation_id if dialogue else None
            ).select_related("question")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SynthesisInline(TranslationStackedInline):
    model = DialogueSynthesis
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            dialogue = _dialogue_being_edited(request)
            kwargs["queryset"] = Question.objects.filter(
                section__consultation_id=dialogue.consultation_id if dialogue else None,
                kind__in=TEXT_KINDS,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Dialogue)
class DialogueAdmin(TabbedTranslationAdmin):
    list_display = ["title", "consultation", "starts_at", "region", "commune"]
    list_filter = ["region", "consultation"]
    list_select_related = ["consultation"]
    filter_horizontal = ["attendees"]
    inlines = [AttendanceInline, OptionCountInline, SynthesisInline]

    def get_inlines(self, request: HttpRequest, obj=None):
        # Counts and syntheses refer to the consultation's own questions: entered once the dialogue is saved.
        return self.inlines if obj is not None else [AttendanceInline]

    fields = [
        "consultation",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "address",
        "region",
        "commune",
        "facilitators",
        "attendees",
    ]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["consultation", "channel", "status", "submitted_at", "recorded_by"]
    list_filter = ["status", "channel", "consultation"]
    list_select_related = ["consultation", "recorded_by"]
    readonly_fields = ["consultation", "participant", "channel", "status", "recorded_by", "submitted_at"]
    exclude = ["email_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Answer)
class AnswerModerationAdmin(admin.ModelAdmin):
    """Open-text answers are published only after moderation, with personal data removed."""

    list_display = ["question", "text", "published_text", "moderation"]
    list_editable = ["published_text", "moderation"]
    list_filter = ["moderation", "question__section__consultation"]
    list_select_related = ["question"]
    search_fields = ["text"]
    fields = ["question", "text", "published_text", "moderation"]
    readonly_fields = ["question", "text"]
    actions = ["approve_as_is", "hide"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(
                question__kind__in=TEXT_KINDS,
                response__status=Response.Status.SUBMITTED,
            )
            .exclude(text="")
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("consultations.moderate_answers")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("consultations.moderate_answers")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("consultations.moderate_answers")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Aprobar (el texto no tiene datos personales)"))
    def approve_as_is(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        queryset.filter(published_text="").update(published_text=F("text"))
        queryset.update(moderation=ModerationStatus.APPROVED)
        _published_texts_changed(queryset)

    @admin.action(description=_("Ocultar"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        queryset.update(moderation=ModerationStatus.HIDDEN)
        _published_texts_changed(queryset)


def _published_texts_changed(answers: QuerySet[Answer]) -> None:
    """``QuerySet.update`` sends no signal: the public results show moderated texts, compute them again."""
    results_changed(pk__in=answers.values("response__consultation_id"))


@admin.register(ConsultationPlan)
class ConsultationPlanAdmin(TabbedTranslationAdmin):
    list_display = ["year", "title", "published_at"]


@admin.register(ProposalCall)
class ProposalCallAdmin(TabbedTranslationAdmin):
    list_display = ["title", "opens_at", "closes_at", "is_published"]


@admin.register(TopicProposal)
class TopicProposalAdmin(TabbedTranslationAdmin):
    list_display = ["title", "call", "status", "created_at", "decision_published_at"]
    list_filter = ["status", "call"]
    list_select_related = ["call"]
    readonly_fields = ["call", "participant", "title", "description", "created_at"]
    fields = [
        "call",
        "participant",
        "title",
        "description",
        "created_at",
        "status",
        "cosoc_opinion",
        "decision",
        "decision_published_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
