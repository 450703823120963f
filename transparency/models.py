"""The relevant-information register (Law 20.500 art. 71): typed publications with their versions,
attachments and budget rows, and SERMIG's social channels."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.constraints import FieldCheckConstraint
from engine.files import UploadField
from engine.richtext import RichTextField
from transparency import rules

ATTACHMENT_TYPES = ["pdf", "xlsx", "csv", "docx", "odt", "ods"]


class PublicationType(models.TextChoices):
    POLICY = "policy", _("Política")
    PLAN = "plan", _("Plan")
    PROGRAM = "program", _("Programa")
    ACTION = "action", _("Acción")
    BUDGET = "budget", _("Presupuesto")
    REGULATION = "regulation", _("Normativa")
    REPORT = "report", _("Informe")
    NEWS = "news", _("Noticia")


# Plural names for headings, filters and feeds ("Presupuestos").
TYPE_PLURALS = {
    PublicationType.POLICY: _("Políticas"),
    PublicationType.PLAN: _("Planes"),
    PublicationType.PROGRAM: _("Programas"),
    PublicationType.ACTION: _("Acciones"),
    PublicationType.BUDGET: _("Presupuestos"),
    PublicationType.REGULATION: _("Normativa"),
    PublicationType.REPORT: _("Informes"),
    PublicationType.NEWS: _("Noticias"),
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PREVIEW = "preview", _("Vista previa para el equipo")
    PUBLISHED = "published", _("Publicada")
    ARCHIVED = "archived", _("Archivada")


# What the public reads: published items, and archived ones (kept readable, marked as no longer updated).
PUBLIC_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)


class UpdateFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensual")
    QUARTERLY = "quarterly", _("Trimestral")
    HALF_YEARLY = "half_yearly", _("Semestral")
    YEARLY = "yearly", _("Anual")
    NONE = "none", _("Sin actualización periódica")


class PublicationQuerySet(models.QuerySet):
    def public(self) -> PublicationQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def past_review(self, today=None) -> PublicationQuerySet:
        """Published items whose review date has passed, oldest first."""
        today = today or timezone.localdate()
        return self.filter(status=Status.PUBLISHED, next_review_on__lt=today).order_by("next_review_on", "pk")


class Publication(models.Model):
    type = models.CharField(_("tipo"), max_length=16, choices=PublicationType.choices)
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador en la dirección"), max_length=80, unique=True)
    summary = models.TextField(
        _("resumen en lenguaje claro"),
        max_length=1200,
        help_text=_(
            "Se muestra primero. Frases cortas y palabras simples: muchas personas leen el español como "
            "segunda lengua."
        ),
    )
    body = RichTextField(_("texto"), blank=True)
    responsible_unit = models.CharField(_("unidad responsable"), max_length=200)
    topics = models.ManyToManyField(
        "engine.Topic", verbose_name=_("temas"), blank=True, related_name="publications"
    )
    published_on = models.DateField(_("publicada el"), null=True, blank=True)
    updated_on = models.DateField(
        _("última actualización sustantiva"),
        null=True,
        blank=True,
        help_text=_("Se fija al publicar y al registrar un cambio sustantivo."),
    )
    update_frequency = models.CharField(
        _("frecuencia de actualización"),
        max_length=16,
        choices=UpdateFrequency.choices,
        blank=True,
        help_text=_("Déjela vacía para usar la de su tipo: mensual para presupuestos, anual para el resto."),
    )
    next_review_on = models.DateField(_("próxima revisión"), null=True, blank=True, editable=False)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modificada"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicación")
        verbose_name_plural = _("publicaciones")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "-published_on"], name="transparency_pub_list_idx")]
        constraints = [
            FieldCheckConstraint(
                condition=Q(updated_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(updated_on__gte=models.F("published_on")),
                name="transparency_updated_after_published",
                field="updated_on",
                violation_error_message=_(
                    "La última actualización no puede ser anterior a la publicación: elija una fecha posterior."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # One row's invariant: the review date always follows from the last update and the frequency.
        self.next_review_on = rules.next_review(frequency=self.frequency, last_update=self.last_updated)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "next_review_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("transparency:detail", kwargs={"slug": self.slug})

    @property
    def frequency(self) -> str:
        """The frequency in force: the one chosen, else monthly for budgets and yearly for the rest."""
        if self.update_frequency:
            return self.update_frequency
        return UpdateFrequency.MONTHLY if self.type == PublicationType.BUDGET else UpdateFrequency.YEARLY

    def get_frequency_display(self) -> str:
        return str(UpdateFrequency(self.frequency).label)

    @property
    def type_plural(self):
        return TYPE_PLURALS[PublicationType(self.type)]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def last_updated(self):
        return self.updated_on or self.published_on


class PublicationVersion(models.Model):
    """The text as it was published at one date, with a one-line note of what changed (the latest is the
    current text; the earlier ones stay readable)."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("publicación"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versión"))
    published_on = models.DateField(_("fecha"))
    change_note = models.CharField(_("qué cambió"), max_length=200)
    title = models.CharField(_("título"), max_length=200)
    summary = models.TextField(_("resumen en lenguaje claro"))
    body = models.TextField(_("texto"), blank=True)
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    class Meta:
        verbose_name = _("versión")
        verbose_name_plural = _("versiones")
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"],
                name="transparency_one_version_number",
                violation_error_message=_("Esta publicación ya tiene una versión con ese número."),
            )
        ]

    def __str__(self) -> str:
        return _("%(title)s, versión %(number)d") % {"title": self.title, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("transparency:version", kwargs={"slug": self.publication.slug, "number": self.number})


class Attachment(models.Model):
    publication = models.ForeignKey(
        Publication, verbose_name=_("publicación"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("título"), max_length=200)
    description = models.CharField(
        _("descripción accesible"),
        max_length=300,
        help_text=_(
            "Qué contiene el archivo, en una frase (lo leen quienes usan lector de pantalla y quienes "
            "deciden si descargarlo)."
        ),
    )
    file = UploadField(
        _("archivo"), prefix="transparency/attachments", types=ATTACHMENT_TYPES, name_field="file_name"
    )
    file_name = models.CharField(_("nombre original del archivo"), max_length=255, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_download_url(self) -> str:
        """The view that checks the publication is visible and serves the file; never the storage."""
        return reverse("transparency:attachment", kwargs={"slug": self.publication.slug, "pk": self.pk})


class BudgetRow(models.Model):
    """One program of a budget publication: what was budgeted and what was executed (pesos)."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("publicación"), on_delete=models.CASCADE, related_name="budget_rows"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    program = models.CharField(_("programa"), max_length=200)
    budget = models.DecimalField(_("presupuesto (pesos)"), max_digits=16, decimal_places=0)
    executed = models.DecimalField(_("ejecutado (pesos)"), max_digits=16, decimal_places=0)

    class Meta:
        verbose_name = _("fila de presupuesto")
        verbose_name_plural = _("filas de presupuesto")
        ordering = ["order", "pk"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(budget__gte=0),
                name="transparency_budget_not_negative",
                field="budget",
                violation_error_message=_("El presupuesto no puede ser negativo."),
            ),
            FieldCheckConstraint(
                condition=Q(executed__gte=0),
                name="transparency_executed_not_negative",
                field="executed",
                violation_error_message=_("El monto ejecutado no puede ser negativo."),
            ),
        ]

    def __str__(self) -> str:
        return self.program

    @property
    def percent(self) -> Decimal | None:
        """Executed as a share of the budget, one decimal; None when nothing was budgeted."""
        if not self.budget:
            return None
        return (Decimal(self.executed) * 100 / Decimal(self.budget)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


class PublicationKind(models.Model):
    """A publication type people can follow ("tell me of every new budget"): the engine's subscriptions
    follow saved objects, so each type has a row (made on the first follow)."""

    type = models.CharField(_("tipo"), max_length=16, choices=PublicationType.choices, unique=True)

    class Meta:
        verbose_name = _("tipo de publicación seguido")
        verbose_name_plural = _("tipos de publicación seguidos")

    def __str__(self) -> str:
        return _("%(types)s de información relevante") % {"types": TYPE_PLURALS[PublicationType(self.type)]}


class SocialIcon(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    OTHER = "other", _("Otro")


class SocialChannel(models.Model):
    """One of SERMIG's social-network channels: listed on /informacion/ and in every page's footer."""

    name = models.CharField(_("nombre"), max_length=80)
    url = models.URLField(_("dirección"))
    icon = models.CharField(_("icono"), max_length=16, choices=SocialIcon.choices, default=SocialIcon.OTHER)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("visible"), default=True)

    class Meta:
        verbose_name = _("canal en redes sociales")
        verbose_name_plural = _("canales en redes sociales")
        ordering = ["order", "pk"]
        constraints = [
            FieldCheckConstraint(
                condition=Q(url__startswith="https://"),
                name="transparency_channel_https",
                field="url",
                violation_error_message=_("La dirección debe empezar con https://."),
            )
        ]

    def __str__(self) -> str:
        return self.name
