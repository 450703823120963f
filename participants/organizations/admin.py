"""The registry in admin: staff read applications and decide through actions that call the services (the
representatives are notified there). Nothing is typed into an organisation here: its representatives write
it, staff decide."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from engine.admin_helpers import AccessibleAdmin, AccessibleTabularInline
from engine.admin_messages import message_count
from engine.files import file_summary
from participants.models import (
    Organization,
    OrganizationDecision,
    OrganizationDocument,
    OrganizationRepresentative,
)
from participants.organizations import permissions, services

ACCREDITED = ngettext_lazy(
    "%(count)d organización acreditada.", "%(count)d organizaciones acreditadas.", "count"
)
CHANGES_REQUESTED = ngettext_lazy(
    "Se pidieron cambios a %(count)d organización.",
    "Se pidieron cambios a %(count)d organizaciones.",
    "count",
)
REJECTED = ngettext_lazy("%(count)d postulación rechazada.", "%(count)d postulaciones rechazadas.", "count")
CHANGES_APPROVED = ngettext_lazy("%(count)d cambio aprobado.", "%(count)d cambios aprobados.", "count")
CHANGES_REFUSED = ngettext_lazy("%(count)d cambio rechazado.", "%(count)d cambios rechazados.", "count")


class _ReadOnlyInline(AccessibleTabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RepresentativeInline(_ReadOnlyInline):
    model = OrganizationRepresentative
    fields = ["user", "position", "added_at"]
    readonly_fields = fields


class DocumentInline(_ReadOnlyInline):
    model = OrganizationDocument
    fields = ["kind", "download", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("archivo"))
    def download(self, document: OrganizationDocument) -> str:
        if not document.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({})',
            document.get_download_url(),
            document.file_name or document.get_kind_display(),
            file_summary(document.file),
        )


class DecisionInline(_ReadOnlyInline):
    model = OrganizationDecision
    fields = ["decision", "reason", "decided_by", "decided_at"]
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(AccessibleAdmin):
    list_display = ["legal_name", "category", "region", "status", "pending_change", "submitted_at"]
    list_filter = ["status", "category", "region", "legal_form"]
    search_fields = ["legal_name", "rut", "other_registration", "commune"]
    date_hierarchy = "submitted_at"
    inlines = [RepresentativeInline, DocumentInline, DecisionInline]
    actions = ["accredit", "request_changes", "reject", "approve_change", "refuse_change"]
    fieldsets = (
        (
            _("Organización"),
            {
                "fields": (
                    "legal_name",
                    "rut",
                    "other_registration",
                    "legal_form",
                    "category",
                    "description",
                    "website",
                )
            },
        ),
        (_("Lugar y contacto"), {"fields": ("region", "commune", "contact_email", "contact_phone")}),
        (
            _("Revisión"),
            {
                "fields": (
                    "status",
                    "review_reason",
                    "requested_change",
                    "submitted_at",
                    "reviewed_at",
                    "accredited_at",
                )
            },
        ),
    )
    readonly_fields = [
        "legal_name",
        "rut",
        "other_registration",
        "legal_form",
        "category",
        "description",
        "website",
        "region",
        "commune",
        "contact_email",
        "contact_phone",
        "status",
        "review_reason",
        "requested_change",
        "submitted_at",
        "reviewed_at",
        "accredited_at",
    ]

    @admin.display(description=_("cambio pendiente"), boolean=True)
    def pending_change(self, organization: Organization) -> bool:
        return organization.has_requested_change

    @admin.display(description=_("cambio pedido"))
    def requested_change(self, organization: Organization) -> str:
        parts = []
        if organization.requested_legal_name:
            parts.append((gettext("Nombre legal"), organization.requested_legal_name))
        if organization.requested_category is not None:
            parts.append((gettext("Categoría"), str(organization.requested_category)))
        if not parts:
            return "—"
        return format_html_join("; ", "{}: {}", parts)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Organisations apply through a representative; staff decide.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.may_read_applications(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return permissions.may_review(request.user)

    def _run(
        self, request: HttpRequest, queryset: QuerySet[Organization], service, message, **kwargs
    ) -> None:
        done = 0
        for organization in queryset:
            try:
                service(organization=organization, by=request.user, **kwargs)
            except services.RegistryRefusal as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            else:
                done += 1
        if done:
            message_count(self, request, message, done)

    def _with_reason(self, request, queryset, *, action, service, message, title, explanation, submit_label):
        """The reason's page first; the decision when it comes back with one."""
        reason = (request.POST.get("reason") or "").strip()
        if "confirm" in request.POST and reason:
            self._run(request, queryset, service, message, reason=reason)
            return None
        return TemplateResponse(
            request,
            "admin/participants/organization/decision_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "explanation": explanation,
                "submit_label": submit_label,
                "organizations": list(queryset),
                "action": action,
                "reason": reason,
                "error": gettext("Escriba el motivo: la organización lo leerá para saber qué hacer.")
                if "confirm" in request.POST
                else "",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Acreditar las organizaciones seleccionadas"), permissions=["review"])
    def accredit(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        self._run(request, queryset, services.organization_accredit, ACCREDITED)

    @admin.action(description=_("Pedir cambios (con un motivo)"), permissions=["review"])
    def request_changes(self, request: HttpRequest, queryset: QuerySet[Organization]):
        return self._with_reason(
            request,
            queryset,
            action="request_changes",
            service=services.organization_request_changes,
            message=CHANGES_REQUESTED,
            title=gettext("Pedir cambios"),
            explanation=gettext(
                "Diga qué debe corregir la organización. Podrá enviar la postulación de nuevo."
            ),
            submit_label=gettext("Pedir los cambios"),
        )

    @admin.action(description=_("Rechazar (con un motivo)"), permissions=["review"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Organization]):
        return self._with_reason(
            request,
            queryset,
            action="reject",
            service=services.organization_reject,
            message=REJECTED,
            title=gettext("Rechazar postulaciones"),
            explanation=gettext("Diga por qué se rechaza la postulación."),
            submit_label=gettext("Rechazar"),
        )

    @admin.action(description=_("Aprobar el cambio de nombre o categoría pedido"), permissions=["review"])
    def approve_change(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        self._run(request, queryset, services.organization_change_approve, CHANGES_APPROVED)

    @admin.action(
        description=_("Rechazar el cambio de nombre o categoría pedido (con un motivo)"),
        permissions=["review"],
    )
    def refuse_change(self, request: HttpRequest, queryset: QuerySet[Organization]):
        return self._with_reason(
            request,
            queryset,
            action="refuse_change",
            service=services.organization_change_refuse,
            message=CHANGES_REFUSED,
            title=gettext("Rechazar el cambio pedido"),
            explanation=gettext("Diga por qué no se aprueba el cambio de nombre o de categoría."),
            submit_label=gettext("Rechazar el cambio"),
        )
