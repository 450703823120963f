from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngineConfig(AppConfig):
    name = "engine"
    verbose_name = _("Temas, notificaciones y reportes")

    def ready(self) -> None:
        # The report kinds import engine.models, which cannot load before the app registry is ready.
        from engine import hooks, receivers  # noqa: F401, PLC0415  ("my data", signals: need the app registry)
        from engine.reports.builtin import register_builtin_kinds  # noqa: PLC0415  (after the app registry)

        register_builtin_kinds()
