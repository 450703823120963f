from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Información relevante")

    def ready(self) -> None:
        # hooks imports models, which cannot load before the app registry is ready.
        from transparency import hooks  # noqa: F401, PLC0415  (after the app registry; registers providers)
