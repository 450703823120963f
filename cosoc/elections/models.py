"""COSOC elections: dated phases, seats per category, a voter roll frozen at the accreditation cut-off,
candidacies, one secret ballot per organisation in its own category, and results with turnout.

Secrecy by design: :class:`VoteRecord` says *that* an organisation voted (and when); :class:`Ballot` and
:class:`BallotChoice` say *what* was chosen. Nothing links them: a ballot has a random UUID key (no sequence,
so no order), no timestamp, no organisation and no representative; it is read only by category and counted.
Both are written in one transaction, so a refused second vote leaves neither (``VoteRecord`` is unique per
election and organisation: the database refuses the second one whatever the race).

Loaded from ``cosoc/models.py`` (app label ``cosoc``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from participants.choices import GenderIdentity, OrganizationCategory
from participants.models import Organization

__all__ = [
    "PHASE_ORDER",
    "Ballot",
    "BallotChoice",
    "Candidacy",
    "CandidacyStatus",
    "CandidateResult",
    "CategoryResult",
    "Election",
    "LotDraw",
    "Phase",
    "RollEntry",
    "SeatAllocation",
    "TieRule",
    "VoteRecord",
]


class Phase(models.TextChoices):
    """In order; each starts at its own date and hour (``Election.PHASE_STARTS``)."""

    DRAFT = "draft", _("En preparación")
    REGISTRATION = "registration", _("Inscripción de organizaciones")
    ACCREDITATION = "accreditation", _("Acreditación")
    ROLL_PUBLISHED = "roll_published", _("Padrón de organizaciones acreditadas publicado")
    CANDIDACIES = "candidacies", _("Presentación de candidaturas")
    CANDIDATES_PUBLISHED = "candidates_published", _("Candidaturas publicadas")
    VOTING = "voting", _("Votación")
    COUNTING = "counting", _("Escrutinio")
    RESULTS = "results", _("Resultados publicados")


PHASE_ORDER = list(Phase.values)


class TieRule(models.TextChoices):
    GENDER_THEN_LOT = "gender_then_lot", _("Primero equilibrio de género; si persiste, sorteo")
    LOT = "lot", _("Sorteo")


class ElectionQuerySet(models.QuerySet):
    def announced(self) -> ElectionQuerySet:
        return self.exclude(phase=Phase.DRAFT)

    def not_finished(self) -> ElectionQuerySet:
        return self.exclude(phase=Phase.RESULTS)


class Election(models.Model):
    """The election of the council's members for ``term``. The phase moves by itself at each date
    (``services.election_phases_sweep``, every few minutes by Celery beat) unless staff took it over."""

    term = models.OneToOneField(
        "cosoc.Term",
        verbose_name=_("periodo que se elige"),
        on_delete=models.PROTECT,
        related_name="election",
    )
    registration_opens_at = models.DateTimeField(_("abre la inscripción"))
    accreditation_starts_at = models.DateTimeField(
        _("cierra la inscripción y empieza la acreditación"),
        help_text=_("Las organizaciones que postulen después no entran en esta elección."),
    )
    roll_published_at = models.DateTimeField(
        _("corte de acreditación: se congela y publica el padrón"),
        help_text=_(
            "Las organizaciones acreditadas a esta hora, cada una en su categoría, forman el padrón."
        ),
    )
    candidacies_open_at = models.DateTimeField(_("abre la presentación de candidaturas"))
    candidacies_close_at = models.DateTimeField(_("cierra la presentación de candidaturas"))
    voting_opens_at = models.DateTimeField(_("abre la votación"))
    voting_closes_at = models.DateTimeField(_("cierra la votación"))
    results_published_at = models.DateTimeField(_("se publican los resultados"))
    choices_per_ballot = models.PositiveSmallIntegerField(
        _("preferencias por voto"),
        default=1,
        help_text=_("Cuántas candidaturas puede marcar cada organización (también puede votar en blanco)."),
    )
    tie_rule = models.CharField(
        _("regla de desempate"), max_length=20, choices=TieRule.choices, default=TieRule.GENDER_THEN_LOT
    )
    phase = models.CharField(_("fase"), max_length=24, choices=Phase.choices, default=Phase.DRAFT)
    phase_set_by_staff = models.BooleanField(
        _("fase fijada por el equipo"),
        default=False,
        help_text=_("Mientras esté marcada, la fase no cambia sola con las fechas."),
    )
    blocked_reason = models.TextField(_("por qué no avanzó"), blank=True)
    roll_frozen_at = models.DateTimeField(_("padrón congelado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        app_label = "cosoc"
        verbose_name = _("elección del COSOC")
        verbose_name_plural = _("elecciones del COSOC")
        ordering = ["-voting_opens_at"]
        permissions = [
            ("run_election", _("Puede mover las fases, congelar el padrón y escrutar una elección")),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(registration_opens_at__lt=F("accreditation_starts_at"))
                & Q(accreditation_starts_at__lt=F("roll_published_at"))
                & Q(roll_published_at__lte=F("candidacies_open_at"))
                & Q(candidacies_open_at__lt=F("candidacies_close_at"))
                & Q(candidacies_close_at__lte=F("voting_opens_at"))
                & Q(voting_opens_at__lt=F("voting_closes_at"))
                & Q(voting_closes_at__lte=F("results_published_at")),
                name="cosoc_election_phases_in_order",
                field="voting_opens_at",
                violation_error_message=_(
                    "Las fechas deben ir en orden: inscripción, acreditación, padrón, candidaturas, votación "
                    "y resultados."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(choices_per_ballot__gte=1),
                name="cosoc_election_at_least_one_choice",
                field="choices_per_ballot",
                violation_error_message=_("Cada voto debe permitir marcar al menos una candidatura."),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Elección del COSOC, periodo %(start)s–%(end)s")
            % {
                "start": self.term.start.year,
                "end": self.term.end.year,
            }
        )

    def get_absolute_url(self) -> str:
        return reverse("cosoc:elections:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """What notifications call it, in the language active when they are written (each in turn)."""
        return str(self)

    # Which date starts which phase (COUNTING starts when voting closes).
    PHASE_STARTS = {
        Phase.REGISTRATION: "registration_opens_at",
        Phase.ACCREDITATION: "accreditation_starts_at",
        Phase.ROLL_PUBLISHED: "roll_published_at",
        Phase.CANDIDACIES: "candidacies_open_at",
        Phase.CANDIDATES_PUBLISHED: "candidacies_close_at",
        Phase.VOTING: "voting_opens_at",
        Phase.COUNTING: "voting_closes_at",
        Phase.RESULTS: "results_published_at",
    }

    def due_phase(self, now=None) -> str:
        """The phase the dates call for now."""
        now = now or timezone.now()
        due = Phase.DRAFT
        for phase, field in self.PHASE_STARTS.items():
            if getattr(self, field) <= now:
                due = phase
        return due

    def is_at_least(self, phase: str) -> bool:
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(phase)

    @property
    def voting_is_open(self) -> bool:
        now = timezone.now()
        return self.phase == Phase.VOTING and self.voting_opens_at <= now < self.voting_closes_at

    @property
    def roll_is_public(self) -> bool:
        return self.roll_frozen_at is not None and self.is_at_least(Phase.ROLL_PUBLISHED)

    @property
    def candidates_are_public(self) -> bool:
        return self.is_at_least(Phase.CANDIDATES_PUBLISHED)

    @property
    def results_are_public(self) -> bool:
        return self.phase == Phase.RESULTS

    def timeline(self) -> list[tuple[str, str, object]]:
        """(phase, label, starts at) in order, for the public page."""
        return [
            (phase, Phase(phase).label, getattr(self, field)) for phase, field in self.PHASE_STARTS.items()
        ]


class SeatAllocation(models.Model):
    """How many seats a category elects (20 in total, configurable)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="seats")
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    seats = models.PositiveSmallIntegerField(_("cupos"))

    class Meta:
        app_label = "cosoc"
        verbose_name = _("cupos de una categoría")
        verbose_name_plural = _("cupos por categoría")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "category"],
                name="cosoc_one_seat_allocation_per_category",
                violation_error_message=_("Esta categoría ya tiene sus cupos en esta elección."),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Categoría %(category)s: %(seats)s cupos") % {"category": self.category, "seats": self.seats}
        )


class RollEntry(models.Model):
    """An organisation on the voter roll, in the category it had at the accreditation cut-off."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.PROTECT, related_name="election_roll"
    )
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    legal_name = models.CharField(_("nombre legal al corte"), max_length=200)
    region = models.CharField(_("región"), max_length=20)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("organización del padrón")
        verbose_name_plural = _("padrón")
        ordering = ["category", "legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "organization"],
                name="cosoc_once_on_the_roll",
                violation_error_message=_("Esta organización ya está en el padrón."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.category})"


class CandidacyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Presentada")
    CONFIRMED = "confirmed", _("Confirmada")
    REFUSED = "refused", _("Rechazada")


class Candidacy(models.Model):
    """A person an organisation on the roll puts forward in its own category."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.PROTECT, related_name="candidacies"
    )
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta de la persona"),
        on_delete=models.PROTECT,
        related_name="cosoc_candidacies",
        help_text=_("Si resulta electa, integra el consejo con esta cuenta."),
    )
    name = models.CharField(_("nombre de la persona"), max_length=150)
    gender = models.CharField(
        _("género"),
        max_length=20,
        choices=[(value, label) for value, label in GenderIdentity.choices if value != "prefer_not_to_say"],
    )
    bio = models.TextField(_("presentación breve"), max_length=600)
    consent_to_publish = models.BooleanField(
        _("acepta que se publiquen su nombre, género, organización y presentación"), default=False
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=CandidacyStatus.choices, default=CandidacyStatus.PROPOSED
    )
    refusal_reason = models.TextField(_("motivo del rechazo"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("presentada por"),
    )
    nominated_at = models.DateTimeField(_("presentada el"), default=timezone.now)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("candidatura")
        verbose_name_plural = _("candidaturas")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"],
                name="cosoc_one_candidacy_per_person",
                violation_error_message=_("Esta persona ya tiene una candidatura en esta elección."),
            ),
            FieldCheckConstraint(
                condition=Q(consent_to_publish=True),
                name="cosoc_candidacy_consents_to_publish",
                field="consent_to_publish",
                violation_error_message=_("La persona debe aceptar que se publique su candidatura."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization.legal_name})"


class VoteRecord(models.Model):
    """That an organisation voted, and when: never what. One per election and organisation (the database
    refuses a second one)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="vote_records")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    voted_at = models.DateTimeField(_("votó el"))

    class Meta:
        app_label = "cosoc"
        verbose_name = _("participación")
        verbose_name_plural = _("participación")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "organization"],
                name="cosoc_one_ballot_per_organization",
                violation_error_message=_("Su organización ya votó en esta elección."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} @ {self.election_id}"


class Ballot(models.Model):
    """The content of one vote, apart from who cast it: a random key, its category, blank or not. No date, no
    organisation, no person, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    is_blank = models.BooleanField(_("en blanco"), default=False)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("voto")
        verbose_name_plural = _("votos")
        # No order of insertion exists to show; a random key gives none either.
        ordering = ["id"]

    def __str__(self) -> str:
        return str(_("Voto"))


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        app_label = "cosoc"
        verbose_name = _("preferencia")
        verbose_name_plural = _("preferencias")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "candidacy"],
                name="cosoc_one_mark_per_candidacy",
                violation_error_message=_("Cada candidatura se marca una vez por voto."),
            )
        ]

    def __str__(self) -> str:
        return str(self.candidacy_id)


class CategoryResult(models.Model):
    """A category's count: ballots, blank ones and turnout against the frozen roll."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="category_results")
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    on_roll = models.PositiveIntegerField(_("organizaciones en el padrón"))
    voted = models.PositiveIntegerField(_("organizaciones que votaron"))
    blank = models.PositiveIntegerField(_("votos en blanco"))
    tie_pending = models.BooleanField(_("empate por sortear"), default=False)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("resultado de una categoría")
        verbose_name_plural = _("resultados por categoría")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["election", "category"], name="cosoc_one_result_per_category")
        ]

    def __str__(self) -> str:
        return str(_("Categoría %(category)s") % {"category": self.category})

    @property
    def turnout(self) -> float | None:
        return self.voted / self.on_roll if self.on_roll else None


class CandidateResult(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidate_results")
    candidacy = models.OneToOneField(Candidacy, on_delete=models.CASCADE, related_name="result")
    votes = models.PositiveIntegerField(_("votos"))
    elected = models.BooleanField(_("electa"), default=False)
    tied = models.BooleanField(_("en empate por sortear"), default=False)
    decided_by = models.CharField(_("cómo se decidió"), max_length=20, blank=True)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("resultado de una candidatura")
        verbose_name_plural = _("resultados por candidatura")
        ordering = ["candidacy__category", "-votes", "candidacy__name"]

    def __str__(self) -> str:
        return f"{self.candidacy}: {self.votes}"


class LotDraw(models.Model):
    """A lot staff drew to break a tie, recorded with who drew it and who won."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="lot_draws")
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    winners = models.ManyToManyField(Candidacy, related_name="+", verbose_name=_("candidaturas favorecidas"))
    among = models.ManyToManyField(Candidacy, related_name="+", verbose_name=_("candidaturas empatadas"))
    note = models.TextField(_("cómo se hizo el sorteo"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sorteado por")
    )
    drawn_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        app_label = "cosoc"
        verbose_name = _("sorteo de desempate")
        verbose_name_plural = _("sorteos de desempate")

    def __str__(self) -> str:
        return str(_("Sorteo, categoría %(category)s") % {"category": self.category})


def check_seats(election: Election, seats: dict[int, int]) -> None:
    """Seats per category add up to the council's size."""
    total = sum(seats.values())
    expected = election.term.council.seats
    if total != expected:
        raise ValidationError(
            _("Los cupos suman %(total)s; el consejo tiene %(expected)s integrantes.")
            % {"total": total, "expected": expected}
        )
