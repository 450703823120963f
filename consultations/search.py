"""What the site-wide search and the sitemap know of consultations: public objects only, by this app's rules.

The plan, the calls for topic proposals, every published consultation, its results page once results are
public and SERMIG's response once it is published. Every save or delete of these models (admin forms and
inlines, services, the phases sweep, the shell) reindexes in the same transaction (``search.watch``);
``QuerySet.update`` sends no signal, so the admin's "publish" action calls ``search.reindex`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations import permissions
from consultations.models import (
    Commitment,
    Consultation,
    ConsultationPlan,
    ConsultationResults,
    InstitutionalResponse,
    ProposalCall,
)
from engine import search, sitemaps
from engine.models import Mechanism, Topic


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(text for text in texts if text)


class _ConsultationsProvider(search.Provider):
    mechanism = Mechanism.CONSULTATIONS


class PlanSearch(_ConsultationsProvider):
    model = ConsultationPlan
    kind = "consultation-plan"
    label = gettext_lazy("Plan de consultas")
    summary_field = "summary"

    def queryset(self) -> QuerySet[ConsultationPlan]:
        return permissions.plans_visible_to(permissions.ANONYMOUS)


class ProposalCallSearch(_ConsultationsProvider):
    model = ProposalCall
    kind = "proposal-call"
    label = gettext_lazy("Convocatoria de propuestas")
    summary_field = "description"

    def queryset(self) -> QuerySet[ProposalCall]:
        return permissions.proposal_calls_visible_to(permissions.ANONYMOUS)

    def url(self, obj: ProposalCall) -> str:
        return reverse("consultations:proposal-call", kwargs={"pk": obj.pk})


class ConsultationSearch(_ConsultationsProvider):
    model = Consultation
    kind = "consultation"
    label = gettext_lazy("Consulta ciudadana")
    summary_field = "summary"

    def queryset(self) -> QuerySet[Consultation]:
        return permissions.visible_to(permissions.ANONYMOUS).select_related("topic")

    def body(self, obj: Consultation) -> str:
        topic = obj.topic.name if obj.topic else ""
        return _paragraphs(obj.rationale, obj.technical_background, obj.expected_results, topic)

    def affected(self, obj) -> Iterable[int] | None:
        """A consultation's text includes its topic's name: renaming a topic concerns its consultations."""
        if isinstance(obj, Topic):
            return Consultation.objects.filter(topic=obj).values_list("pk", flat=True)
        return super().affected(obj)


class ResultsSearch(_ConsultationsProvider):
    model = ConsultationResults
    kind = "consultation-results"
    label = gettext_lazy("Resultados de consulta")
    summary_field = "summary"

    def queryset(self) -> QuerySet[Consultation]:
        return Consultation.objects.with_public_results()

    def title(self, obj: Consultation) -> str:
        return _("Resultados: %(title)s") % {"title": obj.title}

    def body(self, obj: Consultation) -> str:
        return obj.expected_results

    def url(self, obj: Consultation) -> str:
        return reverse("consultations:results", kwargs={"slug": obj.slug})


class ResponseSearch(_ConsultationsProvider):
    model = InstitutionalResponse
    kind = "consultation-response"
    label = gettext_lazy("Respuesta de SERMIG")
    summary_field = "text"

    def queryset(self) -> QuerySet[InstitutionalResponse]:
        return (
            InstitutionalResponse.objects.filter(consultation__in=Consultation.objects.with_public_response())
            .select_related("consultation")
            .prefetch_related("consultation__commitments")
        )

    def title(self, obj: InstitutionalResponse) -> str:
        return _("Respuesta de SERMIG: %(title)s") % {"title": obj.consultation.title}

    def body(self, obj: InstitutionalResponse) -> str:
        return _paragraphs(*(f"{c.text} {c.status_note}".strip() for c in obj.consultation.commitments.all()))

    def url(self, obj: InstitutionalResponse) -> str:
        return f"{obj.consultation.get_absolute_url()}#response-title"

    def affected(self, obj) -> Iterable[int] | None:
        """The response page shows its consultation's title and commitments: a change to either concerns it."""
        if isinstance(obj, Consultation):
            return InstitutionalResponse.objects.filter(consultation_id=obj.pk).values_list("pk", flat=True)
        if isinstance(obj, Commitment):
            return InstitutionalResponse.objects.filter(consultation_id=obj.consultation_id).values_list(
                "pk", flat=True
            )
        return super().affected(obj)


PLANS, CALLS, CONSULTATIONS, RESULTS = (
    PlanSearch(),
    ProposalCallSearch(),
    ConsultationSearch(),
    ResultsSearch(),
)


def register() -> None:
    """Called once from ``consultations.hooks`` (AppConfig.ready)."""
    for provider in (PLANS, CALLS, CONSULTATIONS, RESULTS, ResponseSearch()):
        search.register(provider)
    search.watch(ConsultationPlan, ProposalCall, Consultation, InstitutionalResponse, Commitment, Topic)
    # The response is a part of the consultation's page, not a page of its own.
    sitemaps.register("consultations-pages", sitemaps.PagesSitemap(["consultations:index"]))
    for name, provider in (
        ("consultation-plans", PLANS),
        ("consultation-calls", CALLS),
        ("consultations", CONSULTATIONS),
        ("consultation-results", RESULTS),
    ):
        sitemaps.register(name, sitemaps.ProviderSitemap(provider))
