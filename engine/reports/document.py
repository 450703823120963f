"""What a report builder returns and every renderer (CSV, XLSX, PDF) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine.reports.selectors import Representativeness
from engine.reports.tables import PublishedTable


@dataclass
class ReportSection:
    title: str | Promise
    intro: str | Promise = ""
    tables: list[PublishedTable] = field(default_factory=list)
    representativeness: list[Representativeness] = field(default_factory=list)


@dataclass
class ReportDocument:
    title: str | Promise
    subtitle: str | Promise = ""
    sections: list[ReportSection] = field(default_factory=list)
    # Where the numbers come from, one line each; printed in the methodology.
    sources: list[str | Promise] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def tables(self) -> list[PublishedTable]:
        tables = []
        for section in self.sections:
            tables.extend(section.tables)
            tables.extend(item.table for item in section.representativeness)
        return tables

    @property
    def raw(self) -> bool:
        return any(table.raw for table in self.tables)

    @property
    def thresholds(self) -> list[int]:
        return sorted({table.k for table in self.tables})

    @property
    def has_representativeness(self) -> bool:
        return any(section.representativeness for section in self.sections)

    def methodology(self) -> list[str]:
        """The methodology paragraphs shared by the PDF, the spreadsheet and the CSV."""
        lines = [
            str(
                _(
                    "Cada persona responde las preguntas sobre sí misma de forma voluntaria y puede elegir "
                    "«Prefiero no decirlo». Los datos sensibles se guardan solo con consentimiento expreso. "
                    "«Sin dato» reúne a quienes no respondieron."
                )
            ),
            str(
                _(
                    "Supresión de celdas pequeñas: los valores entre 1 y %(k1)s se ocultan y se muestran "
                    "como «< %(k)s» (entre 1 y %(k2)s, «< %(ks)s», si el cuadro usa datos sensibles: "
                    "identidad de género, sexo, orientación sexual, situación migratoria, pueblo indígena "
                    "o discapacidad). Además se ocultan otras celdas, marcadas «x», para que ningún valor "
                    "oculto pueda calcularse a partir de los totales."
                )
                % {
                    "k": settings.ENGINE_SUPPRESSION_K,
                    "k1": settings.ENGINE_SUPPRESSION_K - 1,
                    "ks": settings.ENGINE_SUPPRESSION_K_SENSITIVE,
                    "k2": settings.ENGINE_SUPPRESSION_K_SENSITIVE - 1,
                }
            ),
        ]
        if self.has_representativeness:
            lines.append(
                str(
                    _(
                        "Representatividad: para cada categoría se compara el porcentaje entre participantes "
                        "con el de la población de referencia. La razón es el cociente de ambos; el índice "
                        "global es la razón más baja dividida por la más alta."
                    )
                )
            )
        if self.raw:
            lines.append(str(_("Este reporte contiene recuentos sin supresión: solo para uso interno.")))
        lines.extend(str(source) for source in self.sources)
        return lines
