from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultas ciudadanas")

    def ready(self) -> None:
        from consultations import (
            hooks,  # noqa: F401  (registers home blocks and "my data" section)
            receivers,  # noqa: F401  (keeps the cached questionnaire current)
        )
