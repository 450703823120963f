"""The public account's participation report, built by the engine's report jobs (PDF, XLSX, CSV): questions
and people by channel (in person and online together), disaggregated and suppressed, representativeness,
answer times and every question with its answer."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine import reports
from engine.models import ReferenceDistribution
from engine.reports import Category, CountTable, ReportDocument, ReportSection
from engine.reports.selectors import attribute_label
from engine.reports.tables import decimal_display, ordered_categories, percent_display
from public_accounts import selectors
from public_accounts.models import Channel, PublicAccount, Question, Status

PUBLIC_ACCOUNT_QUESTIONS = "public-account-questions"
__all__ = ["PUBLIC_ACCOUNT_QUESTIONS", "build_account_report", "register"]


class AccountReportForm(reports.ReportParametersForm):
    account = forms.ModelChoiceField(
        label=gettext_lazy("Cuenta pública"), queryset=PublicAccount.objects.order_by("-year")
    )

    def parameters(self) -> dict:
        return {"account": self.cleaned_data["account"].pk}


def _counted(account: PublicAccount):
    """Every question received but the rejected ones: online and in person alike."""
    return Question.objects.filter(account=account).exclude(status=Status.REJECTED)


def channel_tables(account: PublicAccount, *, user=None) -> list[reports.PublishedTable]:
    counts = selectors.channel_counts(account)
    rows = [Category(channel.value, channel.label) for channel in Channel]
    questions = CountTable.one_way_table(
        title=_("Preguntas y observaciones por canal"),
        rows=rows,
        counts=[counts[row.code]["questions"] for row in rows],
        row_heading=_("Canal"),
        unit=_("Preguntas"),
    )
    people = CountTable.one_way_table(
        title=_("Personas que preguntaron, por canal"),
        rows=rows,
        counts=[counts[row.code]["people"] for row in rows],
        row_heading=_("Canal"),
    )
    return [reports.publish(questions, user=user), reports.publish(people, user=user)]


def channel_by_gender(account: PublicAccount, *, user=None) -> reports.PublishedTable:
    """People by gender identity and channel (a sensitive attribute: the stricter threshold applies)."""
    rows = list(
        _counted(account)
        .order_by()
        .values_list("participant__gender_identity", "channel")
        .annotate(people=Count("participant", distinct=True))
    )
    counts: dict[tuple[str, str], int] = {(g or "", c): n for g, c, n in rows}
    totals: dict[str, int] = {}
    for (gender, _channel), n in counts.items():
        totals[gender] = totals.get(gender, 0) + n
    genders = ordered_categories("gender_identity", totals)
    channels = [Category(channel.value, channel.label) for channel in Channel]
    table = CountTable(
        title=_("Personas que preguntaron, por identidad de género y canal"),
        rows=genders,
        columns=channels,
        counts=[[counts.get((g.code, c.code), 0) for c in channels] for g in genders],
        row_heading=attribute_label("gender_identity"),
        column_heading=_("Canal"),
        row_attribute="gender_identity",
        sensitive=True,
    )
    return reports.publish(table, user=user)


def profile_tables(account: PublicAccount, *, user=None) -> list[reports.PublishedTable]:
    return [
        reports.publish_disaggregation(_counted(account), rows=attribute, distinct=True, user=user)
        for attribute in ("gender_identity", "age_band", "nationality", "region")
    ]


def build_account_report(*, parameters: dict, progress: Callable[[int], None], user) -> ReportDocument:
    account = PublicAccount.objects.get(pk=parameters["account"])
    participation = ReportSection(
        title=_("Participación"),
        intro=_(
            "Las preguntas hechas en la presentación presencial se cuentan junto con las enviadas en línea."
        ),
        tables=[*channel_tables(account), channel_by_gender(account), *profile_tables(account)],
    )
    distribution = ReferenceDistribution.objects.filter(attribute="nationality").order_by("-year").first()
    if distribution is not None:
        participation.representativeness.append(
            reports.representativeness(distribution=distribution, queryset=_counted(account), distinct=True)
        )
    progress(40)
    times = selectors.answer_times(account)
    timing = ReportSection(
        title=_("Tiempos de respuesta"),
        intro=_(
            "Preguntas respondidas: %(answered)s. Mediana de días entre la pregunta y la respuesta publicada: "
            "%(median)s. Respondidas dentro del plazo: %(share)s."
        )
        % {
            "answered": times.answered,
            "median": decimal_display(times.median_days, 1),
            "share": percent_display(times.share_by_deadline) if times.share_by_deadline is not None else "—",
        },
    )
    sections = [participation, timing]
    for group in selectors.answers_by_section(account):
        lines = []
        for question in group.questions:
            lines.append(
                _("N.º %(number)s (%(channel)s): %(text)s")
                % {"number": question.pk, "channel": question.get_channel_display(), "text": question.text}
            )
            lines.append(_("Respuesta: %(answer)s") % {"answer": question.answer})
        sections.append(
            ReportSection(
                title=_("Preguntas y respuestas: %(title)s") % {"title": group.title},
                intro="\n\n".join(lines),
            )
        )
    progress(95)
    return ReportDocument(
        title=_("Informe de la cuenta pública participativa"),
        subtitle=str(account),
        sections=sections,
        sources=[
            _("Preguntas y observaciones enviadas en línea durante el período de consultas."),
            _("Preguntas hechas en la presentación presencial, registradas por el equipo."),
        ],
    )


def register() -> None:
    reports.register(
        PUBLIC_ACCOUNT_QUESTIONS,
        build_account_report,
        title=gettext_lazy("Cuenta pública: preguntas, participación y tiempos de respuesta"),
        form_class=AccountReportForm,
        permission="public_accounts.view_question",
    )
