from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = _("Temas, notificaciones y reportes")

    def ready(self) -> None:
        from engine import hooks  # noqa: F401  (registers the subscriptions' part of "my data")
        from engine.reports.builtin import register_builtin_kinds

        register_builtin_kinds()
