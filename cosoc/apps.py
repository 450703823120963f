from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CosocConfig(AppConfig):
    name = "cosoc"
    verbose_name = _("Consejo de la Sociedad Civil (COSOC)")

    def ready(self) -> None:
        # hooks imports models, which cannot load before the app registry is ready.
        from cosoc import hooks  # noqa: F401, PLC0415  (after the app registry; registers the shared pages' providers)
