"""Published consultation results as open data (``engine.opendata``): one dataset per consultation whose
results are public, with the same suppressed tables as its results page and report — never a raw count."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from consultations import results
from consultations.models import Consultation
from engine import opendata
from engine.models import Mechanism
from engine.reports import PublishedTable


def _tables(consultation: Consultation) -> Iterator[PublishedTable]:
    yield results.published_channel_totals(consultation)
    yield results.participation_profile(consultation)
    for item in results.published_results(consultation):
        if item.table is not None:
            yield item.table
        if item.by_gender is not None:
            yield item.by_gender


def _dataset(consultation: Consultation) -> opendata.Dataset:
    def rows():
        for table in _tables(consultation):
            yield from opendata.table_rows(table)

    return opendata.Dataset(
        slug=f"resultados-{consultation.slug}",
        title=_("Resultados: %(title)s") % {"title": consultation.title},
        description=_(
            "Los cuadros publicados de la consulta: participación por canal y por identidad de género, y las "
            "respuestas a cada pregunta de opciones. Los valores pequeños están ocultos."
        ),
        fields=opendata.TABLE_FIELDS,
        rows=rows,
        last_modified=lambda: consultation.results_published_at,
        mechanism=Mechanism.CONSULTATIONS,
    )


def datasets() -> Iterator[opendata.Dataset]:
    """Public results only: the same rule as the results page (``Consultation.with_public_results``)."""
    for consultation in Consultation.objects.with_public_results().order_by("-closes_at"):
        yield _dataset(consultation)


def register() -> None:
    opendata.register(datasets)
