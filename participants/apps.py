from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# allauth's models without a verbose name of their own (Django derives "authenticators", "user sessions" in
# English from the class name) and its "MFA" app: named in our words, in each language, on the admin pages.
ALLAUTH_NAMES = {
    ("mfa", None): _("Verificación en dos pasos"),
    ("mfa", "authenticator"): (_("método de verificación"), _("métodos de verificación")),
    ("usersessions", "usersession"): (_("sesión abierta"), _("sesiones abiertas")),
}


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Personas y participación")

    def ready(self) -> None:
        from allauth.mfa.totp.internal.auth import TOTP  # noqa: PLC0415  (after the app registry)

        from participants.mfa import mark_totp_code_used  # noqa: PLC0415  (its models need the app registry)
        from participants.organizations import hooks  # noqa: F401, PLC0415  (after the app registry: "my data")

        # A used second-factor code is recorded in the database, not only in the cache (participants.mfa).
        if not callable(getattr(TOTP, "_mark_code_used", None)):
            raise ImproperlyConfigured("allauth's TOTP no longer has _mark_code_used: see participants.mfa")
        TOTP._mark_code_used = mark_totp_code_used  # type: ignore[method-assign]

        for (label, model), names in ALLAUTH_NAMES.items():
            if not apps.is_installed(f"allauth.{label}"):
                continue
            config = apps.get_app_config(label)
            if model is None:
                config.verbose_name = names
            else:
                opts = config.get_model(model)._meta
                opts.verbose_name, opts.verbose_name_plural = names
