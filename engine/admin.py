from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engine.admin_helpers import AccessibleTabularInline, TranslatedAdmin, number_column
from engine.admin_messages import message_count
from engine.models import (
    BouncedAddress,
    Notification,
    Page,
    ReferenceDistribution,
    ReferenceDistributionQuerySet,
    ReferenceShare,
    ReportFormat,
    ReportJob,
    ReportJobQuerySet,
    Subscription,
    Topic,
)
from engine.notifications import services as notification_services
from engine.reports import services as report_services
from engine.reports.builtin import PARTICIPANTS_PROFILE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

RETRIED = ngettext_lazy(
    "%(count)d notificación volverá a enviarse.", "%(count)d notificaciones volverán a enviarse.", "count"
)
REPORTS_STARTED = ngettext_lazy(
    "%(count)d reporte en preparación.", "%(count)d reportes en preparación.", "count"
)
REPORTS_PUBLISHED = ngettext_lazy("%(count)d reporte publicado.", "%(count)d reportes publicados.", "count")
REPORTS_WITHDRAWN = ngettext_lazy("%(count)d reporte retirado.", "%(count)d reportes retirados.", "count")


# What the changelists' querysets annotate, for the type checker.
class _Followers(TypedDict):
    follower_count: int


class _ShareTotals(TypedDict):
    share_count: int
    share_total: Decimal | None


class _FileSize(TypedDict):
    file_size: int | None


@admin.register(Topic)
class TopicAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "order", "is_active", "languages_missing", "follower_count"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_es"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(follower_count=Count("subscriptions"))

    @admin.display(description=_("seguidores"), ordering="follower_count")
    def follower_count(self, obj: WithAnnotations[Topic, _Followers]) -> int:
        return obj.follower_count


@admin.register(Page)
class PageAdmin(TranslatedAdmin):
    list_display = ["title", "slug", "updated_at", "languages_missing", "view_on_portal"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_es"]}

    @admin.display(description=_("en el portal"))
    def view_on_portal(self, obj: Page) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("ver"))


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "target", "frequency", "created_at"]
    list_filter = ["frequency", "mechanism", "topic"]
    list_select_related = ["user", "topic", "content_type"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("sigue"))
    def target(self, obj: Subscription) -> StrOrPromise:
        if obj.content_type_id:
            # No per-row lookup of the followed object: the list shows its type and number.
            return f"{cast(ContentType, obj.content_type).name} #{obj.object_id}"
        return obj.target_label


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        number_column(),
        "recipient",
        "kind",
        "mechanism",
        "delivery",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "delivery", "kind", "mechanism"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "kind"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    # Read-only: written by services, never edited here.
    fields = readonly_fields = (
        "recipient",
        "subscription",
        "kind",
        "mechanism",
        "delivery",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "digest",
        "context",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Notifications come from events, through notify(); never typed in.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("engine.change_notification")

    @admin.action(
        description=_("Reintentar ahora las notificaciones fallidas seleccionadas"), permissions=["retry"]
    )
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_services.notification_retry_now(notifications=queryset)
        message_count(self, request, RETRIED, count)


@admin.register(BouncedAddress)
class BouncedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "smtp_code", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]


class ReferenceShareFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        total = sum(
            form.cleaned_data.get("share") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if total > 100:
            raise ValidationError(
                _("Los porcentajes suman %(total)s: no pueden pasar de 100.") % {"total": total}
            )


class ReferenceShareInline(AccessibleTabularInline):
    model = ReferenceShare
    formset = ReferenceShareFormSet
    extra = 3


@admin.register(ReferenceDistribution)
class ReferenceDistributionAdmin(TranslatedAdmin):
    list_display = ["name", "year", "attribute", "source", "share_count", "share_total"]
    list_filter = ["attribute", "year"]
    search_fields = ["name", "source"]
    inlines = [ReferenceShareInline]
    actions = ["order_representativeness_report"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReferenceDistribution]:
        return cast(ReferenceDistributionQuerySet, super().get_queryset(request)).with_share_totals()

    @admin.display(description=_("categorías"), ordering="share_count")
    def share_count(self, obj: WithAnnotations[ReferenceDistribution, _ShareTotals]) -> int:
        return obj.share_count

    @admin.display(description=_("suma (%)"), ordering="share_total")
    def share_total(self, obj: WithAnnotations[ReferenceDistribution, _ShareTotals]) -> Decimal | None:
        return obj.share_total

    def has_order_report_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("engine.add_reportjob")

    @admin.action(
        description=_("Preparar un reporte de representatividad (PDF)"), permissions=["order_report"]
    )
    def order_representativeness_report(self, request: HttpRequest, queryset) -> HttpResponseRedirect | None:
        jobs = []
        for distribution in queryset[:5]:
            try:
                jobs.append(
                    report_services.report_job_start(
                        kind=PARTICIPANTS_PROFILE,
                        requested_by=request.user,
                        parameters={"rows": distribution.attribute, "distribution": distribution.pk},
                        format=ReportFormat.PDF,
                    )
                )
            except PermissionDenied:
                self.message_user(request, _("Usted no tiene permiso para pedir reportes."), messages.ERROR)
                return None
        if len(jobs) == 1:
            return HttpResponseRedirect(jobs[0].get_absolute_url())
        message_count(self, request, REPORTS_STARTED, len(jobs))
        return None


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = [
        number_column(),
        "kind_label",
        "requested_by",
        "format",
        "status",
        "progress",
        "language",
        "size",
        "created_at",
        "published_at",
        "page",
    ]
    list_filter = ["status", "kind", "format", "language", ("published_at", admin.EmptyFieldListFilter)]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__email", "kind"]
    date_hierarchy = "created_at"
    actions = ["run_again", "publish", "unpublish"]
    change_list_template = "admin/engine/reportjob/change_list.html"
    # Read-only: written by services, never edited here.
    fields = readonly_fields = (
        "kind",
        "requested_by",
        "parameters",
        "format",
        "language",
        "status",
        "progress",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "published_at",
        "published_by",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportJob]:
        # The file itself stays out of the list: only its size, joined in the same query.
        return cast(ReportJobQuerySet, super().get_queryset(request)).with_file_size()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reports are ordered on the staff page, which validates the parameters of each kind.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("tipo de reporte"), ordering="kind")
    def kind_label(self, obj: ReportJob) -> str:
        return obj.kind_title

    @admin.display(description=_("tamaño"), ordering="file_size")
    def size(self, obj: WithAnnotations[ReportJob, _FileSize]) -> str:
        return "—" if obj.file_size is None else f"{obj.file_size / 1024:.0f} KB"

    @admin.display(description=_("página"))
    def page(self, obj: ReportJob) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("avance y descarga"))

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {**(extra_context or {}), "report_new_url": reverse("engine:report-new")}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Preparar de nuevo los reportes seleccionados"), permissions=["add_report"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[ReportJob]) -> None:
        count = 0
        for job in queryset[:20]:
            try:
                report_services.report_job_start(
                    kind=job.kind,
                    requested_by=request.user,
                    parameters=job.parameters,
                    format=job.format,
                    language=job.language,
                )
            except (PermissionDenied, ValueError) as error:
                self.message_user(request, f"#{job.pk}: {error}", messages.ERROR)
                continue
            count += 1
        message_count(self, request, REPORTS_STARTED, count)

    def has_add_report_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("engine.add_reportjob")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("engine.publish_reportjob")

    @admin.action(
        description=_("Publicar en el portal (reemplaza al publicado en el mismo idioma y formato)"),
        permissions=["publish"],
    )
    def publish(self, request: HttpRequest, queryset: QuerySet[ReportJob]) -> None:
        self._publishing(request, queryset, report_services.report_job_publish, REPORTS_PUBLISHED)

    @admin.action(description=_("Retirar del portal"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[ReportJob]) -> None:
        self._publishing(request, queryset, report_services.report_job_unpublish, REPORTS_WITHDRAWN)

    def _publishing(self, request: HttpRequest, queryset: QuerySet[ReportJob], service, done) -> None:
        """Apply ``service`` (publish or withdraw) to each job; ``done`` says how many it changed."""
        count = 0
        # Oldest first: of two jobs for the same language and format, the newest one stays published.
        for job in queryset.order_by("finished_at", "pk")[:20]:
            try:
                service(job=job, by=request.user)
            except PermissionDenied:
                self.message_user(request, _("#%(pk)s: sin permiso.") % {"pk": job.pk}, messages.ERROR)
                continue
            except report_services.ReportNotPublishable as error:
                self.message_user(request, f"#{job.pk}: {error}", messages.ERROR)
                continue
            count += 1
        if count:
            message_count(self, request, done, count)
