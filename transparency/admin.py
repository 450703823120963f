from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from engine.admin_helpers import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline
from transparency import services
from transparency.admin_forms import PublicationAdminForm
from transparency.models import Attachment, BudgetRow, Publication, PublicationVersion, SocialChannel, Status


class AttachmentInline(TranslatedStackedInline):
    model = Attachment
    extra = 0
    fields = [("order", "file"), "title", "description"]


class BudgetRowInline(TranslatedTabularInline):
    model = BudgetRow
    extra = 0
    fields = ["order", "program", "budget", "executed"]


class VersionInline(admin.TabularInline):
    """Versions are written by "Es un cambio sustantivo", never by hand: the history must be true."""

    model = PublicationVersion
    extra = 0
    fields = ["number", "published_on", "change_note", "link"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("ver"))
    def link(self, obj: PublicationVersion) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Ver esta versión"))


@admin.register(Publication)
class PublicationAdmin(TranslatedAdmin):
    form = PublicationAdminForm
    list_display = [
        "title",
        "type",
        "status",
        "published_on",
        "updated_on",
        "next_review_on",
        "languages_missing",
    ]
    list_filter = ["status", "type", "topics", "update_frequency"]
    search_fields = ["title", "slug", "responsible_unit"]
    prepopulated_fields = {"slug": ["title_es"]}
    date_hierarchy = "published_on"
    filter_horizontal = ["topics"]
    inlines = [AttachmentInline, BudgetRowInline, VersionInline]
    actions = ["publish", "archive"]
    readonly_fields = ["next_review_on", "site_links"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "type",
                    "title",
                    "slug",
                    "summary",
                    "body",
                    "responsible_unit",
                    "topics",
                    "site_links",
                ]
            },
        ),
        (
            _("Fechas y revisión"),
            {"fields": ["published_on", "updated_on", "update_frequency", "next_review_on"]},
        ),
        (
            _("Publicación"),
            {
                "fields": [
                    "status",
                    "publish_anyway",
                    "no_personal_data",
                    "substantive_change",
                    "change_note",
                    "change_note_ht",
                    "change_note_en",
                ]
            },
        ),
    ]

    @admin.display(description=_("Vista ciudadana"))
    def site_links(self, obj: Publication) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("Ver en el portal (el equipo ve también borradores)"),
            reverse("transparency:review"),
            _("Publicaciones por revisar"),
        )

    def save_model(
        self, request: HttpRequest, obj: Publication, form: PublicationAdminForm, change: bool
    ) -> None:
        # Publishing waits for the topics (saved with the related objects): the announcement goes to their
        # followers. Until then the row keeps the status it had.
        target = form.cleaned_data.get("status", obj.status)
        if target == Status.PUBLISHED and form.initial.get("status") != Status.PUBLISHED:
            obj.status = form.initial.get("status") or Status.DRAFT
        services.publication_save(publication=obj, by=request.user)

    def save_related(self, request: HttpRequest, form: PublicationAdminForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        publication = form.instance
        if form.cleaned_data.get("status") == Status.PUBLISHED and publication.status != Status.PUBLISHED:
            services.publication_publish(publication=publication, by=request.user)
        elif form.cleaned_data.get("substantive_change"):
            services.publication_update(
                publication=publication, change_note=form.change_notes(), by=request.user
            )
        services.publication_reindex(publication=publication)

    @admin.action(description=_("Publicar"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        published = [services.publication_publish(publication=p, by=request.user) for p in queryset]
        self.message_user(
            request, _("Publicaciones publicadas: %(n)d") % {"n": len(published)}, messages.SUCCESS
        )

    @admin.action(description=_("Archivar (sigue visible, marcada como no vigente)"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        archived = [
            services.publication_set_status(publication=p, status=Status.ARCHIVED, by=request.user)
            for p in queryset
        ]
        self.message_user(
            request, _("Publicaciones archivadas: %(n)d") % {"n": len(archived)}, messages.SUCCESS
        )


@admin.register(SocialChannel)
class SocialChannelAdmin(TranslatedAdmin):
    list_display = ["name", "url", "icon", "order", "is_active"]
    list_editable = ["order", "is_active"]
    fields = ["name", "url", "icon", "order", "is_active"]

    def save_model(self, request: HttpRequest, obj: SocialChannel, form, change: bool) -> None:
        services.social_channel_save(channel=obj)

    def delete_model(self, request: HttpRequest, obj: SocialChannel) -> None:
        services.social_channel_delete(channel=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SocialChannel]) -> None:
        for channel in queryset:
            services.social_channel_delete(channel=channel)
