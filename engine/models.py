from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from engine.mechanisms import Mechanism
from participants.models import PARTICIPANT_ATTRIBUTES, SENSITIVE_ATTRIBUTES, Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Attributes a table may be disaggregated by: the single-valued columns of participants.Participant (the
# list, free text and birth year of participants.attributes group by other columns or not at all).
DISAGGREGATION_ATTRIBUTES: tuple[str, ...] = tuple(
    attribute.name for attribute in PARTICIPANT_ATTRIBUTES if attribute.disaggregable
)


def attribute_choices() -> list[tuple[str, StrOrPromise]]:
    return [
        (name, cast(models.Field, Participant._meta.get_field(name)).verbose_name)
        for name in DISAGGREGATION_ATTRIBUTES
    ]


def is_sensitive(attribute: str | None) -> bool:
    return attribute in SENSITIVE_ATTRIBUTES


class TopicQuerySet(models.QuerySet):
    def active(self) -> TopicQuerySet:
        return self.filter(is_active=True)


class Topic(models.Model):
    """One theme of the shared taxonomy: people follow topics and every mechanism tags its content with them."""

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=150)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("activo"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temas")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


# --- Pages staff edit: privacy, accessibility, contact -----------------------------------------------------


class Page(models.Model):
    """A page of plain information every app links to (the footer, the sign-up form), written and translated
    by staff in admin. The body is HTML limited to a few tags; it is cleaned again whenever it is shown."""

    PRIVACY = "privacidad"
    ACCESSIBILITY = "accesibilidad"
    CONTACT = "contacto"

    slug = models.SlugField(_("identificador en la dirección"), max_length=80, unique=True)
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(
        _("resumen"),
        blank=True,
        help_text=_("Unas líneas en lenguaje claro; el aviso de privacidad lo muestra al crear una cuenta."),
    )
    body = models.TextField(
        _("texto"),
        help_text=_(
            "Párrafos, títulos, listas y enlaces en HTML: <p>, <h2>, <h3>, <ul>, <ol>, <li>, <a>, <strong>, "
            "<em>. Cualquier otra etiqueta se quita al mostrar la página."
        ),
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    class Meta:
        verbose_name = _("página informativa")
        verbose_name_plural = _("páginas informativas")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("page", kwargs={"slug": self.slug})


# --- Subscriptions ------------------------------------------------------------------------------------


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Al instante")
    WEEKLY = "weekly", _("Resumen semanal")
    OFF = "off", _("Nunca")


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> SubscriptionQuerySet:
        return self.exclude(frequency=Frequency.OFF)

    def for_targets(
        self,
        *,
        obj: models.Model | None = None,
        mechanism: str = "",
        topics: models.QuerySet | list | tuple = (),
    ) -> SubscriptionQuerySet:
        """Subscriptions that follow the object itself, its mechanism or any of its topics."""
        condition = Q(pk__in=[])
        if obj is not None:
            condition |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        if mechanism:
            condition |= Q(mechanism=mechanism)
        if isinstance(topics, models.QuerySet):
            condition |= Q(topic__in=topics)
        elif topics:
            condition |= Q(topic__in=[getattr(topic, "pk", topic) for topic in topics])
        return self.filter(condition)

    def deliverable(self) -> SubscriptionQuerySet:
        """Active subscriptions of active people whose address has not bounced."""
        return (
            self.active()
            .filter(user__is_active=True)
            .exclude(user__email__in=BouncedAddress.objects.values("email"))
        )


class Subscription(models.Model):
    """A person follows exactly one of: a mechanism, a topic or a single object (a consultation, a council…)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    mechanism = models.CharField(_("mecanismo"), max_length=32, choices=Mechanism.choices, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("tema"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("tipo de contenido"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("n.º de objeto"), null=True, blank=True)
    target_object = GenericForeignKey("content_type", "object_id")
    frequency = models.CharField(
        _("frecuencia"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suscripción")
        verbose_name_plural = _("suscripciones")
        ordering = ["user_id", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="engine_sub_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (~Q(mechanism="") & Q(topic__isnull=True) & Q(content_type__isnull=True))
                    | (Q(mechanism="") & Q(topic__isnull=False) & Q(content_type__isnull=True))
                    | (
                        Q(mechanism="")
                        & Q(topic__isnull=True)
                        & Q(content_type__isnull=False)
                        & Q(object_id__isnull=False)
                    )
                ),
                name="engine_subscription_one_target",
                violation_error_message=_(
                    "Una suscripción sigue una sola cosa: un mecanismo, un tema o un contenido."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "mechanism"], condition=~Q(mechanism=""), name="engine_sub_unique_mechanism"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="engine_sub_unique_topic"
            ),
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"],
                condition=Q(content_type__isnull=False),
                name="engine_sub_unique_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_label} ({self.get_frequency_display()})"

    @property
    def target_label(self) -> StrOrPromise:
        if self.mechanism:
            return str(self.get_mechanism_display())
        if self.topic_id:
            return str(self.topic)
        target = self.target_object
        return str(target) if target is not None else _("contenido eliminado")


# --- Outbox -------------------------------------------------------------------------------------------


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Al instante")
    DIGEST = "digest", _("En el resumen semanal")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SENDING = "sending", _("Enviándose")
    SENT = "sent", _("Enviada")
    FAILED = "failed", _("Fallida")
    SKIPPED = "skipped", _("Omitida")


class NotificationQuerySet(models.QuerySet):
    def pending(self) -> NotificationQuerySet:
        return self.filter(status=NotificationStatus.PENDING)

    def due(self, now: datetime | None = None) -> NotificationQuerySet:
        """Immediate notifications (digests included) whose next attempt has come."""
        return self.pending().filter(delivery=Delivery.IMMEDIATE, next_attempt_at__lte=now or timezone.now())

    def waiting_for_digest(self) -> NotificationQuerySet:
        return self.pending().filter(delivery=Delivery.DIGEST)

    def stale_claims(self, before: datetime) -> NotificationQuerySet:
        return self.filter(status=NotificationStatus.SENDING, claimed_at__lt=before)


class Notification(models.Model):
    """One email to one person, written in the same transaction as the event that causes it (outbox).

    ``context`` holds plain JSON the templates ``emails/<kind>_*`` render in the recipient's language at
    sending time. A digest is itself a notification whose items point to it through ``digest``.
    """

    DIGEST_KIND = "digest"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("suscripción"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("tipo"), max_length=64)
    mechanism = models.CharField(_("mecanismo"), max_length=32, choices=Mechanism.choices, blank=True)
    context = models.JSONField(_("contexto"), default=dict, blank=True)
    delivery = models.CharField(
        _("entrega"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    status = models.CharField(
        _("estado"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    # Set by the UPDATE that claims a row: only the worker holding the token sends it.
    claim_token = models.CharField(_("reserva"), max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("reservada el"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    last_error = models.TextField(_("último error"), blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("resumen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_items",
    )
    created_at = models.DateTimeField(_("creada"), default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep and the digest builder only ever look at pending rows.
            models.Index(
                fields=["delivery", "next_attempt_at"],
                condition=Q(status="pending"),
                name="engine_notif_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.get_status_display()})"


class BouncedAddress(models.Model):
    """An address the mail server refused permanently: nothing more is sent to it until staff remove it."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    reason = models.TextField(_("motivo"), blank=True)
    smtp_code = models.PositiveSmallIntegerField(_("código SMTP"), null=True, blank=True)
    created_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("dirección rechazada")
        verbose_name_plural = _("direcciones rechazadas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # User emails are stored lower-case; compare like with like.
        self.email = self.email.lower()
        super().save(*args, **kwargs)


# --- Representativeness -------------------------------------------------------------------------------

OTHER_CATEGORY = "*"


class ReferenceDistributionQuerySet(models.QuerySet):
    def with_share_totals(self) -> ReferenceDistributionQuerySet:
        return self.annotate(share_count=models.Count("shares"), share_total=models.Sum("shares__share"))


class ReferenceDistribution(models.Model):
    """A known distribution of the population (e.g. INE–SERMIG foreign residents by nationality) that
    participation is compared with."""

    name = models.CharField(_("nombre"), max_length=200)
    source = models.CharField(_("fuente"), max_length=200)
    year = models.PositiveSmallIntegerField(_("año"))
    attribute = models.CharField(_("dato"), max_length=32, choices=attribute_choices)
    excluded_categories = models.CharField(
        _("categorías fuera de la población"),
        max_length=200,
        blank=True,
        help_text=_(
            "Códigos separados por comas que no pertenecen a la población de referencia "
            "(por ejemplo CL si la referencia son las personas extranjeras)."
        ),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    objects = ReferenceDistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("distribución de referencia")
        verbose_name_plural = _("distribuciones de referencia")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="engine_refdist_unique_name_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def excluded(self) -> set[str]:
        return {code.strip() for code in self.excluded_categories.split(",") if code.strip()}


class ReferenceShare(models.Model):
    distribution = models.ForeignKey(
        ReferenceDistribution,
        verbose_name=_("distribución"),
        on_delete=models.CASCADE,
        related_name="shares",
    )
    category = models.CharField(
        _("categoría"),
        max_length=32,
        help_text=_("El código del dato (por ejemplo VE o CL-RM); * reúne todas las demás categorías."),
    )
    share = models.DecimalField(
        _("porcentaje"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Porcentaje de la población de referencia, entre 0 y 100."),
    )

    class Meta:
        verbose_name = _("proporción de referencia")
        verbose_name_plural = _("proporciones de referencia")
        ordering = ["-share", "category"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "category"], name="engine_refshare_unique"),
            FieldCheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100),
                name="engine_refshare_percentage",
                field="share",
                violation_error_message=_("El porcentaje va de 0 a 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.share} %"

    def clean(self) -> None:
        super().clean()
        try:
            # In the admin the distribution may still be unsaved: it is added together with its shares.
            distribution = self.distribution
        except ReferenceDistribution.DoesNotExist:
            return
        if self.category == OTHER_CATEGORY or not distribution.attribute:
            return
        # engine.reports loads its selectors, which import this module: a circle at the top.
        from engine.reports.tables import category_codes  # noqa: PLC0415  (circle: engine.reports)

        valid = category_codes(distribution.attribute)
        if valid is not None and self.category not in valid:
            raise ValidationError({"category": _("Este código no corresponde al dato elegido.")})


# --- Report jobs --------------------------------------------------------------------------------------


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("Planilla (XLSX)")
    CSV = "csv", "CSV"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("En cola")
    RUNNING = "running", _("En preparación")
    DONE = "done", _("Listo")
    FAILED = "failed", _("Falló")


class ReportJobQuerySet(models.QuerySet):
    def publishable(self, kind: str, **parameters) -> ReportJobQuerySet:
        """Finished jobs of ``kind`` with these parameters and only suppressed tables: what staff may publish.
        Newest first."""
        filters = {f"parameters__{name}": value for name, value in parameters.items()}
        return (
            self.filter(kind=kind, status=ReportStatus.DONE, **filters)
            .filter(models.Q(parameters__raw__isnull=True) | models.Q(parameters__raw=False))
            .order_by("-finished_at", "-pk")
        )

    def published(self, kind: str, **parameters) -> ReportJobQuerySet:
        """What the public may download: the jobs staff published (at most one per language and format, see
        ``engine.reports.services.report_job_publish``). Ordering a report never publishes it."""
        return (
            self.publishable(kind, **parameters)
            .filter(published_at__isnull=False)
            .order_by("-published_at", "-pk")
        )

    def with_file_size(self) -> ReportJobQuerySet:
        return self.annotate(file_size=models.F("file__size"))

    def stale_queued(self, before: datetime) -> ReportJobQuerySet:
        return self.filter(status=ReportStatus.QUEUED, created_at__lt=before)


class ReportJob(models.Model):
    """A report built in the background: who asked, what, with which parameters, and how far along it is."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pedido por"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="report_jobs",
    )
    kind = models.CharField(_("tipo de reporte"), max_length=64)
    parameters = models.JSONField(_("parámetros"), default=dict, blank=True)
    format = models.CharField(
        _("formato"), max_length=8, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    language = models.CharField(
        _("idioma"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("estado"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("pedido el"), default=timezone.now)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)
    # Set only by report_job_publish: the public downloads serve published jobs, never merely finished ones.
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporte")
        verbose_name_plural = _("reportes")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_raw_counts", _("Puede ver recuentos sin supresión de celdas pequeñas")),
            ("publish_reportjob", _("Puede publicar reportes en el portal")),
        ]
        constraints = [
            # One public file per report, language and format: publishing another replaces it.
            models.UniqueConstraint(
                fields=["kind", "parameters", "language", "format"],
                condition=Q(published_at__isnull=False),
                name="engine_report_one_published",
                violation_error_message=_("Ya hay un reporte publicado para este idioma y formato."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_title} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("engine:report-detail", args=[self.pk])

    @property
    def kind_title(self) -> str:
        # engine.reports loads its selectors, which import this module: a circle at the top.
        from engine.reports.registry import get_kind  # noqa: PLC0415  (circle: engine.reports)

        kind = get_kind(self.kind)
        return str(kind.title) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def wants_raw_counts(self) -> bool:
        return bool(self.parameters.get("raw"))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ReportFile(models.Model):
    """The built file, kept in the database: never under MEDIA_URL, and shared by web and worker hosts."""

    job = models.OneToOneField(
        ReportJob, verbose_name=_("reporte"), on_delete=models.CASCADE, related_name="file"
    )
    name = models.CharField(_("nombre"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    content = models.BinaryField(_("contenido"))
    created_at = models.DateTimeField(_("creado"), default=timezone.now)

    class Meta:
        verbose_name = _("archivo de reporte")
        verbose_name_plural = _("archivos de reporte")

    def __str__(self) -> str:
        return self.name


# --- Search index -------------------------------------------------------------------------------------


class SearchDocument(models.Model):
    """One public object in one language, as the site-wide search finds it (``engine.search``).

    Written only by ``engine.search`` from the registered providers' public querysets, so a draft, staff-only
    or members-only object never has a row. ``vector`` (PostgreSQL: title weighted A, summary B, body D, in
    the language's text-search configuration) and ``folded`` (lower case without accents, for the plain
    ``icontains`` fallback on SQLite) are derived from the texts on every write. On PostgreSQL migration
    0004 adds the GIN index on ``vector`` and the ``sermig_es``/``sermig_en``/``sermig_ht`` configurations.
    """

    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("tipo de contenido"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint below starts with it
    )
    object_id = models.PositiveBigIntegerField(_("n.º de objeto"))
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES)
    mechanism = models.CharField(_("mecanismo"), max_length=32, choices=Mechanism.choices)
    kind = models.CharField(_("tipo"), max_length=64)
    title = models.TextField(_("título"))
    summary = models.TextField(_("resumen"), blank=True)
    body = models.TextField(_("texto"), blank=True)
    url = models.CharField(_("dirección"), max_length=500)
    updated_at = models.DateTimeField(_("indexado el"), default=timezone.now)
    vector = SearchVectorField(null=True, editable=False)
    folded = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("documento del buscador")
        verbose_name_plural = _("documentos del buscador")
        constraints = [
            # Editing a translation rewrites its row in place: never a second row, never a crash.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="engine_search_one_row_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class SearchIndexVersion(models.Model):
    """One row whose token changes in the same transaction as every write to the search index: cached
    results are kept under it, so no process ever serves results from before a publish or an unpublish."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("versión del buscador")
        verbose_name_plural = _("versiones del buscador")

    def __str__(self) -> str:
        return self.token
