from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from engine.files import UploadField
from engine.models import DISAGGREGATION_ATTRIBUTES
from engine.reports.tables import category_codes, category_label
from participants.choices import Region
from participants.models import Participant


def _when(moment) -> str:
    """A date and time as staff read it in messages ("3 de diciembre de 2026 a las 18:00")."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class Modality(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    IN_PERSON = "in_person", _("Presencial (diálogos participativos)")
    HYBRID = "hybrid", _("Virtual y presencial")


class Scope(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    REGIONAL = "regional", _("Regional")


class Phase(models.TextChoices):
    DRAFT = "draft", _("En preparación")
    ANNOUNCED = "announced", _("Anunciada")
    OPEN = "open", _("Abierta")
    CLOSED = "closed", _("Cerrada, en sistematización")
    RESULTS = "results", _("Resultados publicados")
    RESPONSE = "response", _("Respuesta publicada")


class ConsultationPlan(models.Model):
    """The yearly consultation plan, published in the first quarter."""

    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(_("resumen"), blank=True)
    document = UploadField(
        _("documento"), prefix="consultations/plans", name_field="document_name", blank=True
    )
    document_name = models.CharField(
        _("nombre original del documento"), max_length=255, blank=True, editable=False
    )
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan de consultas")
        verbose_name_plural = _("planes de consultas")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:plan", kwargs={"year": self.year})

    def get_download_url(self) -> str:
        return reverse("consultations:plan-document", kwargs={"year": self.year})


class ProposalCall(models.Model):
    """A window in which citizens propose topics for consultation (e.g. the December call)."""

    plan = models.ForeignKey(
        ConsultationPlan,
        verbose_name=_("plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_calls",
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    opens_at = models.DateTimeField(_("abre el"))
    closes_at = models.DateTimeField(_("cierra el"))
    is_published = models.BooleanField(_("publicada"), default=False)

    class Meta:
        verbose_name = _("convocatoria de propuestas")
        verbose_name_plural = _("convocatorias de propuestas")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class TopicProposal(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        ACCEPTED = "accepted", _("Acogida")
        REJECTED = "rejected", _("No acogida")

    call = models.ForeignKey(
        ProposalCall, verbose_name=_("convocatoria"), on_delete=models.CASCADE, related_name="proposals"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participante"), on_delete=models.PROTECT, related_name="topic_proposals"
    )
    title = models.CharField(_("tema propuesto"), max_length=200)
    description = models.TextField(_("por qué es importante"), max_length=2000)
    created_at = models.DateTimeField(_("recibida el"), default=timezone.now)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    cosoc_opinion = models.TextField(_("opinión del COSOC"), blank=True)
    decision = models.TextField(_("decisión y fundamento"), blank=True)
    decision_published_at = models.DateTimeField(_("decisión publicada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("propuesta de tema")
        verbose_name_plural = _("propuestas de temas")
        ordering = ["-created_at"]
        constraints = [
            # A double click sends the same proposal twice: it is stored once.
            models.UniqueConstraint(fields=["call", "participant", "title"], name="one_proposal_per_title")
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationQuerySet(models.QuerySet):
    def published(self) -> ConsultationQuerySet:
        return self.filter(is_published=True)

    def open_now(self, now=None) -> ConsultationQuerySet:
        now = now or timezone.now()
        auto = Q(phase_override="") & Q(opens_at__lte=now, closes_at__gt=now)
        return self.published().filter(auto | Q(phase_override=Phase.OPEN))

    def upcoming(self, now=None) -> ConsultationQuerySet:
        now = now or timezone.now()
        auto = Q(phase_override="") & Q(announced_at__lte=now, opens_at__gt=now)
        return self.published().filter(auto | Q(phase_override=Phase.ANNOUNCED))

    def with_public_results(self, now=None) -> ConsultationQuerySet:
        """``results_are_public`` in SQL: published, in the results or response phase now."""
        now = now or timezone.now()
        by_dates = Q(phase_override="") & (
            Q(results_published_at__lte=now) | Q(response_published_at__lte=now)
        )
        return self.published().filter(by_dates | Q(phase_override__in=[Phase.RESULTS, Phase.RESPONSE]))

    def with_public_response(self, now=None) -> ConsultationQuerySet:
        """Published, in the response phase now: SERMIG's response and commitments are shown."""
        now = now or timezone.now()
        by_dates = Q(phase_override="") & Q(response_published_at__lte=now)
        return self.published().filter(by_dates | Q(phase_override=Phase.RESPONSE))

    def with_response_count(self) -> ConsultationQuerySet:
        return self.annotate(
            response_count=Count("responses", filter=Q(responses__status="submitted"), distinct=True)
        )


class Consultation(models.Model):
    """A citizen consultation with its position paper (minuta de posición) and its phases."""

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador en la dirección"), max_length=80, unique=True)
    summary = models.TextField(_("resumen en lenguaje claro"))
    rationale = models.TextField(_("fundamentos"), blank=True)
    technical_background = models.TextField(_("antecedentes técnicos"), blank=True)
    expected_results = models.TextField(_("resultados esperados"), blank=True)
    topic = models.ForeignKey(
        "engine.Topic",
        verbose_name=_("tema"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    plan = models.ForeignKey(
        ConsultationPlan,
        verbose_name=_("plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    scope = models.CharField(
        _("alcance territorial"), max_length=16, choices=Scope.choices, default=Scope.NATIONAL
    )
    regions = models.JSONField(
        _("regiones"),
        default=list,
        blank=True,
        help_text=_("Solo para consultas regionales: códigos de región."),
    )
    modality = models.CharField(
        _("modalidad"), max_length=16, choices=Modality.choices, default=Modality.VIRTUAL
    )
    announced_at = models.DateTimeField(_("anunciada el"))
    opens_at = models.DateTimeField(_("abre el"))
    closes_at = models.DateTimeField(_("cierra el"))
    results_published_at = models.DateTimeField(_("resultados publicados el"), null=True, blank=True)
    response_published_at = models.DateTimeField(_("respuesta publicada el"), null=True, blank=True)
    phase_override = models.CharField(
        _("fase fijada por el equipo"),
        max_length=16,
        choices=Phase.choices,
        blank=True,
        help_text=_("Déjelo vacío para que la fase siga las fechas."),
    )
    allow_anonymous = models.BooleanField(
        _("permitir participar sin cuenta"),
        default=False,
        help_text=_("La persona confirma un correo; se guarda solo una huella cifrada de él."),
    )
    is_published = models.BooleanField(_("publicada"), default=False)
    last_notified_phase = models.CharField(max_length=16, blank=True, editable=False)
    # Bumped in the same transaction as any write to its sections, questions or options
    # (consultations/receivers.py), so answering pages can keep the questionnaire in memory.
    questionnaire_version = models.PositiveIntegerField(default=1, editable=False)
    # Bumped by every staff change to what the published results merge besides the online answers
    # (dialogue input, moderation: consultations/receivers.py), so the computed results can be shared.
    results_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consulta")
        verbose_name_plural = _("consultas")
        ordering = ["-opens_at"]
        permissions = [
            ("enter_assisted_response", _("Puede registrar respuestas asistidas")),
            ("moderate_answers", _("Puede moderar respuestas abiertas")),
        ]
        constraints = [
            FieldCheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")),
                name="consultation_opens_before_closing",
                field="closes_at",
                violation_error_message=_(
                    "La consulta debe cerrar después de abrir: elija un cierre posterior."
                ),
            ),
            FieldCheckConstraint(
                condition=Q(announced_at__lte=models.F("opens_at")),
                name="consultation_announced_before_opening",
                field="announced_at",
                violation_error_message=_(
                    "El anuncio no puede ser después de la apertura: anuncie antes de abrir o el mismo día."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # Counters that only consultations/receivers.py writes (with F() + 1).
    VERSIONS = ("questionnaire_version", "results_version")

    def save(self, *args, **kwargs) -> None:
        # A copy loaded before the questionnaire or the results changed (an admin form, a task) must not
        # write its old numbers back and revive what is cached under them.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.VERSIONS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Results and SERMIG's response come after the consultation closes, the response after the results."""
        super().clean()
        errors = {}
        if self.closes_at and self.results_published_at and self.results_published_at < self.closes_at:
            errors["results_published_at"] = _(
                "Los resultados se publican después del cierre (la consulta cierra el %(date)s)."
            ) % {"date": _when(self.closes_at)}
        if self.closes_at and self.response_published_at and self.response_published_at < self.closes_at:
            errors["response_published_at"] = _(
                "La respuesta se publica después del cierre (la consulta cierra el %(date)s)."
            ) % {"date": _when(self.closes_at)}
        elif (
            self.response_published_at
            and self.results_published_at
            and self.response_published_at < self.results_published_at
        ):
            errors["response_published_at"] = _(
                "La respuesta se publica después de los resultados (%(date)s)."
            ) % {"date": _when(self.results_published_at)}
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now=None) -> str:
        if self.phase_override:
            return self.phase_override
        now = now or timezone.now()
        if self.response_published_at and self.response_published_at <= now:
            return Phase.RESPONSE
        if self.results_published_at and self.results_published_at <= now:
            return Phase.RESULTS
        if now >= self.closes_at:
            return Phase.CLOSED
        if now >= self.opens_at:
            return Phase.OPEN
        if now >= self.announced_at:
            return Phase.ANNOUNCED
        return Phase.DRAFT

    @property
    def phase(self) -> str:
        return self.phase_at()

    def get_phase_display(self) -> str:
        return Phase(self.phase).label

    @property
    def is_open(self) -> bool:
        return self.is_published and self.phase == Phase.OPEN

    @property
    def results_are_public(self) -> bool:
        return self.is_published and self.phase in (Phase.RESULTS, Phase.RESPONSE)

    @property
    def has_online_questionnaire(self) -> bool:
        return self.modality in (Modality.VIRTUAL, Modality.HYBRID)

    def region_labels(self) -> list[str]:
        labels = dict(Region.choices)
        return [str(labels.get(code, code)) for code in self.regions]


class ConsultationResults(Consultation):
    """A consultation's results page, as a thing of its own for what lists pages by content type (the search
    index has one row per object and language: the results page must not share the consultation's)."""

    class Meta:
        proxy = True
        verbose_name = _("resultados de consulta")
        verbose_name_plural = _("resultados de consultas")

    def get_absolute_url(self) -> str:
        return reverse("consultations:results", kwargs={"slug": self.slug})


class ConsultationDocument(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("título"), max_length=200)
    file = UploadField(_("archivo"), prefix="consultations/documents", name_field="file_name", blank=True)
    file_name = models.CharField(_("nombre original del archivo"), max_length=255, blank=True, editable=False)
    url = models.URLField(_("o enlace"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.get_download_url() if self.file else self.url

    def get_download_url(self) -> str:
        """The view that checks the consultation is visible and serves the file; never the storage."""
        return reverse("consultations:document", kwargs={"slug": self.consultation.slug, "pk": self.pk})


class Section(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consulta"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("sección")
        verbose_name_plural = _("secciones")
        ordering = ["consultation", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation} — {self.title}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Una opción")
    MULTIPLE = "multiple", _("Varias opciones")
    SCALE = "scale", _("Escala de acuerdo")
    RANKING = "ranking", _("Ordenar por prioridad")
    SHORT_TEXT = "short_text", _("Texto breve")
    LONG_TEXT = "long_text", _("Texto largo")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.RANKING}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 3000}


class Question(models.Model):
    section = models.ForeignKey(
        Section, verbose_name=_("sección"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("pregunta"), max_length=500)
    help_text = models.CharField(_("ayuda"), max_length=500, blank=True)
    kind = models.CharField(_("tipo"), max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(_("obligatoria"), default=False)
    allow_other = models.BooleanField(_("permite «otra» con texto"), default=False)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    depends_on_option = models.ForeignKey(
        "Option",
        verbose_name=_("mostrar solo si se eligió"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
        help_text=_("Una opción de una pregunta anterior de esta consulta."),
    )

    class Meta:
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")
        ordering = ["section__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def max_length(self) -> int:
        return TEXT_LIMITS.get(self.kind, 200)


class Option(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("pregunta"), on_delete=models.CASCADE, related_name="options"
    )
    text = models.CharField(_("opción"), max_length=300)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("opción")
        verbose_name_plural = _("opciones")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Channel(models.TextChoices):
    ONLINE = "online", _("En línea")
    ASSISTED_PAPER = "paper", _("Asistida: formulario en papel")
    ASSISTED_PHONE = "phone", _("Asistida: por teléfono")
    IN_PERSON = "in_person", _("Diálogo presencial")


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> ResponseQuerySet:
        return self.filter(status=Response.Status.SUBMITTED)

    def drafts(self) -> ResponseQuerySet:
        return self.filter(status=Response.Status.DRAFT)


class Response(models.Model):
    """One person's answers to one consultation: one per participant, or per confirmed email (as a keyed hash)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consulta"), on_delete=models.CASCADE, related_name="responses"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participante"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_responses",
    )
    email_hash = models.CharField(_("huella del correo"), max_length=64, blank=True, editable=False)
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    paper_reference = models.CharField(
        _("referencia del formulario en papel"),
        max_length=64,
        blank=True,
        help_text=_(
            "El número o código escrito en el formulario: para encontrarlo y no registrarlo dos veces."
        ),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "participant"],
                condition=Q(participant__isnull=False),
                name="one_response_per_participant",
            ),
            models.UniqueConstraint(
                fields=["consultation", "email_hash"],
                condition=~Q(email_hash=""),
                name="one_response_per_confirmed_email",
            ),
            models.UniqueConstraint(
                fields=["consultation", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="one_response_per_paper_form",
                violation_error_message=_("Este formulario en papel ya se registró en esta consulta."),
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=False) | ~Q(email_hash=""),
                name="response_has_an_owner",
                violation_error_message=_("Una respuesta es de una persona o de un correo confirmado."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.get_status_display()}"


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Por moderar")
    APPROVED = "approved", _("Publicable")
    HIDDEN = "hidden", _("Oculta")


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("texto"), blank=True)
    other_text = models.CharField(_("otra"), max_length=200, blank=True)
    moderation = models.CharField(
        _("moderación"), max_length=16, choices=ModerationStatus.choices, default=ModerationStatus.PENDING
    )
    published_text = models.TextField(
        _("texto publicable"),
        blank=True,
        help_text=_("El texto sin datos personales (nombres, teléfonos, direcciones) que se publicará."),
    )

    class Meta:
        verbose_name = _("respuesta a pregunta")
        verbose_name_plural = _("respuestas a preguntas")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:40]}"


class AnswerOption(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="answer_choices")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "option"], name="one_choice_per_option")]

    def __str__(self) -> str:
        return f"{self.option_id} ({self.rank})" if self.rank else str(self.option_id)


class Dialogue(models.Model):
    """An in-person participatory dialogue; its input is mapped to the consultation's own questions."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consulta"), on_delete=models.CASCADE, related_name="dialogues"
    )
    title = models.CharField(_("título"), max_length=200)
    starts_at = models.DateTimeField(_("comienza"))
    ends_at = models.DateTimeField(_("termina"))
    place = models.CharField(_("lugar"), max_length=200)
    address = models.CharField(_("dirección"), max_length=200, blank=True)
    region = models.CharField(_("región"), max_length=32, choices=Region.choices)
    commune = models.CharField(_("comuna"), max_length=100)
    facilitators = models.TextField(_("facilitadoras y facilitadores"), blank=True)
    attendees = models.ManyToManyField(
        Participant, verbose_name=_("asistentes registrados"), blank=True, related_name="dialogues"
    )

    class Meta:
        verbose_name = _("diálogo participativo")
        verbose_name_plural = _("diálogos participativos")
        ordering = ["starts_at"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="dialogue_starts_before_ending",
                field="ends_at",
                violation_error_message=_("El diálogo debe terminar después de comenzar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.commune})"

    def clean(self) -> None:
        """Its counts are merged into the consultation's results: it takes place before the consultation closes."""
        super().clean()
        consultation = Consultation.objects.filter(pk=self.consultation_id).only("closes_at").first()
        if consultation and self.starts_at and self.starts_at >= consultation.closes_at:
            raise ValidationError(
                {
                    "starts_at": _(
                        "El diálogo debe ser antes del cierre de la consulta (%(date)s): sus conteos se suman "
                        "a los resultados."
                    )
                    % {"date": _when(consultation.closes_at)}
                }
            )


# Total attendance is recorded as this pair; every other count pairs a participant attribute with one of its
# categories (participants/attributes.py, participants/choices.py), as the results' tables know them.
TOTAL_ATTENDANCE = ("total", "all")


def attendance_pair_label(attribute: str, category: str) -> str:
    """ "Identidad de género → Mujer", or the raw text when the pair is not one the results know."""
    if (attribute, category) == TOTAL_ATTENDANCE:
        return str(_("Total de asistentes"))
    codes = category_codes(attribute) if attribute in DISAGGREGATION_ATTRIBUTES else None
    if codes is None or category not in codes:
        return f"{attribute} / {category}"
    name = Participant._meta.get_field(attribute).verbose_name
    return f"{capfirst(name)} → {category_label(attribute, category)}"


class DialogueAttendance(models.Model):
    """Aggregate attendance counts: the total, or a participant attribute's category (gender identity → woman: 14)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="attendance")
    attribute = models.CharField(_("dato"), max_length=32)
    category = models.CharField(_("categoría"), max_length=32)
    count = models.PositiveIntegerField(_("cantidad"))

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencia")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "attribute", "category"], name="one_count_per_attendance_category"
            )
        ]

    def __str__(self) -> str:
        return f"{attendance_pair_label(self.attribute, self.category)}: {self.count}"

    def clean(self) -> None:
        super().clean()
        if not self.is_known:
            raise ValidationError(
                _("«%(pair)s» no es un dato de la lista: elija el dato y la categoría entre las opciones.")
                % {"pair": f"{self.attribute} / {self.category}"}
            )

    @property
    def is_known(self) -> bool:
        """A pair the results count (the total, or an attribute and one of its categories)."""
        if (self.attribute, self.category) == TOTAL_ATTENDANCE:
            return True
        if self.attribute not in DISAGGREGATION_ATTRIBUTES:
            return False
        codes = category_codes(self.attribute)
        return codes is not None and self.category in codes


class DialogueOptionCount(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="option_counts")
    option = models.ForeignKey(
        Option, verbose_name=_("opción"), on_delete=models.CASCADE, related_name="dialogue_counts"
    )
    count = models.PositiveIntegerField(_("cantidad"))

    class Meta:
        verbose_name = _("conteo de opción en el diálogo")
        verbose_name_plural = _("conteos de opciones en el diálogo")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "option"], name="one_count_per_dialogue_option")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.count}"


class DialogueSynthesis(models.Model):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="syntheses")
    question = models.ForeignKey(
        Question, verbose_name=_("pregunta"), on_delete=models.CASCADE, related_name="dialogue_syntheses"
    )
    text = models.TextField(_("síntesis"))

    class Meta:
        verbose_name = _("síntesis del diálogo")
        verbose_name_plural = _("síntesis del diálogo")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "question"], name="one_synthesis_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} — {self.question}"


class InstitutionalResponse(models.Model):
    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="institutional_response"
    )
    text = models.TextField(_("respuesta de SERMIG"))

    class Meta:
        verbose_name = _("respuesta institucional")
        verbose_name_plural = _("respuestas institucionales")

    def __str__(self) -> str:
        return str(self.consultation)


class Commitment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Por iniciar")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Cumplido")
        DROPPED = "dropped", _("No se realizará")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="commitments")
    text = models.TextField(_("compromiso"))
    responsible_unit = models.CharField(_("unidad responsable"), max_length=200)
    due_date = models.DateField(_("plazo"))
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    status_note = models.TextField(_("avance"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["order", "due_date"]

    def __str__(self) -> str:
        return self.text[:80]


class AnonymousConfirmation(models.Model):
    """A one-time link that confirms an email address for a consultation open to people without an account."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    email_hash = models.CharField(max_length=64)
    nonce = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the CSRF cookie of the browser that used the link: its own double click gets in too.
    used_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.consultation_id}:{self.nonce}"


class ResultsSnapshot(models.Model):
    """The published results page of a consultation, rendered in one language by ``results.results_refresh``
    (a Celery task, after the changes that move them): readers get the last copy at once, with its time."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="results_snapshots")
    language = models.CharField(max_length=8)
    html = models.TextField()
    computed_at = models.DateTimeField()
    # What the copy was computed from (``Consultation``'s counters when the computation started).
    questionnaire_version = models.PositiveIntegerField()
    results_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("resultados calculados")
        verbose_name_plural = _("resultados calculados")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "language"], name="one_results_snapshot_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation} ({self.language}, {self.computed_at:%Y-%m-%d %H:%M})"
