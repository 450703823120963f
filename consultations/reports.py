"""The systematisation report of a consultation, built by the engine's report jobs (PDF, XLSX, CSV)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations import results
from consultations.models import Consultation
from consultations.results import CONSULTATION_RESULTS
from engine import reports
from engine.reports import ReportDocument, ReportSection

__all__ = ["CONSULTATION_RESULTS", "register"]


class ConsultationResultsForm(reports.ReportParametersForm):
    consultation = forms.ModelChoiceField(
        label=_("Consulta"), queryset=Consultation.objects.order_by("-opens_at")
    )

    def parameters(self) -> dict:
        return {"consultation": self.cleaned_data["consultation"].pk}


def build_consultation_results(*, parameters: dict, progress: Callable[[int], None], user) -> ReportDocument:
    """Only published (suppressed) tables go in: the same numbers as the public results page."""
    consultation = Consultation.objects.get(pk=parameters["consultation"])
    sections = [
        ReportSection(
            title=_("Participación"),
            tables=[
                results.published_channel_totals(consultation),
                results.participation_profile(consultation),
            ],
        )
    ]
    representativeness = results.consultation_representativeness(consultation)
    if representativeness is not None:
        sections[0].representativeness.append(representativeness)
    progress(20)
    questions = results.published_results(consultation)
    for index, item in enumerate(questions, start=1):
        if item.table is not None:
            sections.append(
                ReportSection(title=item.result.question.text, tables=[item.table, item.by_gender])
            )
        else:
            texts = [*item.result.texts, *(s.text for s in item.result.syntheses)]
            sections.append(ReportSection(title=item.result.question.text, intro="\n\n".join(texts)))
        progress(20 + int(75 * index / max(len(questions), 1)))
    return ReportDocument(
        title=_("Informe de sistematización"),
        subtitle=consultation.title,
        sections=sections,
        sources=[
            _("Respuestas en línea y asistidas al cuestionario de la consulta."),
            _("Conteos y síntesis registrados por el equipo en los diálogos presenciales."),
        ],
    )


def register() -> None:
    reports.register(
        CONSULTATION_RESULTS,
        build_consultation_results,
        title=_("Resultados de una consulta (sistematización)"),
        form_class=ConsultationResultsForm,
        permission="consultations.view_response",
    )
