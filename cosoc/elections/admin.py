"""Elections in admin. Staff set dates and seats, decide candidacies, move phases, count and record lots, all
through the services. Ballots and vote records have no admin page: the election shows turnout only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cosoc.elections import permissions, services
from cosoc.elections.models import Candidacy, Election, LotDraw, Phase, RollEntry, SeatAllocation, VoteRecord
from engine.admin_helpers import AccessibleAdmin, AccessibleTabularInline


class SeatInline(AccessibleTabularInline):
    model = SeatAllocation
    extra = 0
    min_num = 1

    def _open(self, obj) -> bool:
        return obj is None or not obj.is_at_least(Phase.VOTING)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._open(obj) and super().has_delete_permission(request, obj)


class _RunMixin:
    """Every election page of admin asks ``permissions`` (second factor included) besides Django's rights."""

    def has_run_permission(self, request: HttpRequest) -> bool:
        return permissions.may_run(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.may_preview(request.user) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return permissions.may_preview(request.user) and super().has_change_permission(request, obj)  # type: ignore[misc]


@admin.register(Election)
class ElectionAdmin(_RunMixin, AccessibleAdmin):
    list_display = ["__str__", "phase", "phase_set_by_staff", "voting_opens_at", "voting_closes_at"]
    list_filter = ["phase"]
    list_select_related = ["term"]
    inlines = [SeatInline]
    readonly_fields = ["phase", "phase_set_by_staff", "blocked_reason", "roll_frozen_at", "turnout"]
    fieldsets = (
        (None, {"fields": ("term", "choices_per_ballot", "tie_rule")}),
        (
            _("Fechas y horas de cada fase"),
            {
                "fields": (
                    "registration_opens_at",
                    "accreditation_starts_at",
                    "roll_published_at",
                    "candidacies_open_at",
                    "candidacies_close_at",
                    "voting_opens_at",
                    "voting_closes_at",
                    "results_published_at",
                )
            },
        ),
        (
            _("Estado"),
            {"fields": ("phase", "phase_set_by_staff", "blocked_reason", "roll_frozen_at", "turnout")},
        ),
    )
    actions = ["freeze_roll", "open_voting", "close_voting", "publish_results", "follow_dates", "count_again"]

    @admin.display(description=_("participación (votaron / en el padrón)"))
    def turnout(self, election: Election) -> str:
        if election.pk is None or election.roll_frozen_at is None:
            return "—"
        on_roll = dict(
            RollEntry.objects.filter(election=election)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        voted = dict(
            VoteRecord.objects.filter(election=election)
            .values_list("category")
            .annotate(n=Count("pk"))
            .values_list("category", "n")
        )
        rows = [
            (gettext("Categoría %(category)s") % {"category": category}, voted.get(category, 0), total)
            for category, total in sorted(on_roll.items())
        ]
        return format_html_join("; ", "{}: {} / {}", rows) or "—"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Once voting opened, the rules of the election are history.
        if obj is not None and obj.is_at_least(Phase.VOTING):
            return [f.name for f in Election._meta.fields if f.name != "id"] + ["turnout"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Election, form, change: bool) -> None:
        services.election_save(election=obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        seats = services.seats_by_category(form.instance)
        total = sum(seats.values())
        if total != form.instance.term.council.seats:
            self.message_user(
                request,
                gettext("Los cupos suman %(total)s; el consejo tiene %(expected)s integrantes.")
                % {"total": total, "expected": form.instance.term.council.seats},
                messages.WARNING,
            )

    def _each(self, request, queryset, work, done_message) -> None:
        for election in queryset:
            try:
                work(election)
            except services.ElectionRefusal as refusal:
                self.message_user(request, f"{election}: {refusal}", messages.ERROR)
            else:
                self.message_user(request, f"{election}: {done_message}", messages.SUCCESS)

    @admin.action(description=_("Congelar el padrón ahora"), permissions=["run"])
    def freeze_roll(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.election_roll_freeze(election=e),
            gettext("padrón congelado."),
        )

    @admin.action(description=_("Abrir la votación ahora"), permissions=["run"])
    def open_voting(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.election_phase_set(election=e, phase=Phase.VOTING, by=request.user),
            gettext("votación abierta."),
        )

    @admin.action(description=_("Cerrar la votación y contar ahora"), permissions=["run"])
    def close_voting(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.election_phase_set(election=e, phase=Phase.COUNTING, by=request.user),
            gettext("votación cerrada y votos contados."),
        )

    @admin.action(description=_("Publicar los resultados ahora"), permissions=["run"])
    def publish_results(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.election_phase_set(election=e, phase=Phase.RESULTS, by=request.user),
            gettext("resultados publicados; las personas electas integran el nuevo periodo."),
        )

    @admin.action(description=_("Volver a mover las fases según las fechas"), permissions=["run"])
    def follow_dates(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request,
            queryset,
            lambda e: services.election_phase_resume_dates(election=e, by=request.user),
            gettext("las fases vuelven a seguir las fechas."),
        )

    @admin.action(description=_("Contar los votos de nuevo"), permissions=["run"])
    def count_again(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        self._each(
            request, queryset, lambda e: services.election_count(election=e), gettext("votos contados.")
        )


@admin.register(Candidacy)
class CandidacyAdmin(_RunMixin, AccessibleAdmin):
    list_display = ["name", "organization", "category", "gender", "status", "election"]
    list_filter = ["status", "category", "election"]
    list_select_related = ["organization", "election__term"]
    search_fields = ["name", "organization__legal_name"]
    readonly_fields = [
        "election",
        "organization",
        "category",
        "user",
        "name",
        "gender",
        "bio",
        "consent_to_publish",
        "status",
        "refusal_reason",
        "nominated_by",
        "nominated_at",
    ]
    actions = ["confirm", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Confirmar las candidaturas seleccionadas"), permissions=["run"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Candidacy]) -> None:
        for candidacy in queryset:
            try:
                services.candidacy_confirm(candidacy=candidacy, by=request.user)
            except services.ElectionRefusal as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return
        self.message_user(request, gettext("Candidaturas confirmadas."), messages.SUCCESS)

    @admin.action(
        description=_("Rechazar las candidaturas seleccionadas (con un motivo)"), permissions=["run"]
    )
    def refuse(self, request: HttpRequest, queryset: QuerySet[Candidacy]):
        reason = (request.POST.get("reason") or "").strip()
        if "confirm" in request.POST and reason:
            for candidacy in queryset:
                try:
                    services.candidacy_refuse(candidacy=candidacy, by=request.user, reason=reason)
                except services.ElectionRefusal as refusal:
                    self.message_user(request, str(refusal), messages.ERROR)
                    return None
            self.message_user(request, gettext("Candidaturas rechazadas."), messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/participants/organization/decision_reason.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Rechazar candidaturas"),
                "explanation": gettext("Diga por qué se rechaza la candidatura; la organización lo leerá."),
                "submit_label": gettext("Rechazar"),
                "organizations": list(queryset),
                "action": "refuse",
                "reason": reason,
                "error": gettext("Escriba el motivo del rechazo: la organización lo leerá.")
                if "confirm" in request.POST
                else "",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class LotDrawForm(forms.ModelForm):
    class Meta:
        model = LotDraw
        fields = ["election", "category", "winners", "note"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winners"].queryset = Candidacy.objects.filter(result__tied=True).select_related(
            "organization"
        )
        self.fields["winners"].help_text = _("Solo aparecen las candidaturas empatadas por sortear.")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.lot_check(
                    election=cleaned["election"],
                    category=cleaned["category"],
                    winners=list(cleaned["winners"]),
                    note=cleaned["note"],
                )
            except services.ElectionRefusal as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return cleaned


@admin.register(LotDraw)
class LotDrawAdmin(_RunMixin, AccessibleAdmin):
    form = LotDrawForm
    list_display = ["__str__", "election", "drawn_by", "drawn_at"]
    list_select_related = ["election__term", "drawn_by"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: LotDraw, form, change: bool) -> None:
        draw = services.lot_record(
            election=form.cleaned_data["election"],
            category=form.cleaned_data["category"],
            winners=list(form.cleaned_data["winners"]),
            note=form.cleaned_data["note"],
            by=request.user,
        )
        obj.pk = draw.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The service stored the lot's candidacies."""
