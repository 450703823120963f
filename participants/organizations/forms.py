from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from engine.files import FileValidator
from participants import choices
from participants.models import Organization, OrganizationDocument
from participants.organizations.rut import normalize
from participants.organizations.services import APPLICATION_FIELDS, NewDocument

DOCUMENT_TYPES = ["pdf", "png", "jpeg"]


def _document_field(label, *, required: bool, help_text) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        validators=[FileValidator(DOCUMENT_TYPES)],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


def _check_size(upload) -> None:
    if upload and upload.size > settings.REGISTRY_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("El archivo pesa %(size)s; el máximo es %(max)s. Envíe una copia más liviana."),
            code="registry_document_too_big",
            params={
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.REGISTRY_DOCUMENT_MAX_BYTES),
            },
        )


DOCUMENT_HELP = _("PDF, PNG o JPEG, de 10 MB como máximo.")


class OrganizationForm(forms.ModelForm):
    """The application, and later the representative's updates (with an optional extra document)."""

    statutes = _document_field(_("Estatutos o acta de constitución"), required=True, help_text=DOCUMENT_HELP)
    validity = _document_field(
        _("Certificado de vigencia (opcional)"), required=False, help_text=DOCUMENT_HELP
    )
    website = forms.URLField(label=_("sitio web"), required=False, assume_scheme="https")
    position = forms.CharField(label=_("Su cargo en la organización"), max_length=100, required=False)
    acts_for = forms.BooleanField(
        label=_("Declaro que puedo actuar en nombre de esta organización."),
        required=True,
        error_messages={"required": _("Confirme que puede actuar en nombre de la organización.")},
    )

    class Meta:
        model = Organization
        fields = APPLICATION_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, updating: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.updating = updating
        # People outside Chile or preferring not to say are not places an organisation is registered in.
        self.fields["region"].choices = [
            (value, label)
            for value, label in self.fields["region"].choices
            if value not in (choices.Region.ABROAD, choices.Region.PREFER_NOT_TO_SAY)
        ]
        self.fields["commune"].required = True
        self.fields["contact_email"].required = True
        self.fields["category"].widget = forms.RadioSelect(choices=self.fields["category"].choices[1:])
        if updating:
            del self.fields["acts_for"], self.fields["position"]
            self.fields["statutes"].required = False
            self.fields["statutes"].label = _("Agregar un documento (opcional)")
            del self.fields["validity"]
            if self.instance.is_accredited:
                self.fields["legal_name"].help_text = _(
                    "Si cambia el nombre legal o la categoría, el equipo de SERMIG revisará el cambio "
                    "antes de publicarlo."
                )

    def clean_rut(self) -> str:
        return normalize(self.cleaned_data.get("rut") or "")

    def clean_statutes(self):
        upload = self.cleaned_data.get("statutes")
        _check_size(upload)
        return upload

    def clean_validity(self):
        upload = self.cleaned_data.get("validity")
        _check_size(upload)
        return upload

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in APPLICATION_FIELDS if name in self.cleaned_data}

    def new_documents(self) -> list[NewDocument]:
        documents = []
        if self.cleaned_data.get("statutes"):
            kind = OrganizationDocument.Kind.OTHER if self.updating else OrganizationDocument.Kind.STATUTES
            documents.append(NewDocument(kind=kind, file=self.cleaned_data["statutes"]))
        if self.cleaned_data.get("validity"):
            documents.append(
                NewDocument(kind=OrganizationDocument.Kind.VALIDITY, file=self.cleaned_data["validity"])
            )
        return documents


class RepresentativeAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Correo de la persona"),
        help_text=_("Debe tener una cuenta en el portal con este correo."),
    )
    position = forms.CharField(label=_("Cargo"), max_length=100, required=False)


class RegistrySearchForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre o comuna"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=_("Categoría"),
        choices=[("", _("Todas"))] + list(choices.OrganizationCategory.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    region = forms.ChoiceField(
        label=_("Región"),
        choices=[("", _("Todas"))]
        + [
            (value, label)
            for value, label in choices.Region.choices
            if value not in (choices.Region.ABROAD, choices.Region.PREFER_NOT_TO_SAY)
        ],
        required=False,
    )
