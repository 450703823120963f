from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load the demo data of every app (each app's demo.load). Idempotent: running it twice changes nothing. "
        "Development only: it creates accounts with published passwords."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run although DEBUG is off (the bench does, on a throw-away database).",
        )

    def handle(self, *args, allow_without_debug: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Demo data creates accounts with known passwords: refused without DEBUG.")
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                try:
                    module = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                module.load(self.stdout)
        # Demo rows made before the search index existed (an older db.sqlite3) are indexed too.
        call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
