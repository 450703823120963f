from django.apps import AppConfig


class ClaveUnicaConfig(AppConfig):
    name = "participants.claveunica"
    label = "claveunica"
    verbose_name = "ClaveÚnica"
