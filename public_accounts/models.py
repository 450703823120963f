"""The yearly participatory public account (Law 20.500 art. 72): its phases, content, citizens' questions and
the public answers document."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from engine.files import UploadField
from engine.richtext import RichTextField


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def default_answer_days() -> int:
    return settings.PUBLIC_ACCOUNT_ANSWER_DAYS


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    ONLINE = "online", _("En línea")
    BOTH = "both", _("Presencial y en línea")


class Phase(models.TextChoices):
    """In the order they happen; each starts at its date on the account."""

    DRAFT = "draft", _("Borrador")
    COSOC_REVIEW = "cosoc_review", _("Revisión del borrador por el COSOC")
    PREVIEW = "preview", _("Vista previa del equipo")
    PUBLISHED = "published", _("Resumen publicado")
    PRESENTATION = "presentation", _("Presentación")
    QUESTIONS = "questions", _("Preguntas abiertas")
    ANSWERING = "answering", _("Respuestas en preparación")
    ANSWERS = "answers", _("Respuestas publicadas")
    OBSERVATIONS = "observations", _("Observaciones del COSOC publicadas")


PUBLIC_PHASES = (
    Phase.PUBLISHED,
    Phase.PRESENTATION,
    Phase.QUESTIONS,
    Phase.ANSWERING,
    Phase.ANSWERS,
    Phase.OBSERVATIONS,
)
# (date field, the phase it starts), latest first: the first date already reached names the phase.
PHASE_DATES = (
    ("observations_published_at", Phase.OBSERVATIONS),
    ("answers_published_at", Phase.ANSWERS),
    ("questions_close_at", Phase.ANSWERING),
    ("questions_open_at", Phase.QUESTIONS),
    ("presentation_at", Phase.PRESENTATION),
    ("published_at", Phase.PUBLISHED),
    ("preview_at", Phase.PREVIEW),
    ("cosoc_review_at", Phase.COSOC_REVIEW),
)


class PublicAccountQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None) -> PublicAccountQuerySet:
        """Accounts whose summary is out: by their dates, or set public by staff."""
        now = now or timezone.now()
        return self.filter(Q(phase_override__in=PUBLIC_PHASES) | Q(phase_override="", published_at__lte=now))

    def open_for_questions(self, now: datetime | None = None) -> PublicAccountQuerySet:
        now = now or timezone.now()
        return self.filter(
            Q(phase_override=Phase.QUESTIONS)
            | Q(
                phase_override="",
                questions_open_at__lte=now,
                questions_close_at__gt=now,
                published_at__lte=now,
            )
        ).exclude(phase_override="", answers_published_at__lte=now)

    def with_answers_out(self) -> PublicAccountQuerySet:
        return self.public().filter(answers_published_at__isnull=False)


# The account row its public page keeps (selectors.account_access), by year.
SHARED_ROW_KEY = "public_accounts:account:{year}"


class PublicAccount(models.Model):
    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    period = models.CharField(
        _("período informado"), max_length=120, help_text=_("Por ejemplo: enero a diciembre de 2025.")
    )
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(
        _("resumen en lenguaje claro"),
        help_text=_(
            "Se muestra primero. Frases cortas, sin siglas: qué hizo SERMIG y cómo usó su presupuesto."
        ),
    )
    modality = models.CharField(
        _("modalidad"), max_length=16, choices=Modality.choices, default=Modality.BOTH
    )
    cosoc_review_at = models.DateTimeField(
        _("revisión del borrador por el COSOC desde"), null=True, blank=True
    )
    preview_at = models.DateTimeField(_("vista previa del equipo desde"), null=True, blank=True)
    published_at = models.DateTimeField(_("resumen publicado el"))
    presentation_at = models.DateTimeField(_("presentación el"), null=True, blank=True)
    questions_open_at = models.DateTimeField(_("preguntas abren el"))
    questions_close_at = models.DateTimeField(_("preguntas cierran el"))
    answer_days = models.PositiveSmallIntegerField(
        _("días para responder"),
        default=default_answer_days,
        help_text=_("Plazo de cada respuesta, contado desde el cierre de las preguntas."),
    )
    answers_published_at = models.DateTimeField(
        _("respuestas publicadas el"),
        null=True,
        blank=True,
        help_text=_("Lo fija «Publicar todas las respuestas aprobadas»."),
    )
    observations_published_at = models.DateTimeField(
        _("observaciones del COSOC publicadas el"), null=True, blank=True
    )
    phase_override = models.CharField(
        _("fase fijada por el equipo"),
        max_length=16,
        choices=Phase.choices,
        blank=True,
        help_text=_("Déjelo vacío para que la fase siga las fechas."),
    )
    cosoc_observations = RichTextField(_("observaciones del COSOC"), blank=True)
    cosoc_document = UploadField(
        _("documento de observaciones del COSOC"),
        prefix="public_accounts/cosoc",
        name_field="cosoc_document_name",
        blank=True,
    )
    cosoc_document_name = models.CharField(max_length=255, blank=True, editable=False)
    cosoc_url = models.URLField(
        _("enlace a la sesión del COSOC"), blank=True, help_text=_("La página de la sesión en el portal.")
    )
    last_notified_phase = models.CharField(max_length=16, blank=True, editable=False)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = PublicAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuenta pública")
        verbose_name_plural = _("cuentas públicas")
        ordering = ["-year"]
        permissions = [("publish_answers", _("Puede publicar todas las respuestas aprobadas"))]
        constraints = [
            FieldCheckConstraint(
                condition=Q(questions_open_at__lt=F("questions_close_at")),
                name="public_account_questions_open_before_closing",
                field="questions_close_at",
                violation_error_message=_(
                    "Las preguntas deben cerrar después de abrir: elija un cierre posterior."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(published_at__lte=F("questions_open_at")),
                name="public_account_published_before_questions",
                field="questions_open_at",
                violation_error_message=_(
                    "Las preguntas abren después de publicar el resumen: elija una apertura posterior."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        # The account's page keeps its row for a while (selectors.account_access(shared=True)): a change by
        # staff shows at once (dropped now, and again at commit in case a reader kept the old row meanwhile).
        # Phases need nothing: they are read from the dates on each request.
        key = SHARED_ROW_KEY.format(year=self.year)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))

    def get_absolute_url(self) -> str:
        return reverse("public_accounts:detail", kwargs={"year": self.year})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if (
            self.questions_close_at
            and self.answers_published_at
            and self.answers_published_at < self.questions_close_at
        ):
            errors["answers_published_at"] = _(
                "Las respuestas se publican después del cierre de las preguntas (%(date)s)."
            ) % {"date": _when(self.questions_close_at)}
        if self.cosoc_review_at and self.published_at and self.cosoc_review_at > self.published_at:
            errors["cosoc_review_at"] = _("El COSOC revisa el borrador antes de publicar el resumen.")
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now: datetime | None = None) -> str:
        if self.phase_override:
            return self.phase_override
        now = now or timezone.now()
        for field, phase in PHASE_DATES:
            moment = getattr(self, field)
            if moment is not None and moment <= now:
                return phase
        return Phase.DRAFT

    @property
    def phase(self) -> str:
        return self.phase_at()

    def get_phase_display(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def is_public(self) -> bool:
        return self.phase in PUBLIC_PHASES

    @property
    def is_open_for_questions(self) -> bool:
        return self.phase == Phase.QUESTIONS

    @property
    def observations_are_public(self) -> bool:
        """COSOC's observations show once their date has come (or staff set that phase)."""
        has_content = bool(self.cosoc_observations or self.cosoc_document)
        return has_content and self.phase == Phase.OBSERVATIONS

    @property
    def answer_deadline(self) -> date:
        """The day every answer is due: configurable days after the questions close."""
        return timezone.localtime(self.questions_close_at).date() + timedelta(days=self.answer_days)

    @property
    def accepts_online_questions(self) -> bool:
        return self.modality in (Modality.ONLINE, Modality.BOTH)


class PresentationEvent(models.Model):
    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("título"), max_length=200)
    starts_at = models.DateTimeField(_("comienza"))
    ends_at = models.DateTimeField(_("termina"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    online_url = models.URLField(_("enlace para seguirla en línea"), blank=True)
    video_url = models.URLField(_("video de la presentación"), blank=True)

    class Meta:
        verbose_name = _("presentación")
        verbose_name_plural = _("presentaciones")
        ordering = ["starts_at"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="public_account_event_starts_before_ending",
                field="ends_at",
                violation_error_message=_("La presentación debe terminar después de comenzar."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not (self.place or self.online_url or self.video_url):
            raise ValidationError(_("Indique un lugar, un enlace en línea o un video (o varios)."))


class Section(models.Model):
    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    title = models.CharField(_("título"), max_length=200)
    body = RichTextField(_("texto"), blank=True)

    class Meta:
        verbose_name = _("sección")
        verbose_name_plural = _("secciones")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"seccion-{self.pk}"


class BudgetLine(models.Model):
    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="budget_lines")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    program = models.CharField(_("programa"), max_length=200)
    budget = models.DecimalField(_("presupuesto (pesos)"), max_digits=16, decimal_places=0)
    executed = models.DecimalField(_("ejecutado (pesos)"), max_digits=16, decimal_places=0)

    class Meta:
        verbose_name = _("línea de ejecución presupuestaria")
        verbose_name_plural = _("ejecución presupuestaria")
        ordering = ["order", "pk"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(budget__gte=0),
                name="public_account_budget_not_negative",
                field="budget",
                violation_error_message=_("El presupuesto no puede ser negativo."),
            ),
            FieldCheckConstraint(
                condition=Q(executed__gte=0),
                name="public_account_executed_not_negative",
                field="executed",
                violation_error_message=_("Lo ejecutado no puede ser negativo."),
            ),
        ]

    def __str__(self) -> str:
        return self.program

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.executed * 100 / self.budget).quantize(Decimal("0.1"))


class Attachment(models.Model):
    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("título"), max_length=200)
    file = UploadField(_("archivo"), prefix="public_accounts/attachments", name_field="file_name")
    file_name = models.CharField(_("nombre original"), max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("documento adjunto")
        verbose_name_plural = _("documentos adjuntos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    def get_download_url(self) -> str:
        return reverse("public_accounts:attachment", kwargs={"year": self.account.year, "pk": self.pk})


class Commitment(models.Model):
    """A commitment ("desafío") SERMIG made in an account; next year's account reports its status."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Por comenzar")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Cumplido")
        DROPPED = "dropped", _("No se realizará")

    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="commitments")
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("compromiso"), max_length=300)
    responsible_unit = models.CharField(_("unidad responsable"), max_length=200, blank=True)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.PENDING)
    status_note = models.TextField(_("cómo va"), blank=True)

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Channel(models.TextChoices):
    ONLINE = "online", _("En línea")
    IN_PERSON = "in_person", _("Presencial")


class Kind(models.TextChoices):
    QUESTION = "question", _("Pregunta")
    OBSERVATION = "observation", _("Observación")


class Status(models.TextChoices):
    PENDING = "pending", _("Por moderar")
    ACCEPTED = "accepted", _("Aceptada")
    MERGED = "merged", _("Unida a otra igual")
    REJECTED = "rejected", _("Rechazada")


class AnswerState(models.TextChoices):
    NONE = "", _("Sin respuesta")
    DRAFT = "draft", _("Borrador")
    APPROVED = "approved", _("Aprobada")
    PUBLISHED = "published", _("Publicada")


class PublicStatus(models.TextChoices):
    """What everyone reads of an accepted question."""

    RECEIVED = "received", _("Recibida")
    IN_PROCESS = "in_process", _("En proceso")
    ANSWERED = "answered", _("Respondida")


class QuestionQuerySet(models.QuerySet):
    def accepted(self) -> QuestionQuerySet:
        return self.filter(status=Status.ACCEPTED)

    def published(self) -> QuestionQuerySet:
        return self.filter(status=Status.ACCEPTED, answer_state=AnswerState.PUBLISHED)

    def unanswered(self) -> QuestionQuerySet:
        return self.filter(status=Status.ACCEPTED).exclude(answer_state=AnswerState.PUBLISHED)

    def overdue(self, today: date | None = None) -> QuestionQuerySet:
        today = today or timezone.localdate()
        return self.unanswered().filter(due_date__lt=today)


class Question(models.Model):
    account = models.ForeignKey(
        PublicAccount, verbose_name=_("cuenta pública"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("sección"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    topic = models.CharField(_("tema"), max_length=120, blank=True)
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField(_("texto"))
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default="es")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="account_questions"
    )
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    contact = models.CharField(
        _("contacto para entregar la respuesta"),
        max_length=200,
        blank=True,
        help_text=_("Correo o teléfono; opcional. Solo lo ve el equipo."),
    )
    # The same person sending the same text again (a double click, a reload) finds the first one.
    text_hash = models.CharField(max_length=64, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recibida el"), default=timezone.now)
    status = models.CharField(_("moderación"), max_length=16, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(
        _("motivo del rechazo"), blank=True, help_text=_("Lo lee la persona que preguntó.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("unida a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    unit = models.ForeignKey(
        Group, verbose_name=_("unidad que responde"), on_delete=models.SET_NULL, null=True, blank=True
    )
    due_date = models.DateField(_("plazo de respuesta"), null=True, blank=True)
    answer = models.TextField(_("respuesta"), blank=True)
    answer_state = models.CharField(
        _("estado de la respuesta"), max_length=16, choices=AnswerState.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("respondida el"), null=True, blank=True)
    reminded_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pregunta u observación")
        verbose_name_plural = _("preguntas y observaciones")
        ordering = ["created_at", "pk"]
        permissions = [
            ("moderate_question", _("Puede moderar preguntas de la cuenta pública")),
            ("answer_question", _("Puede redactar respuestas de la cuenta pública")),
            ("approve_answer", _("Puede aprobar respuestas de la cuenta pública")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "participant", "text_hash"], name="public_account_question_once"
            ),
            FieldCheckConstraint(
                condition=~Q(status=Status.MERGED) | Q(merged_into__isnull=False),
                name="public_account_merged_has_target",
                field="merged_into",
                violation_error_message=_("Elija la pregunta a la que se une esta."),
            ),
            FieldCheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejection_reason=""),
                name="public_account_rejection_has_reason",
                field="rejection_reason",
                violation_error_message=_("Escriba el motivo del rechazo: la persona lo leerá."),
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status", "answer_state"]),
            # The account page lists a page of questions oldest first without sorting them all.
            models.Index(fields=["account", "created_at", "id"], name="public_acco_question_listed"),
        ]

    def __str__(self) -> str:
        return _("N.º %(number)s: %(text)s") % {"number": self.pk, "text": self.text[:60]}

    def get_absolute_url(self) -> str:
        return reverse("public_accounts:question", kwargs={"year": self.account.year, "pk": self.pk})

    @property
    def public_status(self) -> str:
        if self.answer_state == AnswerState.PUBLISHED:
            return PublicStatus.ANSWERED
        if self.unit_id or self.answer_state:
            return PublicStatus.IN_PROCESS
        return PublicStatus.RECEIVED

    def get_public_status_display(self) -> str:
        return str(PublicStatus(self.public_status).label)

    @property
    def about(self) -> str:
        return self.section.title if self.section_id and self.section else self.topic

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == Status.ACCEPTED
            and self.answer_state != AnswerState.PUBLISHED
            and self.due_date is not None
            and self.due_date < today
        )


class QuestionNote(models.Model):
    """An internal note on a question: only staff who handle it read these."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("nota interna"))
    created_at = models.DateTimeField(_("escrita el"), default=timezone.now)

    class Meta:
        verbose_name = _("nota interna")
        verbose_name_plural = _("notas internas")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class AnswersDocument(models.Model):
    """One dated version of the public answers document; publishing again makes the next version."""

    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="answer_documents")
    version = models.PositiveSmallIntegerField(_("versión"))
    published_at = models.DateTimeField(_("publicado el"), default=timezone.now)
    question_count = models.PositiveIntegerField(_("preguntas respondidas"), default=0)
    file = UploadField(_("PDF"), prefix="public_accounts/answers", name_field="file_name", types=["pdf"])
    file_name = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("documento de respuestas")
        verbose_name_plural = _("documentos de respuestas")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["account", "version"], name="public_account_answers_version_once")
        ]

    def __str__(self) -> str:
        return _("Respuestas %(year)s, versión %(version)s") % {
            "year": self.account.year,
            "version": self.version,
        }

    def get_download_url(self) -> str:
        return reverse(
            "public_accounts:answers-pdf", kwargs={"year": self.account.year, "version": self.version}
        )


class EmailConfirmation(models.Model):
    """A one-time link confirming an email for someone who asks without an account (the consultations'
    pattern). The address is kept: the answer is delivered to it."""

    account = models.ForeignKey(PublicAccount, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    nonce = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.account_id}:{self.nonce}"
