"""The generic report kind usable before any mechanism exists: all participants, disaggregated."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from engine.models import ReferenceDistribution, attribute_choices
from engine.permissions import may_see_raw_counts
from engine.reports.document import ReportDocument, ReportSection
from engine.reports.registry import ReportParametersForm, register
from engine.reports.selectors import attribute_label, disaggregate, representativeness
from engine.reports.suppression import publish

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PARTICIPANTS_PROFILE = "participants-profile"


def _attribute_options() -> list[tuple[str, StrOrPromise]]:
    return [(name, capfirst(label)) for name, label in attribute_choices()]


class ParticipantsProfileForm(ReportParametersForm):
    rows = forms.ChoiceField(label=_("Filas"), choices=_attribute_options)
    columns = forms.ChoiceField(
        label=_("Columnas"), choices=lambda: [("", "—"), *_attribute_options()], required=False
    )
    distribution: forms.ModelChoiceField[ReferenceDistribution] = forms.ModelChoiceField(
        label=_("Comparar con una distribución de referencia"),
        queryset=ReferenceDistribution.objects.all(),
        required=False,
    )
    title = forms.CharField(label=_("Título"), max_length=200, required=False)
    subtitle = forms.CharField(label=_("Subtítulo"), max_length=200, required=False)
    raw = forms.BooleanField(
        label=_("Recuentos sin supresión (solo uso interno)"),
        required=False,
        help_text=_("Requiere el permiso para ver recuentos sin supresión."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_see_raw_counts(self.user):
            del self.fields["raw"]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("rows") and data.get("rows") == data.get("columns"):
            raise ValidationError(_("Elija datos distintos para filas y columnas."))
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        distribution = data.get("distribution")
        return {
            "rows": data["rows"],
            "columns": data.get("columns") or None,
            "distribution": distribution.pk if distribution else None,
            "title": data.get("title", ""),
            "subtitle": data.get("subtitle", ""),
            "raw": bool(data.get("raw")),
        }


def build_participants_profile(*, parameters: dict, progress: Callable[[int], None], user) -> ReportDocument:
    rows = parameters["rows"]
    columns = parameters.get("columns") or None
    raw = bool(parameters.get("raw"))
    sections = []

    table = disaggregate(rows=rows)
    sections.append(
        ReportSection(
            title=_("Participantes por %(attribute)s") % {"attribute": attribute_label(rows)},
            tables=[publish(table, user=user, raw=raw)],
        )
    )
    progress(30)
    if columns:
        sections.append(
            ReportSection(
                title=_("Participantes por %(rows)s y %(columns)s")
                % {"rows": attribute_label(rows), "columns": attribute_label(columns)},
                intro=_("Cruce de dos datos: permite ver, por ejemplo, el género dentro de cada región."),
                tables=[
                    publish(disaggregate(rows=columns), user=user, raw=raw),
                    publish(disaggregate(rows=rows, columns=columns), user=user, raw=raw),
                ],
            )
        )
    progress(60)
    if parameters.get("distribution"):
        distribution = ReferenceDistribution.objects.prefetch_related("shares").get(
            pk=parameters["distribution"]
        )
        sections.append(
            ReportSection(
                title=_("Representatividad"),
                intro=_("¿Participan los distintos grupos en la proporción en que viven en Chile?"),
                representativeness=[representativeness(distribution=distribution, user=user, raw=raw)],
            )
        )
    progress(80)
    subtitle = parameters.get("subtitle") or (
        _("Por %(rows)s y %(columns)s") % {"rows": attribute_label(rows), "columns": attribute_label(columns)}
        if columns
        else _("Por %(attribute)s") % {"attribute": attribute_label(rows)}
    )
    return ReportDocument(
        title=parameters.get("title") or _("Perfil de participantes"),
        subtitle=subtitle,
        sections=sections,
        sources=[
            _(
                "Fuente: personas registradas en el portal de participación y personas registradas por el "
                "equipo en diálogos presenciales."
            )
        ],
    )


def register_builtin_kinds() -> None:
    register(
        PARTICIPANTS_PROFILE,
        build_participants_profile,
        title=_("Perfil de participantes"),
        form_class=ParticipantsProfileForm,
    )
