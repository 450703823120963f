from django.apps import AppConfig, apps
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
        from participants.organizations import hooks  # noqa: F401, PLC0415  (after the app registry: "my data")

        for (label, model), names in ALLAUTH_NAMES.items():
            if not apps.is_installed(f"allauth.{label}"):
                continue
            config = apps.get_app_config(label)
            if model is None:
                config.verbose_name = names
            else:
                opts = config.get_model(model)._meta
                opts.verbose_name, opts.verbose_name_plural = names
