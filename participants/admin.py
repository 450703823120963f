from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from engine.admin_helpers import AccessibleTabularInline
from engine.admin_messages import message_count
from participants import services
from participants.choices import ConsentChannel
from participants.forms import StaffParticipantForm, consent_field_name
from participants.models import (
    SENSITIVE_ATTRIBUTES,
    Consent,
    Participant,
    SensitiveDataAccess,
    User,
)
from participants.permissions import may_view_sensitive_attributes

WITHDRAWN = ngettext_lazy(
    "%(count)d consentimiento retirado.", "%(count)d consentimientos retirados.", "count"
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "preferred_language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "groups"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("name", "preferred_language")}),
        (_("Permisos"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Fechas importantes"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ConsentInline(AccessibleTabularInline):
    model = Consent
    extra = 0
    fields = ["attribute", "channel", "text_version", "given_at", "recorded_by", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    form = StaffParticipantForm
    list_display = ["__str__", "age_band", "nationality", "region", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name", "commune"]
    raw_id_fields = ["user"]
    inlines = [ConsentInline]
    general_fields = ("user", "birth_year", "age_band", "nationality", "region", "commune", "languages")

    def get_queryset(self, request: HttpRequest):
        # Every row's name comes from its account: pickers (dialogue attendees) list many at once.
        return super().get_queryset(request).select_related("user")

    def _may_see_sensitive(self, request: HttpRequest) -> bool:
        return may_view_sensitive_attributes(request.user)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = [(None, {"fields": self.general_fields})]
        # Without the dedicated permission the sensitive fields are not even sent to the browser.
        if self._may_see_sensitive(request):
            fieldsets.append(
                (
                    _("Datos sensibles (solo con consentimiento)"),
                    {"fields": [(name, consent_field_name(name)) for name in SENSITIVE_ATTRIBUTES]},
                )
            )
        return fieldsets

    def get_list_filter(self, request: HttpRequest):
        base = ["age_band", "region", "nationality"]
        if self._may_see_sensitive(request):
            return [*base, "gender_identity", "migration_status"]
        return base

    def get_inlines(self, request: HttpRequest, obj=None):
        return [ConsentInline] if self._may_see_sensitive(request) else []

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        if self._may_see_sensitive(request):
            participant = self.get_object(request, object_id)
            if participant is not None:
                services.sensitive_access_record(staff=request.user, participant=participant)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Participant, form, change: bool) -> None:
        services.participant_save_with_consents(
            participant=obj,
            consented=form.consented(),
            channel=ConsentChannel.STAFF,
            recorded_by=request.user,
        )


@admin.register(SensitiveDataAccess)
class SensitiveDataAccessAdmin(admin.ModelAdmin):
    """The access log: readable by those who audit it, never editable."""

    list_display = ["accessed_at", "staff", "participant_ref", "action"]
    list_filter = ["action", "accessed_at"]
    list_select_related = ["staff"]
    search_fields = ["staff__email", "participant_ref"]
    date_hierarchy = "accessed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["participant", "attribute", "channel", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["attribute", "channel", "text_version"]
    list_select_related = ["participant__user"]
    readonly_fields = [
        "participant",
        "attribute",
        "channel",
        "text_version",
        "given_at",
        "recorded_by",
        "withdrawn_at",
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Consents are given through the profile or recorded with the participant; never typed in here.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_view_sensitive_attributes(request.user) and super().has_view_permission(request, obj)

    @admin.action(
        description=_("Retirar los consentimientos seleccionados y borrar los datos que cubrían"),
        permissions=["change"],
    )
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        count = 0
        for consent in queryset.active().select_related("participant"):
            services.consent_withdraw(participant=consent.participant, attribute=consent.attribute)
            count += 1
        message_count(self, request, WITHDRAWN, count)


# The registry's admin (applications, decisions) lives with the rest of the registry.
from participants.organizations import admin as organizations_admin  # noqa: E402, F401
