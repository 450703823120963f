from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from nested_admin.nested import NestedModelAdminMixin, NestedStackedInlineMixin, NestedTabularInline

from consultations import permissions, services
from consultations.admin_forms import (
    AttendanceForm,
    AttendanceFormSet,
    ConsultationAdminForm,
    OptionBuilderFormSet,
    OptionCountFormSet,
    QuestionBuilderForm,
    QuestionBuilderFormSet,
    consultation_gaps,
)
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
from engine.admin_helpers import (
    OTHER_LANGUAGES,
    AccessibleTabularInline,
    LabelledTabularMixin,
    LanguageLabelsMixin,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
    describe_gaps,
    language_name,
    missing_languages,
    untranslated_q,
)


class DocumentInline(TranslatedTabularInline):
    model = ConsultationDocument
    extra = 0


class SectionInline(TranslatedTabularInline):
    model = Section
    extra = 0
    fields = ["order", "title", "edit_link"]
    readonly_fields = ["edit_link"]

    @admin.display(description=_("preguntas"))
    def edit_link(self, obj: Section) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:consultations_section_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Editar preguntas y opciones"))


class CommitmentInline(TranslatedStackedInline):
    model = Commitment
    extra = 0
    fields = ["order", "text", "responsible_unit", "due_date", "status", "status_note"]


class InstitutionalResponseInline(TranslatedStackedInline):
    model = InstitutionalResponse
    extra = 0
    max_num = 1


def _untranslated_questionnaire(language: str) -> Exists:
    """Whether a section, question or option of the consultation lacks ``language`` (for the change list)."""
    return (
        Exists(Section.objects.filter(untranslated_q(Section, language), consultation=OuterRef("pk")))
        | Exists(
            Question.objects.filter(untranslated_q(Question, language), section__consultation=OuterRef("pk"))
        )
        | Exists(
            Option.objects.filter(
                untranslated_q(Option, language), question__section__consultation=OuterRef("pk")
            )
        )
    )


@admin.register(Consultation)
class ConsultationAdmin(TranslatedAdmin):
    form = ConsultationAdminForm
    list_display = [
        "title",
        "modality",
        "opens_at",
        "closes_at",
        "phase_label",
        "is_published",
        "languages_missing",
        "response_count",
    ]
    list_filter = ["is_published", "modality", "scope", "topic"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_es"]}
    list_select_related = ["topic"]
    date_hierarchy = "opens_at"
    inlines = [SectionInline, DocumentInline, InstitutionalResponseInline, CommitmentInline]
    actions = ["clone", "publish"]
    readonly_fields = ["citizen_links", "questionnaire_links"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "plan", "citizen_links"]}),
        (_("Minuta de posición"), {"fields": ["rationale", "technical_background", "expected_results"]}),
        (_("Modalidad y alcance"), {"fields": ["modality", "scope", "regions", "allow_anonymous"]}),
        (_("Cuestionario"), {"fields": ["questionnaire_links"]}),
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
                    "publish_anyway",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _responses=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED)),
                **{
                    f"_questionnaire_lacks_{code}": _untranslated_questionnaire(code)
                    for code in OTHER_LANGUAGES
                },
            )
        )

    @admin.display(description=_("respuestas"), ordering="_responses")
    def response_count(self, obj: Consultation) -> int:
        return obj._responses

    @admin.display(description=_("idiomas que faltan"))
    def languages_missing(self, obj: Consultation) -> str:
        missing = set(missing_languages(obj))
        missing |= {code for code in OTHER_LANGUAGES if getattr(obj, f"_questionnaire_lacks_{code}", False)}
        names = [language_name(code) for code in OTHER_LANGUAGES if code in missing]
        return ", ".join(names) if names else "—"

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

    @admin.display(description=_("Secciones"))
    def questionnaire_links(self, obj: Consultation) -> str:
        if not obj.pk:
            return _("Guarde la consulta para agregar secciones con sus preguntas.")
        url = reverse("admin:consultations_section_add") + "?" + urlencode({"consultation": obj.pk})
        return format_html(
            '<a class="addlink" href="{}">{}</a>', url, _("Agregar una sección con sus preguntas")
        )

    @admin.action(description=_("Clonar como borrador nuevo"), permissions=["add"])
    def clone(self, request: HttpRequest, queryset: QuerySet[Consultation]):
        clones = [services.consultation_clone(consultation=c, by=request.user) for c in queryset]
        self.message_user(request, _("Consultas clonadas: %(n)d") % {"n": len(clones)}, messages.SUCCESS)
        if len(clones) == 1:
            return redirect("admin:consultations_consultation_change", clones[0].pk)
        return None

    @admin.action(description=_("Publicar"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Consultation]):
        consultations = list(queryset)
        if request.POST.get("publish_anyway") != "yes":
            gaps = [(c, describe_gaps(g)) for c in consultations if (g := consultation_gaps(c))]
            if gaps:
                # Ask first: people reading in Kreyòl or English would meet Spanish-only text.
                return TemplateResponse(
                    request,
                    "admin/consultations/consultation/publish_confirmation.html",
                    {
                        **self.admin_site.each_context(request),
                        "opts": self.model._meta,
                        "title": _("Faltan traducciones"),
                        "gaps": gaps,
                        "consultations": consultations,
                        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    },
                )
        published = [services.consultation_publish(consultation=c, by=request.user) for c in consultations]
        self.message_user(request, _("Consultas publicadas: %(n)d") % {"n": len(published)}, messages.SUCCESS)
        return None


class OptionInline(LabelledTabularMixin, LanguageLabelsMixin, NestedTabularInline):
    # The three languages side by side (short texts): no tabs inside the question's tabs.
    model = Option
    formset = OptionBuilderFormSet
    extra = 0
    fields = ["order", "text_es", "text_ht", "text_en"]
    sortable_field_name = "order"


class QuestionInline(NestedStackedInlineMixin, TranslatedStackedInline):
    model = Question
    form = QuestionBuilderForm
    formset = QuestionBuilderFormSet
    extra = 0
    fields = [
        ("order", "kind", "required", "allow_other"),
        "text",
        "help_text",
        "depends_on_option",
    ]
    sortable_field_name = "order"
    inlines = [OptionInline]

    def get_formset(self, request: HttpRequest, obj: Section | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        consultation_id = obj.consultation_id if obj is not None and obj.consultation_id else None
        if consultation_id is None:
            posted = request.POST.get("consultation") or request.GET.get("consultation")
            consultation_id = int(posted) if posted and posted.isdigit() else None
        return type(formset.__name__, (formset,), {"consultation_id": consultation_id})


@admin.register(Section)
class SectionAdmin(NestedModelAdminMixin, TranslatedAdmin):
    """The questionnaire builder: a section's questions with their options and conditions, on one page."""

    list_display = ["title", "consultation", "order", "languages_missing"]
    list_filter = ["consultation"]
    list_select_related = ["consultation"]
    fields = ["consultation", "order", "title", "description", "preview_link"]
    readonly_fields = ["preview_link"]
    inlines = [QuestionInline]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        consultation = request.GET.get("consultation")
        if consultation and consultation.isdigit():
            last = (
                Section.objects.filter(consultation_id=consultation)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            initial["order"] = (last or 0) + 1
        return initial

    def _back_to_consultation(self, request: HttpRequest, obj: Section, response):
        # "Save" leads back to the consultation, where the next section is added.
        if "_save" in request.POST and self.has_change_permission(request, obj):
            return redirect("admin:consultations_consultation_change", obj.consultation_id)
        return response

    def response_add(self, request: HttpRequest, obj: Section, post_url_continue=None):
        return self._back_to_consultation(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request: HttpRequest, obj: Section):
        return self._back_to_consultation(request, obj, super().response_change(request, obj))

    @admin.display(description=_("Vista previa"))
    def preview_link(self, obj: Section) -> str:
        if not obj.pk:
            return _("Guarde la sección para verla como la verá la ciudadanía.")
        step = list(obj.consultation.sections.values_list("pk", flat=True)).index(obj.pk) + 1
        url = reverse("consultations:answer", kwargs={"slug": obj.consultation.slug, "step": step})
        return format_html(
            '<a href="{}?vista_previa=1" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a>',
            url,
            _("Ver esta sección como la ciudadanía (pestaña nueva)"),
            reverse("admin:consultations_consultation_change", args=[obj.consultation_id]),
            _("Volver a la consulta"),
        )


@admin.register(Question)
class QuestionAdmin(TranslatedAdmin):
    list_display = ["text", "section", "kind", "required", "order", "languages_missing"]
    list_filter = ["kind", "section__consultation"]
    list_select_related = ["section__consultation"]
    search_fields = ["text"]
    fields = ["section", "order", "kind", "required", "allow_other", "text", "help_text", "edit_link"]
    readonly_fields = ["edit_link"]

    @admin.display(description=_("Condición y opciones"))
    def edit_link(self, obj: Question) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:consultations_section_change", args=[obj.section_id])
        return format_html('<a href="{}">{}</a>', url, _("Se editan en la página de su sección"))


class DialogueChildInline(AccessibleTabularInline):
    """Rows that refer to the dialogue's consultation: their formset knows which one."""

    def get_formset(self, request: HttpRequest, obj: Dialogue | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"consultation_id": obj.consultation_id if obj else None})


class AttendanceInline(AccessibleTabularInline):
    model = DialogueAttendance
    form = AttendanceForm
    formset = AttendanceFormSet
    fields = ["pair", "count"]
    extra = 3
    verbose_name_plural = _("Asistencia: el total de asistentes y, si se registró, cuántas personas por dato")


class OptionCountInline(DialogueChildInline):
    model = DialogueOptionCount
    formset = OptionCountFormSet
    fields = ["option", "count"]
    extra = 0
    verbose_name_plural = _("Conteos por opción (pregunta → opción)")


class SynthesisInline(TranslatedStackedInline):
    model = DialogueSynthesis
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            dialogue = Dialogue.objects.filter(pk=request.resolver_match.kwargs.get("object_id")).first()
            kwargs["queryset"] = Question.objects.filter(
                section__consultation_id=dialogue.consultation_id if dialogue else None,
                kind__in=TEXT_KINDS,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Dialogue)
class DialogueAdmin(TranslatedAdmin):
    list_display = ["title", "consultation", "starts_at", "region", "commune"]
    list_filter = ["region", "consultation"]
    list_select_related = ["consultation"]
    autocomplete_fields = ["attendees"]
    inlines = [AttendanceInline, OptionCountInline, SynthesisInline]
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

    def get_inlines(self, request: HttpRequest, obj=None):
        # Counts and syntheses refer to the consultation's own questions: entered once the dialogue is saved.
        return self.inlines if obj is not None else [AttendanceInline]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["consultation", "channel", "paper_reference", "status", "submitted_at", "recorded_by"]
    list_filter = ["status", "channel", "consultation"]
    list_select_related = ["consultation", "recorded_by"]
    search_fields = ["paper_reference"]
    readonly_fields = [
        "consultation",
        "participant",
        "channel",
        "paper_reference",
        "status",
        "recorded_by",
        "submitted_at",
    ]
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
        return permissions.may_moderate(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.may_moderate(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.may_moderate(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Answer, form, change: bool) -> None:
        services.answer_moderate(
            answer=obj, moderation=obj.moderation, published_text=obj.published_text, by=request.user
        )

    @admin.action(description=_("Aprobar (el texto no tiene datos personales)"))
    def approve_as_is(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        services.answers_moderate(answers=queryset, moderation=ModerationStatus.APPROVED, by=request.user)

    @admin.action(description=_("Ocultar"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Answer]) -> None:
        services.answers_moderate(answers=queryset, moderation=ModerationStatus.HIDDEN, by=request.user)


@admin.register(ConsultationPlan)
class ConsultationPlanAdmin(TranslatedAdmin):
    list_display = ["year", "title", "published_at"]


@admin.register(ProposalCall)
class ProposalCallAdmin(TranslatedAdmin):
    list_display = ["title", "opens_at", "closes_at", "is_published"]


@admin.register(TopicProposal)
class TopicProposalAdmin(TranslatedAdmin):
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
