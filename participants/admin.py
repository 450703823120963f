from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants import services
from participants.models import SENSITIVE_ATTRIBUTES, Consent, Participant, User


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


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["attribute", "channel", "text_version", "given_at", "recorded_by", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "age_band", "nationality", "region", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]
    inlines = [ConsentInline]

    def _may_see_sensitive(self, request: HttpRequest) -> bool:
        return request.user.has_perm("participants.view_sensitive_attributes")

    def get_exclude(self, request: HttpRequest, obj=None):
        # Without the dedicated permission the sensitive fields are not even sent to the browser.
        if self._may_see_sensitive(request):
            return super().get_exclude(request, obj)
        return list(SENSITIVE_ATTRIBUTES)

    def get_list_filter(self, request: HttpRequest):
        base = ["age_band", "region", "nationality"]
        if self._may_see_sensitive(request):
            return [*base, "gender_identity", "migration_status"]
        return base

    def get_inlines(self, request: HttpRequest, obj=None):
        return [ConsentInline] if self._may_see_sensitive(request) else []


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
        return request.user.has_perm(
            "participants.view_sensitive_attributes"
        ) and super().has_view_permission(request, obj)

    @admin.action(
        description=_("Retirar los consentimientos seleccionados y borrar los datos que cubrían"),
        permissions=["change"],
    )
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        count = 0
        for consent in queryset.active().select_related("participant"):
            services.consent_withdraw(participant=consent.participant, attribute=consent.attribute)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d consentimiento retirado.", "%(count)d consentimientos retirados.", count)
            % {"count": count},
            messages.SUCCESS,
        )
