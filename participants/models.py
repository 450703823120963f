from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from engine.files import UploadField
from participants import choices

# The one list of participant attributes (forms, consents, log redaction and report disaggregation derive from
# it); sensitive ones are stored only with an active consent (Law 21.719).
from participants.attributes import (  # noqa: F401  (re-exported: participants.models is where callers look)
    ATTRIBUTE_NAMES,
    PARTICIPANT_ATTRIBUTES,
    SENSITIVE_ATTRIBUTES,
    ParticipantAttribute,
)
from participants.organizations.rut import validate_rut

# Version of the consent text shown to people; bump it when the wording changes.
CONSENT_TEXT_VERSION = "2026-11"


class UserManager(DjangoUserManager):
    """Email is the login: there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. The person whose voice is counted is the linked :class:`Participant`."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    name = models.CharField(_("nombre"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("idioma preferido"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Las páginas y los correos usan este idioma."),
    )
    is_staff = models.BooleanField(_("es del equipo"), default=False)
    is_active = models.BooleanField(_("activo"), default=True)
    date_joined = models.DateTimeField(_("fecha de registro"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class ParticipantQuerySet(models.QuerySet):
    def online(self) -> ParticipantQuerySet:
        return self.filter(user__isnull=False)

    def recorded_by_staff(self) -> ParticipantQuerySet:
        return self.filter(user__isnull=True)


class Participant(models.Model):
    """A person whose voice is counted, with or without a login.

    Every response, question, observation and attendance in every mechanism points here, so all of them
    disaggregate the same way. Every attribute is optional and may be declined.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
    )
    gender_identity = models.CharField(
        _("identidad de género"), max_length=32, choices=choices.GenderIdentity.choices, blank=True
    )
    sex_at_birth = models.CharField(
        _("sexo registrado al nacer"), max_length=32, choices=choices.SexAtBirth.choices, blank=True
    )
    sexual_orientation = models.CharField(
        _("orientación sexual"), max_length=32, choices=choices.SexualOrientation.choices, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("año de nacimiento"), null=True, blank=True)
    age_band = models.CharField(
        _("tramo de edad"), max_length=32, choices=choices.AgeBand.choices, blank=True
    )
    nationality = CountryField(_("nacionalidad"), blank=True, blank_label=_("Elija un país"))
    migration_status = models.CharField(
        _("situación migratoria"), max_length=32, choices=choices.MigrationStatus.choices, blank=True
    )
    region = models.CharField(
        _("región de residencia"), max_length=32, choices=choices.Region.choices, blank=True
    )
    commune = models.CharField(_("comuna de residencia"), max_length=100, blank=True)
    indigenous_people = models.CharField(
        _("pueblo indígena o tribal"), max_length=32, choices=choices.IndigenousPeople.choices, blank=True
    )
    disability = models.CharField(
        _("discapacidad"), max_length=32, choices=choices.Disability.choices, blank=True
    )
    languages = models.JSONField(_("idiomas que habla"), default=list, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")
        permissions = [("view_sensitive_attributes", _("Puede ver los datos sensibles de participantes"))]

    def __str__(self) -> str:
        """What staff recognise in a picker: the person's name and email, or, for someone without an account,
        where they live and when they were recorded ("Sin cuenta · Estación Central · 03-12-2026 · n.º 76")."""
        if self.user_id:
            user = self.user
            return f"{user.name} ({user.email})" if user.name else user.email
        parts = [str(_("Sin cuenta"))]
        place = self.commune or (self.get_region_display() if self.region else "")
        if place:
            parts.append(str(place))
        if self.created_at:
            parts.append(date_format(timezone.localtime(self.created_at), "SHORT_DATE_FORMAT"))
        parts.append(str(_("n.º %(id)s")) % {"id": self.pk})
        return " · ".join(parts)

    def save(self, *args, active_consents: set[str] | None = None, **kwargs) -> None:
        """``active_consents``: the attributes with an active consent, as the caller has just read them under
        the participant's lock (``participants.services``); without it they are read here."""
        if self.birth_year and not self.age_band:
            self.age_band = choices.AgeBand.for_age(timezone.localdate().year - self.birth_year)
        self.check_consents(active_consents)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        current_year = timezone.localdate().year
        if self.birth_year is not None and not current_year - 120 <= self.birth_year <= current_year:
            raise ValidationError(
                {
                    "birth_year": _("Escriba un año entre %(low)s y %(high)s.")
                    % {"low": current_year - 120, "high": current_year}
                }
            )
        invalid = [code for code in self.languages or [] if code not in choices.Language.values]
        if invalid:
            raise ValidationError({"languages": _("Elija los idiomas de la lista.")})

    def disclosed_sensitive_attributes(self) -> set[str]:
        """Sensitive attributes holding a real answer ("prefer not to say" discloses nothing)."""
        return {
            name
            for name in SENSITIVE_ATTRIBUTES
            if getattr(self, name) not in ("", None, choices.PREFER_NOT_TO_SAY)
        }

    def check_consents(self, active: set[str] | None = None) -> None:
        """The rule of Law 21.719: no sensitive value without an active, specific consent."""
        disclosed = self.disclosed_sensitive_attributes()
        if not disclosed:
            return
        consented = set()
        if active is not None:
            consented = set(active)
        elif self.pk:
            consented = set(
                self.consents.active().filter(attribute__in=disclosed).values_list("attribute", flat=True)
            )
        missing = disclosed - consented
        if missing:
            raise ValidationError(
                {
                    name: _("Solo podemos guardar esta respuesta si usted da su consentimiento.")
                    for name in sorted(missing)
                }
            )


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """Express, prior and specific consent to keep one sensitive attribute of one participant."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participante"), on_delete=models.CASCADE, related_name="consents"
    )
    attribute = models.CharField(
        _("dato"),
        max_length=32,
        choices=[(name, Participant._meta.get_field(name).verbose_name) for name in SENSITIVE_ATTRIBUTES],
    )
    text_version = models.CharField(
        _("versión del texto de consentimiento"), max_length=32, default=CONSENT_TEXT_VERSION
    )
    given_at = models.DateTimeField(_("otorgado el"), default=timezone.now)
    channel = models.CharField(_("canal"), max_length=16, choices=choices.ConsentChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("La persona del equipo que registró un consentimiento dado en papel o en persona."),
    )
    withdrawn_at = models.DateTimeField(_("retirado el"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")
        ordering = ["-given_at"]
        constraints = [
            # At most one active consent per attribute: the history keeps the withdrawn ones.
            models.UniqueConstraint(
                fields=["participant", "attribute"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_attribute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} ({self.get_channel_display()})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class SensitiveDataAccess(models.Model):
    """Every time a staff member opens a participant's sensitive data. Append-only: admin cannot edit it."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona del equipo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participante"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    participant_ref = models.PositiveBigIntegerField(_("n.º de participante"))
    accessed_at = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)
    action = models.CharField(_("acción"), max_length=32, default="view")

    class Meta:
        verbose_name = _("acceso a datos sensibles")
        verbose_name_plural = _("accesos a datos sensibles")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.staff} → #{self.participant_ref} ({self.accessed_at:%Y-%m-%d %H:%M})"


class UsedSecondFactorCode(models.Model):
    """A second-factor (TOTP) code that already signed someone in. allauth marks used codes in the cache, which
    forgets them when Redis is down or restarts; this record keeps a code from being used twice within the
    time it stays valid (``participants.mfa.mark_totp_code_used``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("código de verificación usado")
        verbose_name_plural = _("códigos de verificación usados")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "code"], name="second_factor_code_used_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.used_at:%Y-%m-%d %H:%M:%S}"


class DataExportQuerySet(models.QuerySet):
    def valid(self) -> DataExportQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class DataExport(models.Model):
    """A person's request for a copy of their data (Law 21.719 access and portability rights).

    The file is built at download time, for its owner only, and the link dies when the record expires.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    expires_at = models.DateTimeField(_("vence"))
    downloaded_at = models.DateTimeField(_("descargado"), null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("copia de datos personales")
        verbose_name_plural = _("copias de datos personales")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class OrganizationQuerySet(models.QuerySet):
    def accredited(self) -> OrganizationQuerySet:
        return self.filter(status=choices.OrganizationStatus.ACCREDITED)

    def represented_by(self, user) -> OrganizationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(representatives__user=user)

    def awaiting_review(self) -> OrganizationQuerySet:
        """Applications to decide, and accredited organisations asking to change their name or category."""
        return self.filter(
            models.Q(status=choices.OrganizationStatus.APPLIED)
            | models.Q(requested_legal_name__gt="")
            | models.Q(requested_category__isnull=False)
        )


class Organization(models.Model):
    """An organisation of SERMIG's registry (Registro de Organizaciones Sociales), shared by every mechanism:
    COSOC members come from it and only accredited organisations nominate and vote, each in its one category.

    A signed-in representative applies; staff accredit, ask for changes or reject with a reason
    (``participants.organizations.services``). Once accredited, a new legal name or category waits in
    ``requested_legal_name`` / ``requested_category`` until staff approve it, so the public list and the
    voter roll never show a category staff did not check."""

    legal_name = models.CharField(_("nombre legal"), max_length=200)
    rut = models.CharField(
        _("RUT"),
        max_length=12,
        blank=True,
        validators=[validate_rut],
        help_text=_("El RUT de la organización, con su dígito verificador (por ejemplo 65.123.456-7)."),
    )
    other_registration = models.CharField(
        _("otro registro"),
        max_length=120,
        blank=True,
        help_text=_("Si la organización no tiene RUT: el país y el número de su registro."),
    )
    legal_form = models.CharField(_("forma jurídica"), max_length=30, choices=choices.LegalForm.choices)
    category = models.PositiveSmallIntegerField(_("categoría"), choices=choices.OrganizationCategory.choices)
    region = models.CharField(_("región"), max_length=20, choices=choices.Region.choices)
    commune = models.CharField(_("comuna"), max_length=100, blank=True)
    description = models.TextField(
        _("qué hace la organización"),
        max_length=1000,
        blank=True,
        help_text=_("Unas líneas para la lista pública (opcional)."),
    )
    website = models.URLField(_("sitio web"), blank=True)
    contact_email = models.EmailField(
        _("correo de contacto"), blank=True, help_text=_("Solo lo ve el equipo de SERMIG.")
    )
    contact_phone = models.CharField(
        _("teléfono de contacto"), max_length=30, blank=True, help_text=_("Solo lo ve el equipo de SERMIG.")
    )
    status = models.CharField(
        _("estado"),
        max_length=20,
        choices=choices.OrganizationStatus.choices,
        default=choices.OrganizationStatus.APPLIED,
        db_index=True,
    )
    review_reason = models.TextField(
        _("motivo de la decisión"),
        blank=True,
        help_text=_("Lo que el equipo pidió cambiar o por qué rechazó; la organización lo lee."),
    )
    requested_legal_name = models.CharField(_("nombre legal pedido"), max_length=200, blank=True)
    requested_category = models.PositiveSmallIntegerField(
        _("categoría pedida"), choices=choices.OrganizationCategory.choices, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("postulada el"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("revisada el"), null=True, blank=True)
    accredited_at = models.DateTimeField(_("acreditada el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        ordering = ["legal_name"]
        permissions = [("review_organization", _("Puede acreditar, pedir cambios o rechazar organizaciones"))]
        constraints = [
            models.UniqueConstraint(
                fields=["rut"],
                condition=~models.Q(rut=""),
                name="organization_unique_rut",
                violation_error_message=_("Ya hay una organización registrada con este RUT."),
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    def clean(self) -> None:
        # A rule of the application form and the services (full_clean), not a database check: organisations
        # made by other apps' fixtures and older rows need not carry a registration.
        super().clean()
        if not self.rut and not (self.other_registration or "").strip():
            raise ValidationError(
                {"rut": _("Indique el RUT de la organización o, si no tiene, otro registro (país y número).")}
            )

    @property
    def is_accredited(self) -> bool:
        return self.status == choices.OrganizationStatus.ACCREDITED

    @property
    def has_requested_change(self) -> bool:
        return bool(self.requested_legal_name) or self.requested_category is not None

    @property
    def registration(self) -> str:
        return self.rut or self.other_registration


class OrganizationRepresentative(models.Model):
    """A person who may act for the organisation: apply, update it, nominate and cast its ballot."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("organización")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organization_roles", verbose_name=_("persona")
    )
    position = models.CharField(_("cargo"), max_length=100, blank=True)
    added_at = models.DateTimeField(_("agregada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("representante")
        verbose_name_plural = _("representantes")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                name="representative_once_per_organization",
                violation_error_message=_("Esta persona ya representa a la organización."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization}"


class OrganizationDocument(models.Model):
    """A supporting document (statutes, certificate of validity…), served only to the organisation's
    representatives and to staff (``participants.organizations.views.document``)."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Estatutos o acta de constitución")
        VALIDITY = "validity", _("Certificado de vigencia")
        OTHER = "other", _("Otro documento")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="documents", verbose_name=_("organización")
    )
    kind = models.CharField(
        _("tipo de documento"), max_length=20, choices=Kind.choices, default=Kind.STATUTES
    )
    file = UploadField(
        _("archivo"),
        prefix="participants/organizations",
        types=["pdf", "png", "jpeg"],
        name_field="file_name",
    )
    file_name = models.CharField(_("nombre original"), max_length=255, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("subido por")
    )
    uploaded_at = models.DateTimeField(_("subido el"), auto_now_add=True)

    class Meta:
        verbose_name = _("documento de la organización")
        verbose_name_plural = _("documentos de la organización")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name or self.get_kind_display()

    def get_download_url(self) -> str:
        return reverse("organizations:document", args=[self.organization_id, self.pk])


class OrganizationDecision(models.Model):
    """Staff's decisions on an organisation, kept in order: who decided what, when and why."""

    class Decision(models.TextChoices):
        ACCREDITED = "accredited", _("Acreditada")
        CHANGES_REQUESTED = "changes_requested", _("Se pidieron cambios")
        REJECTED = "rejected", _("Rechazada")
        CHANGE_APPROVED = "change_approved", _("Cambio de nombre o categoría aprobado")
        CHANGE_REFUSED = "change_refused", _("Cambio de nombre o categoría rechazado")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("organización")
    )
    decision = models.CharField(_("decisión"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("motivo"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("decidida por")
    )
    decided_at = models.DateTimeField(_("fecha"), default=timezone.now)

    class Meta:
        verbose_name = _("decisión sobre la organización")
        verbose_name_plural = _("decisiones sobre organizaciones")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_decision_display()}"
