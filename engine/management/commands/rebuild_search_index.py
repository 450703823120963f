from django.core.management.base import BaseCommand

from engine.search.services import REBUILD_BATCH_SIZE, search_rebuild


class Command(BaseCommand):
    help = (
        "Write the site-wide search index again from every registered provider's public objects, in batches, "
        "and remove every row of an object that is no longer public. Safe to run while the portal serves."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=REBUILD_BATCH_SIZE, help="Objects written per transaction."
        )

    def handle(self, *args, batch_size: int, **options) -> None:
        result = search_rebuild(batch_size=max(1, batch_size))
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {result.documents} documents written, {result.removed} removed."
            )
        )
