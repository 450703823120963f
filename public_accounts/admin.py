"""Staff handle accounts and questions here; every write to a question goes through ``services`` and every
right is asked of ``permissions``."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from engine.admin_helpers import (
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
    number_column,
)
from public_accounts import permissions, services
from public_accounts.models import (
    AnswersDocument,
    AnswerState,
    Attachment,
    BudgetLine,
    Commitment,
    PresentationEvent,
    PublicAccount,
    Question,
    QuestionNote,
    Section,
    Status,
)


class SectionInline(TranslatedStackedInline):
    model = Section
    extra = 0
    fields = ["order", "title", "body"]


class BudgetLineInline(TranslatedTabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "program", "budget", "executed"]


class AttachmentInline(TranslatedTabularInline):
    model = Attachment
    extra = 0


class CommitmentInline(TranslatedStackedInline):
    model = Commitment
    extra = 0
    fields = ["order", "text", "responsible_unit", "status", "status_note"]


class EventInline(TranslatedStackedInline):
    model = PresentationEvent
    extra = 0


class AnswersDocumentInline(admin.TabularInline):
    model = AnswersDocument
    extra = 0
    fields = ["version", "published_at", "question_count", "file"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PublicAccount)
class PublicAccountAdmin(TranslatedAdmin):
    list_display = ["year", "title", "modality", "phase_label", "questions_close_at", "languages_missing"]
    search_fields = ["title", "year"]
    inlines = [
        SectionInline,
        BudgetLineInline,
        AttachmentInline,
        CommitmentInline,
        EventInline,
        AnswersDocumentInline,
    ]
    actions = ["publish_answers"]
    readonly_fields = ["staff_links", "answers_published_at"]
    fieldsets = [
        (None, {"fields": ["year", "period", "title", "summary", "modality", "staff_links"]}),
        (
            _("Fases (se mueven solas por sus fechas)"),
            {
                "fields": [
                    "cosoc_review_at",
                    "preview_at",
                    "published_at",
                    "presentation_at",
                    "questions_open_at",
                    "questions_close_at",
                    "answer_days",
                    "answers_published_at",
                    "observations_published_at",
                    "phase_override",
                ]
            },
        ),
        (_("Observaciones del COSOC"), {"fields": ["cosoc_observations", "cosoc_document", "cosoc_url"]}),
    ]

    @admin.display(description=_("fase"))
    def phase_label(self, obj: PublicAccount) -> str:
        return obj.get_phase_display()

    @admin.display(description=_("enlaces"))
    def staff_links(self, obj: PublicAccount) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("Ver la página"),
            reverse("public_accounts:in-person", kwargs={"year": obj.year}),
            _("Registrar preguntas presenciales"),
            reverse("admin:public_accounts_question_changelist") + f"?account__id__exact={obj.pk}",
            _("Preguntas"),
        )

    @admin.action(description=_("Publicar todas las respuestas aprobadas"))
    def publish_answers(self, request: HttpRequest, queryset: QuerySet[PublicAccount]) -> None:
        if not permissions.may_publish_answers(request.user):
            self.message_user(request, gettext("No tiene permiso para publicar respuestas."), messages.ERROR)
            return
        for account in queryset:
            try:
                document = services.answers_publish_all(account=account, by=request.user)
            except services.NothingToPublish:
                self.message_user(
                    request,
                    gettext("%(account)s: no hay respuestas aprobadas por publicar.") % {"account": account},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(account)s: respuestas publicadas; documento versión %(version)s.")
                    % {"account": account, "version": document.version},
                    messages.SUCCESS,
                )


TRANSLATED = {"answer", "rejection_reason"}


def _expanded(names: list[str]) -> list[str]:
    """Translated fields as their per-language fields (Spanish first), as modeltranslation's admin shows them."""
    out: list[str] = []
    for name in names:
        out += [f"{name}_{code}" for code, _label in settings.LANGUAGES] if name in TRANSLATED else [name]
    return out


class OverdueFilter(admin.SimpleListFilter):
    title = _("plazo")
    parameter_name = "plazo"

    def lookups(self, request, model_admin):
        return [("vencido", _("Vencido")), ("pronto", _("Vence en 3 días"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "vencido":
            return queryset.overdue(today)
        if self.value() == "pronto":
            return queryset.unanswered().filter(
                due_date__gte=today,
                due_date__lte=today + timedelta(days=settings.PUBLIC_ACCOUNT_REMINDER_DAYS),
            )
        return queryset


class QuestionNoteInline(admin.TabularInline):
    model = QuestionNote
    extra = 0
    fields = ["created_at", "author", "text"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class QuestionAdminForm(forms.ModelForm):
    approve = forms.BooleanField(
        label=_("Aprobar la respuesta"),
        required=False,
        help_text=_("Queda lista para «Publicar todas las respuestas aprobadas»."),
    )
    new_note = forms.CharField(
        label=_("Nueva nota interna"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Question
        fields = _expanded(["status", "merged_into", "rejection_reason", "unit", "due_date", "answer"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            "rejection_reason_es" in self.fields
            and cleaned.get("status") == Status.REJECTED
            and not (cleaned.get("rejection_reason_es") or "").strip()
        ):
            self.add_error("rejection_reason_es", _("Escriba el motivo del rechazo: la persona lo leerá."))
        if (
            cleaned.get("approve")
            and "answer_es" in self.fields
            and not (cleaned.get("answer_es") or "").strip()
            or cleaned.get("approve")
            and "answer_es" not in self.fields
            and not (self.instance.answer_es or "").strip()
        ):
            self.add_error("approve", _("Escriba la respuesta en español antes de aprobarla."))
        return cleaned

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "merged_into" in self.fields and self.instance.pk:
            self.fields["merged_into"].queryset = Question.objects.filter(
                account_id=self.instance.account_id, status=Status.ACCEPTED
            ).exclude(pk=self.instance.pk)
        if "unit" in self.fields:
            self.fields["unit"].queryset = Group.objects.order_by("name")


@admin.register(Question)
class QuestionAdmin(TranslatedAdmin):
    form = QuestionAdminForm
    list_display = [
        number_column(),
        "short_text",
        "account_year",
        "about",
        "channel",
        "status",
        "answer_state",
        "unit",
        "due_date",
        "age",
        "overdue",
    ]
    list_filter = ["status", "answer_state", "unit", "section", "channel", OverdueFilter, "account"]
    list_select_related = ["account", "section", "unit"]
    search_fields = ["text"]
    inlines = [QuestionNoteInline]
    actions = ["accept"]
    context_fields = [
        "account",
        "kind",
        "about",
        "text",
        "language",
        "channel",
        "created_at",
        "contact",
        "answer_state",
        "approved_by",
        "answered_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return permissions.questions_handled_by(request.user).select_related("account", "section", "unit")

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None):
        answer = ["answer"]
        if (
            obj is not None
            and permissions.may_approve(request.user)
            and obj.answer_state != AnswerState.PUBLISHED
        ):
            answer.append("approve")
        # The answer sits right after the question, its section and the asker's language.
        return [
            (_("La pregunta"), {"fields": self.context_fields}),
            (_("Respuesta"), {"fields": _expanded(answer)}),
            (_("Moderación"), {"fields": _expanded(["status", "merged_into", "rejection_reason"])}),
            (_("Asignación"), {"fields": ["unit", "due_date"]}),
            (_("Notas internas"), {"fields": ["new_note"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None):
        readonly = list(self.context_fields)
        if not permissions.may_moderate(request.user):
            readonly += ["status", "merged_into", "rejection_reason", "unit", "due_date"]
        if obj is None or not permissions.may_answer(request.user, obj):
            readonly += ["answer"]
        return _expanded(readonly)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # in-person questions are typed in on the account's "in person" page

    def has_delete_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        if obj is None:
            return permissions.may_work_on_questions(request.user)
        return permissions.may_handle_question(request.user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Question | None = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @admin.display(description=_("texto"))
    def short_text(self, obj: Question) -> str:
        return obj.text[:80]

    @admin.display(description=_("año"), ordering="account__year")
    def account_year(self, obj: Question) -> int:
        return obj.account.year

    @admin.display(description=_("sobre"))
    def about(self, obj: Question) -> str:
        return obj.about

    @admin.display(description=_("antigüedad (días)"), ordering="created_at")
    def age(self, obj: Question) -> int:
        return (timezone.now() - obj.created_at).days

    @admin.display(description=_("vencida"), boolean=True)
    def overdue(self, obj: Question) -> bool:
        return obj.is_overdue()

    @admin.action(description=_("Aceptar las preguntas elegidas"))
    def accept(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        if not permissions.may_moderate(request.user):
            self.message_user(request, gettext("No tiene permiso para moderar."), messages.ERROR)
            return
        accepted = 0
        for question in queryset.filter(status=Status.PENDING).select_related("account"):
            services.question_moderate(question=question, status=Status.ACCEPTED, by=request.user)
            accepted += 1
        self.message_user(request, gettext("Preguntas aceptadas: %(n)d") % {"n": accepted}, messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Question, form: forms.ModelForm, change: bool) -> None:
        """Each part of the form is one service call; the form's instance is rebuilt from the database so
        nothing reaches it except through them."""
        data = form.cleaned_data
        question = Question.objects.select_related("account", "participant").get(pk=obj.pk)
        changed = set(form.changed_data)
        if changed & {
            "status",
            "merged_into",
            "rejection_reason",
            "rejection_reason_es",
        } and permissions.may_moderate(request.user):
            services.question_moderate(
                question=question,
                status=data["status"],
                merged_into=data.get("merged_into"),
                reason=data.get("rejection_reason_es") or data.get("rejection_reason") or "",
                by=request.user,
            )
        if changed & {"unit", "due_date"} and permissions.may_moderate(request.user):
            services.question_assign(
                question=question, unit=data.get("unit"), due_date=data.get("due_date"), by=request.user
            )
        answer_fields = {f"answer_{code}" for code, _name in settings.LANGUAGES}
        if changed & answer_fields and permissions.may_answer(request.user, question):
            services.answer_draft(
                question=question,
                answers={field.removeprefix("answer_"): data.get(field) or "" for field in answer_fields},
                by=request.user,
            )
        if data.get("approve") and permissions.may_approve(request.user):
            services.answer_approve(question=question, by=request.user)
        if (data.get("new_note") or "").strip():
            services.note_add(question=question, author=request.user, text=data["new_note"])
