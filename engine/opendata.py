"""Open data: every mechanism's public tables as CSV and JSON at stable addresses, with a data dictionary.

Mechanism apps register a provider in ``hooks.py``; it yields ``Dataset``s built for
``participants.permissions.ANONYMOUS`` (the register of publications, a budget, a consultation's published
— suppressed — results). The relevant-information app serves them under ``/informacion/datos/`` with one
dictionary page (fields, types, licence, last update), as datos.gob.cl asks of publishers::

    from engine import opendata

    @opendata.register
    def datasets():
        yield opendata.Dataset(
            slug="publicaciones", title=_("Registro de publicaciones"), description=_("…"),
            fields=[opendata.Field("title", opendata.TEXT, _("Título"))],
            rows=lambda: ({"title": p.title} for p in Publication.objects.public()),
            last_modified=lambda: Publication.objects.public().aggregate(m=Max("modified_at"))["m"],
        )

Every value goes through the reports' formula-safe ``cell_value`` in the CSV; the JSON keeps numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine.reports.renderers import cell_value
from engine.reports.tables import PublishedTable

TEXT, INTEGER, DECIMAL, DATE, URL, BOOLEAN = "text", "integer", "decimal", "date", "url", "boolean"
TYPE_LABELS = {
    TEXT: _("texto"),
    INTEGER: _("número entero"),
    DECIMAL: _("número decimal (punto como separador)"),
    DATE: _("fecha (AAAA-MM-DD)"),
    URL: _("dirección web"),
    BOOLEAN: _("verdadero o falso"),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str | Promise

    @property
    def type_label(self) -> str | Promise:
        return TYPE_LABELS.get(self.type, self.type)


@dataclass(frozen=True)
class Dataset:
    slug: str  # the stable part of its address: lower-case letters, digits and hyphens
    title: str | Promise
    description: str | Promise
    fields: Sequence[Field]
    rows: Callable[[], Iterable[Mapping[str, Any]]]
    last_modified: Callable[[], datetime | date | None] = lambda: None
    mechanism: str = ""


Provider = Callable[[], Iterable[Dataset]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """At start-up (hooks imported by AppConfig.ready): must not touch the database."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def datasets() -> list[Dataset]:
    return [dataset for provider in _providers for dataset in provider()]


def get(slug: str) -> Dataset | None:
    return next((dataset for dataset in datasets() if dataset.slug == slug), None)


def licence() -> tuple[str, str]:
    """(name, address) of the licence every dataset is published under."""
    return settings.OPEN_DATA_LICENCE_NAME, settings.OPEN_DATA_LICENCE_URL


# The long format every published table takes in open data: one line per cell, totals included.
TABLE_FIELDS = [
    Field("table", TEXT, _("Título del cuadro")),
    Field("row", TEXT, _("Fila (categoría)")),
    Field("column", TEXT, _("Columna (categoría); «Total» para los totales")),
    Field(
        "value", TEXT, _("Número de personas, o «< k» / «x» cuando se oculta para proteger a las personas")
    ),
    Field("suppressed", BOOLEAN, _("Verdadero si el valor está oculto por supresión de celdas pequeñas")),
]


def table_rows(table: PublishedTable) -> Iterator[dict[str, Any]]:
    """A published (suppressed) table as ``TABLE_FIELDS`` lines: never a hidden value, only its marker."""
    if table.raw:
        raise ValueError("Raw counts are never open data")
    total = str(_("Total"))
    columns = [str(column.label) for column in table.columns]
    for row in table:
        cells = list(zip(columns, row.cells, strict=True))
        if not table.one_way:
            cells.append((total, row.total))
        for column, cell in cells:
            yield _cell_line(table, str(row.category.label), column, cell)
    for column, cell in zip([*columns, total], [*table.column_totals, table.total], strict=False):
        if table.one_way and column != total and len(columns) == 1:
            continue
        yield _cell_line(table, total, column, cell)


def _cell_line(table: PublishedTable, row: str, column: str, cell) -> dict[str, Any]:
    return {
        "table": str(table.title),
        "row": row,
        "column": column,
        "value": cell.export_value,
        "suppressed": not cell.is_shown,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def _csv_value(value: Any) -> Any:
    value = _json_value(value)
    if value is None:
        return ""
    return cell_value(value)


def _records(dataset: Dataset) -> Iterator[dict[str, Any]]:
    names = [field.name for field in dataset.fields]
    for row in dataset.rows():
        yield {name: row.get(name) for name in names}


def render_csv(dataset: Dataset) -> bytes:
    """A header of field names, then the rows; UTF-8 with BOM so spreadsheets keep the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([field.name for field in dataset.fields])
    for record in _records(dataset):
        writer.writerow([_csv_value(value) for value in record.values()])
    return buffer.getvalue().encode("utf-8-sig")


def render_json(dataset: Dataset) -> bytes:
    name, url = licence()
    modified = dataset.last_modified()
    document = {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "licence": {"name": name, "url": url},
        "generated_at": timezone.now().isoformat(),
        "last_modified": _json_value(modified) if modified else None,
        "fields": [
            {"name": field.name, "type": field.type, "description": str(field.description)}
            for field in dataset.fields
        ],
        "rows": [{key: _json_value(value) for key, value in record.items()} for record in _records(dataset)],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
