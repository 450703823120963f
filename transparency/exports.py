"""Budget tables and the register's open data: the HTML table, its CSV/XLSX downloads and the datasets
registered with ``engine.opendata``. Only public publications (``permissions``) ever reach a dataset."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Prefetch
from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine import opendata
from engine.models import Mechanism, Topic
from engine.reports.renderers import cell_value
from transparency import permissions
from transparency.models import BudgetRow, Publication

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class BudgetTable:
    rows: list[BudgetRow]
    budget: Decimal
    executed: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.executed * 100 / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def header(self) -> list[str]:
        return [_("Programa"), _("Presupuesto (pesos)"), _("Ejecutado (pesos)"), _("Ejecución (%)")]

    def lines(self) -> list[list[object]]:
        def number(value: Decimal | None) -> object:
            if value is None:
                return ""
            return int(value) if value == value.to_integral_value() else float(value)

        body = [
            [strip_tags(row.program), number(row.budget), number(row.executed), number(row.percent)]
            for row in self.rows
        ]
        return [*body, [_("Total"), number(self.budget), number(self.executed), number(self.percent)]]


def budget_table(publication: Publication) -> BudgetTable | None:
    """The budget's rows (prefetched by the detail page) with their totals; None without rows."""
    rows = list(publication.budget_rows.all())
    if not rows:
        return None
    return BudgetTable(
        rows=rows,
        budget=sum((Decimal(row.budget) for row in rows), Decimal(0)),
        executed=sum((Decimal(row.executed) for row in rows), Decimal(0)),
    )


def _csv(table: BudgetTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in [table.header(), *table.lines()]:
        writer.writerow([cell_value(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(table: BudgetTable, title: str) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415  (heavy: loaded on the first spreadsheet)
    from openpyxl.styles import Font  # noqa: PLC0415  (heavy: loaded on the first spreadsheet)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Presupuesto"
    sheet.append([cell_value(value) for value in table.header()])
    for line in table.lines():
        sheet.append([cell_value(value) for value in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(table: BudgetTable, *, fmt: str, filename: str) -> HttpResponse:
    content = _csv(table) if fmt == "csv" else _xlsx(table, _("Presupuesto"))
    response = HttpResponse(content, content_type=TABLE_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- Open data ----------------------------------------------------------------------------------------


def _register_rows():
    publications = (
        permissions.visible_to(permissions.ANONYMOUS)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("order", "slug")))
        .order_by("-published_on", "pk")
    )
    for publication in publications.iterator(chunk_size=500):
        yield {
            "slug": publication.slug,
            "type": publication.type,
            "title": strip_tags(publication.title),
            "summary": strip_tags(publication.summary),
            "responsible_unit": strip_tags(publication.responsible_unit),
            "topics": ";".join(topic.slug for topic in publication.topics.all()),
            "status": publication.status,
            "published_on": publication.published_on,
            "updated_on": publication.updated_on,
            "update_frequency": publication.frequency,
            "next_review_on": publication.next_review_on,
            "url": publication.get_absolute_url(),
        }


def _budget_rows():
    rows = BudgetRow.objects.filter(
        permissions.visible_q(permissions.ANONYMOUS, "publication__")
    ).select_related("publication")
    for row in rows.order_by("publication__published_on", "publication_id", "order", "pk").iterator(
        chunk_size=500
    ):
        yield {
            "publication": row.publication.slug,
            "program": strip_tags(row.program),
            "budget": row.budget,
            "executed": row.executed,
            "percent_executed": row.percent,
            "updated_on": row.publication.updated_on,
        }


def _last_modified():
    return permissions.visible_to(permissions.ANONYMOUS).aggregate(last=Max("modified_at"))["last"]


REGISTER_FIELDS = [
    opendata.Field("slug", opendata.TEXT, gettext_lazy("Identificador estable de la publicación")),
    opendata.Field(
        "type",
        opendata.TEXT,
        gettext_lazy("Tipo: policy, plan, program, action, budget, regulation, report o news"),
    ),
    opendata.Field("title", opendata.TEXT, gettext_lazy("Título, en el idioma de la descarga")),
    opendata.Field("summary", opendata.TEXT, gettext_lazy("Resumen en lenguaje claro")),
    opendata.Field("responsible_unit", opendata.TEXT, gettext_lazy("Unidad responsable")),
    opendata.Field("topics", opendata.TEXT, gettext_lazy("Temas, separados por punto y coma")),
    opendata.Field("status", opendata.TEXT, gettext_lazy("published (vigente) o archived (no se actualiza)")),
    opendata.Field("published_on", opendata.DATE, gettext_lazy("Fecha de publicación")),
    opendata.Field("updated_on", opendata.DATE, gettext_lazy("Fecha de la última actualización sustantiva")),
    opendata.Field(
        "update_frequency",
        opendata.TEXT,
        gettext_lazy("Frecuencia de actualización: monthly, quarterly, half_yearly, yearly o none"),
    ),
    opendata.Field("next_review_on", opendata.DATE, gettext_lazy("Fecha de la próxima revisión")),
    opendata.Field("url", opendata.URL, gettext_lazy("Dirección de la publicación en el portal")),
]
BUDGET_FIELDS = [
    opendata.Field(
        "publication", opendata.TEXT, gettext_lazy("Identificador de la publicación de presupuesto")
    ),
    opendata.Field("program", opendata.TEXT, gettext_lazy("Programa")),
    opendata.Field("budget", opendata.INTEGER, gettext_lazy("Presupuesto vigente, en pesos")),
    opendata.Field("executed", opendata.INTEGER, gettext_lazy("Monto ejecutado, en pesos")),
    opendata.Field(
        "percent_executed", opendata.DECIMAL, gettext_lazy("Ejecución: ejecutado / presupuesto × 100")
    ),
    opendata.Field(
        "updated_on", opendata.DATE, gettext_lazy("Fecha de la última actualización del presupuesto")
    ),
]


def datasets():
    yield opendata.Dataset(
        slug="publicaciones",
        title=gettext_lazy("Registro de información relevante"),
        description=gettext_lazy(
            "Todas las publicaciones vigentes y archivadas: políticas, planes, programas, acciones, "
            "presupuestos, normativa, informes y noticias."
        ),
        fields=REGISTER_FIELDS,
        rows=_register_rows,
        last_modified=_last_modified,
        mechanism=Mechanism.INFORMATION,
    )
    yield opendata.Dataset(
        slug="presupuestos",
        title=gettext_lazy("Ejecución presupuestaria por programa"),
        description=gettext_lazy(
            "Las filas de todas las publicaciones de presupuesto: presupuesto y ejecución."
        ),
        fields=BUDGET_FIELDS,
        rows=_budget_rows,
        last_modified=_last_modified,
        mechanism=Mechanism.INFORMATION,
    )
