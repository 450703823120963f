from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicAccountsConfig(AppConfig):
    name = "public_accounts"
    verbose_name = _("Cuenta pública participativa")

    def ready(self) -> None:
        from public_accounts import hooks  # noqa: F401, PLC0415  (after the app registry: registers providers)
