"""The Civil Society Council (COSOC): council, terms, memberships, sessions with their agenda, the members'
observations, attendance, minutes and agreements.

Who sees what is decided only in ``cosoc/permissions.py``; every write goes through ``cosoc/services.py``.
Elections (built by another app part) use :class:`Council`, :class:`Term` and :class:`Membership`.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from engine.files import UploadField
from engine.richtext import RichTextField
from participants.choices import GenderIdentity, OrganizationCategory
from participants.models import Organization

MEMBERS_GROUP = "COSOC members"
OBSERVATION_MAX_LENGTH = 2000


def _today() -> datetime.date:
    return timezone.localdate()


# --- Council, terms, memberships -------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    """How many members must be present, how many are, and whether that is enough."""

    required: int
    present: int
    sitting: int

    @property
    def is_met(self) -> bool:
        return self.present >= self.required


class Council(models.Model):
    """The council itself; its quorum rule is a number of members or a fraction of the sitting members."""

    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(
        _("qué es y cómo se compone"), blank=True, help_text=_("Texto breve y en lenguaje claro.")
    )
    seats = models.PositiveSmallIntegerField(_("número de integrantes"), default=20)
    quorum_number = models.PositiveSmallIntegerField(
        _("quórum: número de integrantes"),
        null=True,
        blank=True,
        help_text=_("Llene esto o la fracción, no ambos."),
    )
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quórum: numerador de la fracción"), null=True, blank=True
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quórum: denominador de la fracción"),
        null=True,
        blank=True,
        help_text=_("Por ejemplo 1 y 2: la mitad de los integrantes en ejercicio (redondeado hacia arriba)."),
    )

    class Meta:
        verbose_name = _("consejo")
        verbose_name_plural = _("consejos")
        constraints = [
            FieldCheckConstraint(
                condition=(
                    Q(quorum_number__gt=0, quorum_numerator__isnull=True, quorum_denominator__isnull=True)
                    | Q(
                        quorum_number__isnull=True,
                        quorum_numerator__gt=0,
                        quorum_denominator__gt=0,
                        quorum_numerator__lte=F("quorum_denominator"),
                    )
                ),
                name="cosoc_council_one_quorum_rule",
                field="quorum_number",
                violation_error_message=_(
                    "Indique el quórum como un número de integrantes o como una fracción (por ejemplo 1 de 2), "
                    "no ambos; la fracción no puede ser mayor que 1."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cosoc:index")

    def quorum_required(self, sitting: int) -> int:
        if self.quorum_number is not None:
            return self.quorum_number
        if self.quorum_numerator and self.quorum_denominator:
            return math.ceil(sitting * self.quorum_numerator / self.quorum_denominator)
        return sitting

    def quorum_rule_display(self) -> str:
        if self.quorum_number is not None:
            return _("%(number)s integrantes presentes") % {"number": self.quorum_number}
        return _("%(numerator)s de cada %(denominator)s integrantes en ejercicio") % {
            "numerator": self.quorum_numerator,
            "denominator": self.quorum_denominator,
        }


class TermQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> TermQuerySet:
        today = today or _today()
        return self.filter(start__lte=today, end__gte=today)


class Term(models.Model):
    """A two-year term of the council; only its active members review its sessions."""

    council = models.ForeignKey(
        Council, verbose_name=_("consejo"), on_delete=models.PROTECT, related_name="terms"
    )
    start = models.DateField(_("inicio"))
    end = models.DateField(_("término"))
    legal_basis = models.TextField(_("base legal"), blank=True)
    selection_method = models.TextField(_("cómo se eligen sus integrantes"), blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodo")
        verbose_name_plural = _("periodos")
        ordering = ["-start"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(start__lt=F("end")),
                name="cosoc_term_starts_before_end",
                field="end",
                violation_error_message=_("El periodo debe terminar después de empezar."),
            ),
        ]

    def __str__(self) -> str:
        return _("Periodo %(start)s–%(end)s") % {"start": self.start.year, "end": self.end.year}

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.council_id:
            overlapping = Term.objects.filter(
                council_id=self.council_id, start__lte=self.end, end__gte=self.start
            )
            if overlapping.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"start": _("Este periodo se superpone con otro periodo del mismo consejo.")}
                )

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or _today()
        return self.start <= today <= self.end


class Role(models.TextChoices):
    PRESIDENT = "president", _("Presidencia")
    VICE_PRESIDENT = "vice_president", _("Vicepresidencia")
    COUNCILLOR = "councillor", _("Consejera o consejero")


ROLE_ORDER = {Role.PRESIDENT: 0, Role.VICE_PRESIDENT: 1, Role.COUNCILLOR: 2}


class MembershipQuerySet(models.QuerySet):
    def active(self, today: datetime.date | None = None) -> MembershipQuerySet:
        """Sitting today: started, not ended, within its term."""
        today = today or _today()
        return self.filter(
            Q(end__isnull=True) | Q(end__gte=today),
            start__lte=today,
            term__start__lte=today,
            term__end__gte=today,
        )

    def sitting_on(self, day: datetime.date) -> MembershipQuerySet:
        """Members of their term on ``day`` (for a session's attendance and quorum)."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def by_role(self) -> MembershipQuerySet:
        return self.annotate(
            role_order=models.Case(
                *(models.When(role=role, then=models.Value(order)) for role, order in ROLE_ORDER.items()),
                output_field=models.IntegerField(),
            )
        ).order_by("role_order", "category", "public_name")


class Membership(models.Model):
    """A person's seat in one term, for one organisation of the registry. Members are public office holders:
    name, organisation, category and role are always public; gender only when the member agreed to publish it.
    Created and ended through ``cosoc.services`` (which keep the "COSOC members" group in step)."""

    term = models.ForeignKey(
        Term, verbose_name=_("periodo"), on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.PROTECT,
        related_name="cosoc_memberships",
    )
    public_name = models.CharField(_("nombre público"), max_length=150)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organización"),
        on_delete=models.PROTECT,
        related_name="cosoc_memberships",
    )
    category = models.PositiveSmallIntegerField(_("categoría"), choices=OrganizationCategory.choices)
    role = models.CharField(_("cargo"), max_length=20, choices=Role.choices, default=Role.COUNCILLOR)
    start = models.DateField(_("inicio"))
    end = models.DateField(_("término"), null=True, blank=True)
    reason_for_leaving = models.CharField(_("motivo del término"), max_length=300, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("reemplaza a"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutes",
    )
    published_gender = models.CharField(
        _("género que acepta publicar"),
        max_length=20,
        blank=True,
        choices=[(value, label) for value, label in GenderIdentity.choices if value != "prefer_not_to_say"],
        help_text=_("Solo si la persona aceptó publicarlo; en blanco, no se muestra ni se cuenta."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrante")
        verbose_name_plural = _("integrantes")
        ordering = ["term", "public_name"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="cosoc_membership_ends_after_start",
                field="end",
                violation_error_message=_("El término no puede ser anterior al inicio."),
            ),
            models.UniqueConstraint(
                fields=["term", "user"],
                condition=Q(end__isnull=True),
                name="cosoc_one_open_membership_per_term",
                violation_error_message=_("Esta persona ya es integrante de este periodo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_name} ({self.organization.legal_name})"

    def clean(self) -> None:
        super().clean()
        if self.end and not self.reason_for_leaving:
            raise ValidationError({"reason_for_leaving": _("Indique el motivo del término.")})

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or _today()
        return (
            self.start <= today
            and (self.end is None or self.end >= today)
            and self.term.start <= today <= self.term.end
        )


# --- Sessions and agenda ---------------------------------------------------------------------------------


class SessionKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinaria")
    EXTRAORDINARY = "extraordinary", _("Extraordinaria")


class SessionModality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    ONLINE = "online", _("En línea")
    HYBRID = "hybrid", _("Presencial y en línea")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planificada")
    AGENDA_PUBLISHED = "agenda_published", _("Tabla publicada")
    HELD = "held", _("Realizada")
    MINUTES_APPROVED = "minutes_approved", _("Acta aprobada")


PUBLIC_STATUSES = [SessionStatus.AGENDA_PUBLISHED, SessionStatus.HELD, SessionStatus.MINUTES_APPROVED]


class SessionQuerySet(models.QuerySet):
    def public(self) -> SessionQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def upcoming(self, today: datetime.date | None = None) -> SessionQuerySet:
        return self.filter(date__gte=today or _today())

    def upcoming_first(self, today: datetime.date | None = None) -> SessionQuerySet:
        """Upcoming sessions soonest first, then past ones newest first."""
        today = today or _today()
        return self.annotate(
            is_past=models.Case(
                models.When(date__lt=today, then=models.Value(1)),
                default=models.Value(0),
                output_field=models.IntegerField(),
            ),
            sort_key=models.Case(
                models.When(date__lt=today, then=models.Value(today) - F("date")),
                default=F("date") - models.Value(today),
                output_field=models.DurationField(),
            ),
        ).order_by("is_past", "sort_key", "pk")


class Session(models.Model):
    term = models.ForeignKey(
        Term, verbose_name=_("periodo"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("título"), max_length=200)
    kind = models.CharField(
        _("tipo"), max_length=20, choices=SessionKind.choices, default=SessionKind.ORDINARY
    )
    modality = models.CharField(
        _("modalidad"), max_length=20, choices=SessionModality.choices, default=SessionModality.IN_PERSON
    )
    date = models.DateField(_("fecha"), db_index=True)
    starts_at = models.TimeField(_("hora de inicio"))
    ends_at = models.TimeField(_("hora de término"))
    place = models.CharField(_("lugar"), max_length=300, blank=True)
    online_link = models.URLField(_("enlace para conectarse"), blank=True)
    recording_url = models.URLField(_("enlace a la grabación"), blank=True)
    status = models.CharField(
        _("estado"),
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        db_index=True,
    )
    agenda_published_at = models.DateTimeField(_("tabla publicada el"), null=True, blank=True, editable=False)
    agenda_changed_at = models.DateTimeField(_("tabla modificada el"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-date", "-starts_at"]
        permissions = [
            ("take_part_in_review", _("Participar en la revisión de tablas como secretaría ejecutiva")),
            ("manage_session_status", _("Cambiar el estado de las sesiones")),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="cosoc_session_starts_before_end",
                field="ends_at",
                violation_error_message=_("La sesión debe terminar después de empezar."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date, 'SHORT_DATE_FORMAT')})"

    def get_absolute_url(self) -> str:
        return reverse("cosoc:session", kwargs={"pk": self.pk})

    def get_review_url(self) -> str:
        return reverse("cosoc:review", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.modality in (SessionModality.IN_PERSON, SessionModality.HYBRID) and not self.place:
            raise ValidationError({"place": _("Indique el lugar de una sesión presencial.")})
        if self.modality in (SessionModality.ONLINE, SessionModality.HYBRID) and not self.online_link:
            raise ValidationError({"online_link": _("Indique el enlace de una sesión en línea.")})
        if self.term_id and self.date and not (self.term.start <= self.date <= self.term.end):
            raise ValidationError({"date": _("La fecha debe estar dentro del periodo del consejo.")})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def in_review(self) -> bool:
        """Members post observations on the agenda between its publication and the session."""
        return self.status == SessionStatus.AGENDA_PUBLISHED

    def starts(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    def ends(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends_at))


class InvitedParticipant(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="invited_participants"
    )
    name = models.CharField(_("nombre"), max_length=150)
    institution = models.CharField(_("institución"), max_length=200, blank=True)
    present = models.BooleanField(_("asistió"), default=False)

    class Meta:
        verbose_name = _("persona invitada")
        verbose_name_plural = _("personas invitadas")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})" if self.institution else self.name


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción en lenguaje claro"), blank=True)
    presenter = models.CharField(_("presenta"), max_length=200, blank=True)
    expected_decision = models.CharField(_("decisión esperada"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("punto de tabla")
        verbose_name_plural = _("puntos de tabla")
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def review_target(self) -> str:
        """What the review page's forms post as ``target`` (and its anchor)."""
        return f"item-{self.pk}"


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Público")
    MEMBERS = "members", _("Solo integrantes del consejo")


class AgendaDocument(models.Model):
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("punto de tabla"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("título"), max_length=200)
    file = UploadField(_("archivo"), prefix="cosoc/documents", name_field="file_name")
    file_name = models.CharField(_("nombre original"), max_length=255, blank=True, editable=False)
    visibility = models.CharField(
        _("quién lo ve"),
        max_length=10,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.MEMBERS,
    )

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_download_url(self) -> str:
        return reverse("cosoc:document", kwargs={"pk": self.pk})


class Observation(models.Model):
    """A member's (or the secretary's) observation on an agenda item or on the draft minutes; never public."""

    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="observations"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("punto de tabla"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observations",
    )
    minutes = models.ForeignKey(
        "Minutes",
        verbose_name=_("borrador de acta"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("responde a"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(_("nombre del autor"), max_length=150)
    text = models.TextField(_("observación"), validators=[MaxLengthValidator(OBSERVATION_MAX_LENGTH)])
    created_at = models.DateTimeField(_("enviada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, minutes__isnull=True)
                | Q(item__isnull=True, minutes__isnull=False),
                name="cosoc_observation_on_item_or_minutes",
                violation_error_message=_(
                    "Una observación es sobre un punto de tabla o sobre el borrador del acta."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Presente")
    ABSENT = "absent", _("Ausente")
    EXCUSED = "excused", _("Ausente con excusa")


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="attendance"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("integrante"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("asistencia"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencia")
        ordering = ["session", "membership__public_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"],
                name="cosoc_attendance_once_per_member",
                violation_error_message=_("La asistencia de esta persona ya está registrada."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.public_name}: {self.get_status_display()}"


# --- Minutes and agreements ------------------------------------------------------------------------------


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SHARED = "shared", _("Borrador compartido con el consejo")
    APPROVED = "approved", _("Aprobada")


class Minutes(models.Model):
    """One version of a session's minutes. An approved version never changes: a correction is a new version."""

    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="minutes"
    )
    version = models.PositiveSmallIntegerField(_("versión"), default=1, editable=False)
    status = models.CharField(
        _("estado"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT, editable=False
    )
    started_at = models.TimeField(_("hora de inicio"), null=True, blank=True)
    ended_at = models.TimeField(_("hora de término"), null=True, blank=True)
    executive_secretary = models.CharField(_("secretaría ejecutiva"), max_length=150, blank=True)
    body = RichTextField(_("resumen por punto de tabla"), blank=True)
    correction_note = models.CharField(
        _("qué corrige esta versión"), max_length=300, blank=True, help_text=_("Solo en una corrección.")
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    approved_at = models.DateTimeField(_("aprobada el"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("acta")
        verbose_name_plural = _("actas")
        ordering = ["session", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "version"],
                name="cosoc_minutes_one_version_number",
                violation_error_message=_("Esta versión del acta ya existe."),
            ),
        ]

    def __str__(self) -> str:
        return _("Acta de %(session)s, versión %(version)s") % {
            "session": self.session,
            "version": self.version,
        }

    def get_absolute_url(self) -> str:
        return reverse("cosoc:minutes", kwargs={"pk": self.session_id})

    @property
    def review_target(self) -> str:
        return f"minutes-{self.pk}"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class AgreementStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En curso")
    DONE = "done", _("Cumplido")
    DROPPED = "dropped", _("Desestimado")


OPEN_AGREEMENT_STATUSES = [AgreementStatus.PENDING, AgreementStatus.IN_PROGRESS]


class AgreementQuerySet(models.QuerySet):
    def public(self) -> AgreementQuerySet:
        return self.filter(session__status=SessionStatus.MINUTES_APPROVED)

    def with_overdue(self, today: datetime.date | None = None) -> AgreementQuerySet:
        today = today or _today()
        return self.annotate(
            is_overdue=models.Case(
                models.When(status__in=OPEN_AGREEMENT_STATUSES, due_date__lt=today, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Agreement(models.Model):
    """An agreement of a session; public, with its progress, once the session's minutes are approved."""

    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="agreements"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("punto de tabla"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    text = models.TextField(_("acuerdo"))
    responsible = models.CharField(_("responsable (unidad o persona)"), max_length=200)
    due_date = models.DateField(_("plazo"), null=True, blank=True)
    status = models.CharField(
        _("estado"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PENDING,
        db_index=True,
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["-session__date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("cosoc:agreements") + f"#acuerdo-{self.pk}"

    def is_overdue_on(self, today: datetime.date | None = None) -> bool:
        today = today or _today()
        return bool(self.status in OPEN_AGREEMENT_STATUSES and self.due_date and self.due_date < today)


class AgreementProgress(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("acuerdo"), on_delete=models.CASCADE, related_name="progress"
    )
    date = models.DateField(_("fecha"), default=_today)
    text = models.TextField(_("avance"))

    class Meta:
        verbose_name = _("avance")
        verbose_name_plural = _("avances")
        ordering = ["agreement", "date", "pk"]

    def __str__(self) -> str:
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')}: {self.text[:60]}"
