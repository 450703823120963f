from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultas ciudadanas")

    def ready(self) -> None:
        # Both modules import models, which cannot load before the app registry is ready.
        from consultations import (  # noqa: PLC0415  (after the app registry)
            hooks,  # noqa: F401  (registers home blocks and "my data" section)
            receivers,  # noqa: F401  (keeps the cached questionnaire current)
        )
