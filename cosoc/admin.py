"""The executive secretary's admin: sessions with agenda, invited people and attendance on one page, observations
per item, minutes and agreements. Every state change and every write with a rule goes through ``services``;
a refusal is shown as the service words it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from cosoc import permissions, selectors, services
from cosoc.models import (
    AgendaDocument,
    AgendaItem,
    Agreement,
    AgreementProgress,
    AgreementStatus,
    Attendance,
    Council,
    InvitedParticipant,
    Membership,
    Minutes,
    MinutesStatus,
    Observation,
    Session,
    Term,
)
from engine.admin_helpers import (
    AccessibleAdmin,
    AccessibleTabularInline,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
)
from engine.admin_messages import message_count

AGREEMENTS_CHANGED = ngettext_lazy(
    "%(count)d acuerdo actualizado.", "%(count)d acuerdos actualizados.", "count"
)


def _refused(model_admin: admin.ModelAdmin, request: HttpRequest, refusal: services.Refused) -> None:
    model_admin.message_user(request, str(refusal), messages.ERROR)


@admin.register(Council)
class CouncilAdmin(TranslatedAdmin):
    list_display = ["name", "seats", "quorum_number", "quorum_numerator", "quorum_denominator"]


@admin.register(Term)
class TermAdmin(TranslatedAdmin):
    list_display = ["__str__", "council", "start", "end"]
    list_select_related = ["council"]


@admin.register(Membership)
class MembershipAdmin(AccessibleAdmin):
    """New seats and their end go through services (the members' group, and its second factor, follow)."""

    list_display = ["public_name", "organization", "category", "role", "term", "start", "end"]
    list_filter = ["term", "role", "category"]
    list_select_related = ["organization", "term"]
    search_fields = ["public_name", "user__email", "organization__legal_name"]
    autocomplete_fields = ["user", "organization", "substitute_for"]
    readonly_fields = ["category"]
    fields = [
        "term",
        "user",
        "public_name",
        "organization",
        "category",
        "role",
        "start",
        "end",
        "reason_for_leaving",
        "substitute_for",
        "published_gender",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A seat's term, person and organisation are its identity; a different one is a new seat.
        return ["category", "term", "user", "organization", "start"] if obj else ["category"]

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        if not change:
            created = services.membership_create(
                term=obj.term,
                user=obj.user,
                organization=obj.organization,
                role=obj.role,
                start=obj.start,
                public_name=obj.public_name,
                published_gender=obj.published_gender,
                substitute_for=obj.substitute_for,
            )
            obj.pk = created.pk
            return
        ending = "end" in form.changed_data and obj.end is not None
        end, reason = obj.end, obj.reason_for_leaving
        if ending:
            obj.end = None
        services.membership_save(membership=obj)
        if ending:
            services.membership_end(membership=obj, end=end, reason=reason)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A past seat is part of the public record: it ends, it is not deleted.
        return False


class AgendaItemInline(TranslatedStackedInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "description", "presenter", "expected_decision", "documents_and_observations"]
    readonly_fields = ["documents_and_observations"]

    @admin.display(description=_("documentos y observaciones"))
    def documents_and_observations(self, obj: AgendaItem) -> str:
        if not obj.pk:
            return "—"
        url = reverse("admin:cosoc_agendaitem_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Documentos del punto y observaciones del consejo"))


class InvitedParticipantInline(AccessibleTabularInline):
    model = InvitedParticipant
    extra = 0
    fields = ["name", "institution", "present"]


class AttendanceInline(AccessibleTabularInline):
    model = Attendance
    extra = 0
    fields = ["membership", "status"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "membership":
            session_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            queryset = Membership.objects.select_related("organization")
            if session_id and str(session_id).isdigit():
                session = Session.objects.filter(pk=session_id).first()
                if session is not None:
                    queryset = queryset.filter(term_id=session.term_id).sitting_on(session.date)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Session)
class SessionAdmin(TranslatedAdmin):
    list_display = ["title", "date", "status", "kind", "modality", "item_count", "languages_missing"]
    list_filter = ["status", "kind", "modality", "term"]
    list_select_related = ["term"]
    search_fields = ["title"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline, InvitedParticipantInline, AttendanceInline]
    actions = ["publish_agenda", "mark_held"]
    readonly_fields = ["status", "agenda_published_at", "agenda_changed_at", "quorum", "links"]
    fieldsets = [
        (None, {"fields": ["term", "title", "kind", "modality", "links"]}),
        (
            _("Fecha y lugar"),
            {"fields": ["date", "starts_at", "ends_at", "place", "online_link", "recording_url"]},
        ),
        (_("Estado"), {"fields": ["status", "agenda_published_at", "agenda_changed_at", "quorum"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("puntos"), ordering="item_count")
    def item_count(self, obj: Session) -> int:
        return obj.item_count  # type: ignore[attr-defined]

    @admin.display(description=_("quórum"))
    def quorum(self, obj: Session) -> str:
        if not obj.pk:
            return "—"
        quorum = selectors.session_quorum(obj)
        text = _("%(present)s presentes de %(required)s necesarios (%(sitting)s en ejercicio)") % {
            "present": quorum.present,
            "required": quorum.required,
            "sitting": quorum.sitting,
        }
        if quorum.is_met:
            return text
        return format_html("<strong>{}</strong> {}", _("Sin quórum:"), text)

    @admin.display(description=_("en el portal"))
    def links(self, obj: Session) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("Página pública"),
            obj.get_review_url(),
            _("Área de revisión del consejo"),
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        agenda_changed = any(formset.model in (AgendaItem,) and formset.has_changed() for formset in formsets)
        super().save_related(request, form, formsets, change)
        if agenda_changed:
            services.session_agenda_changed(session=form.instance)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Attendance:
            return super().save_formset(request, form, formset, change)
        # Attendance through the service: a member of another term, or not sitting that day, is refused.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                row.instance.delete()
        for row in formset.forms:
            if (
                row in formset.deleted_forms
                or not row.has_changed()
                or not row.cleaned_data.get("membership")
            ):
                continue
            try:
                services.attendance_record(
                    session=form.instance,
                    membership=row.cleaned_data["membership"],
                    status=row.cleaned_data["status"],
                )
            except services.Refused as refusal:
                _refused(self, request, refusal)
        return None

    @admin.action(description=_("Publicar la tabla y avisar al consejo"), permissions=["manage_status"])
    def publish_agenda(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        done = 0
        for session in queryset:
            try:
                services.session_publish_agenda(session=session)
                done += 1
            except services.Refused as refusal:
                _refused(self, request, refusal)
        if done:
            message_count(
                self,
                request,
                ngettext_lazy("%(count)d tabla publicada.", "%(count)d tablas publicadas.", "count"),
                done,
            )

    @admin.action(description=_("Marcar como realizada"), permissions=["manage_status"])
    def mark_held(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        done = 0
        for session in queryset:
            try:
                services.session_mark_held(session=session)
                done += 1
            except services.Refused as refusal:
                _refused(self, request, refusal)
        if done:
            message_count(
                self,
                request,
                ngettext_lazy(
                    "%(count)d sesión marcada como realizada.",
                    "%(count)d sesiones marcadas como realizadas.",
                    "count",
                ),
                done,
            )

    def has_manage_status_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("cosoc.manage_session_status")


class AgendaDocumentInline(TranslatedTabularInline):
    model = AgendaDocument
    extra = 0
    fields = ["title", "file", "visibility"]


class ObservationInline(admin.TabularInline):
    """The members' observations on this item, read only: they are their authors' words."""

    model = Observation
    fk_name = "item"
    extra = 0
    can_delete = False
    fields = ["author_name", "created_at", "text", "parent"]
    readonly_fields = fields
    verbose_name_plural = _("observaciones del consejo")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslatedAdmin):
    list_display = ["__str__", "session", "observation_count"]
    list_select_related = ["session"]
    list_filter = ["session__status"]
    search_fields = ["title", "session__title"]
    inlines = [AgendaDocumentInline, ObservationInline]
    fields = ["session", "order", "title", "description", "presenter", "expected_decision"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(observations_total=Count("observations"))

    @admin.display(description=_("observaciones"), ordering="observations_total")
    def observation_count(self, obj: AgendaItem) -> int:
        return obj.observations_total  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.has_changed() or any(formset.has_changed() for formset in formsets):
            services.session_agenda_changed(session=form.instance.session)


@admin.register(Minutes)
class MinutesAdmin(TranslatedAdmin):
    """Drafts are written here; approved versions are read only (a correction is a new version)."""

    list_display = ["__str__", "status", "approved_at", "languages_missing"]
    list_filter = ["status"]
    list_select_related = ["session"]
    actions = ["share", "approve", "correct"]
    fields = [
        "session",
        "version",
        "status",
        "started_at",
        "ended_at",
        "executive_secretary",
        "body",
        "correction_note",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ["version", "status", "session"] if obj else ["version", "status"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Approved minutes open read only: a correction is a new version ("Crear una corrección").
        if obj is not None and obj.status == MinutesStatus.APPROVED:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "session":
            kwargs["queryset"] = Session.objects.filter(
                status__in=["held", "minutes_approved"]
            ).select_related("term")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Minutes, form, change: bool) -> None:
        services.minutes_save(minutes=obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and obj.status == MinutesStatus.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    def _each(self, request: HttpRequest, queryset, service, message) -> None:
        done = 0
        for minutes in queryset.select_related("session__term"):
            try:
                service(minutes=minutes)
                done += 1
            except services.Refused as refusal:
                _refused(self, request, refusal)
        if done:
            message_count(self, request, message, done)

    @admin.action(description=_("Compartir el borrador con el consejo"))
    def share(self, request: HttpRequest, queryset: QuerySet[Minutes]) -> None:
        self._each(
            request,
            queryset,
            services.minutes_share,
            ngettext_lazy("%(count)d borrador compartido.", "%(count)d borradores compartidos.", "count"),
        )

    @admin.action(description=_("Aprobar y publicar el acta"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Minutes]) -> None:
        self._each(
            request,
            queryset,
            services.minutes_approve,
            ngettext_lazy(
                "%(count)d acta aprobada y publicada.", "%(count)d actas aprobadas y publicadas.", "count"
            ),
        )

    @admin.action(description=_("Crear una corrección (nueva versión)"))
    def correct(self, request: HttpRequest, queryset: QuerySet[Minutes]) -> None:
        self._each(
            request,
            queryset,
            services.minutes_correct,
            ngettext_lazy("%(count)d corrección creada.", "%(count)d correcciones creadas.", "count"),
        )


class AgreementProgressInline(TranslatedTabularInline):
    model = AgreementProgress
    extra = 0
    fields = ["date", "text"]


@admin.register(Agreement)
class AgreementAdmin(TranslatedAdmin):
    list_display = ["__str__", "session", "responsible", "due_date", "status", "overdue"]
    list_filter = ["status", "session__term", "session"]
    list_select_related = ["session"]
    search_fields = ["text", "responsible"]
    inlines = [AgreementProgressInline]
    actions = ["set_pending", "set_in_progress", "set_done", "set_dropped"]
    fields = ["session", "item", "text", "responsible", "due_date", "status"]

    @admin.display(description=_("atrasado"), boolean=True)
    def overdue(self, obj: Agreement) -> bool:
        return obj.is_overdue_on(timezone.localdate())

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not AgreementProgress:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                row.instance.delete()
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            if row.instance.pk:
                row.save()
            else:
                services.agreement_progress_add(
                    agreement=form.instance, text=row.cleaned_data["text"], date=row.cleaned_data.get("date")
                )
        return None

    def _set(self, request: HttpRequest, queryset: QuerySet[Agreement], status: str) -> None:
        try:
            count = services.agreements_set_status(agreements=list(queryset), status=status)
        except services.Refused as refusal:
            _refused(self, request, refusal)
            return
        message_count(self, request, AGREEMENTS_CHANGED, count)

    @admin.action(description=_("Marcar como pendientes"))
    def set_pending(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set(request, queryset, AgreementStatus.PENDING)

    @admin.action(description=_("Marcar como en curso"))
    def set_in_progress(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set(request, queryset, AgreementStatus.IN_PROGRESS)

    @admin.action(description=_("Marcar como cumplidos"))
    def set_done(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set(request, queryset, AgreementStatus.DONE)

    @admin.action(description=_("Marcar como desestimados"))
    def set_dropped(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> None:
        self._set(request, queryset, AgreementStatus.DROPPED)


@admin.register(Observation)
class ObservationAdmin(AccessibleAdmin):
    """Read only: the secretary reads (and answers on the review page); nobody edits a member's words."""

    list_display = ["author_name", "session", "item", "created_at", "short_text"]
    list_filter = ["session"]
    list_select_related = ["session", "item"]
    search_fields = ["text", "author_name"]
    readonly_fields = ["session", "item", "minutes", "parent", "author_name", "text", "created_at"]
    exclude = ["author"]

    @admin.display(description=_("observación"))
    def short_text(self, obj: Observation) -> str:
        return obj.text[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.is_secretary(request.user) or super().has_view_permission(request, obj)
