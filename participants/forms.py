from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from participants import choices
from participants.models import ATTRIBUTE_NAMES, SENSITIVE_ATTRIBUTES, Participant

# Why each sensitive question is asked, in plain words. Shown next to its consent box.
SENSITIVE_EXPLANATIONS = {
    "gender_identity": _(
        "Para saber si mujeres, hombres y personas no binarias participan por igual, y corregir si no es así."
    ),
    "sex_at_birth": _("Para comparar la participación con las estadísticas oficiales, que cuentan por sexo."),
    "sexual_orientation": _("Para saber si las personas LGBTIQA+ migrantes están siendo escuchadas."),
    "migration_status": _(
        "Para saber si escuchamos a personas en todas las situaciones migratorias. "
        "Esta respuesta nunca se usa en trámites ni se comparte con otras áreas."
    ),
    "indigenous_people": _("Para saber si los pueblos indígenas y tribales están siendo escuchados."),
    "disability": _(
        "Para saber si las personas con discapacidad pueden participar, y mejorar la accesibilidad."
    ),
}
WHO_SEES_IT = _(
    "Solo el equipo de participación ve esta respuesta. Se publica únicamente sumada con otras, "
    "y los grupos pequeños se ocultan para que nadie pueda ser identificado."
)


def consent_field_name(attribute: str) -> str:
    return f"consent_{attribute}"


def is_disclosed(value) -> bool:
    """An answer was given: neither left empty nor "prefer not to say"."""
    return value not in ("", None, choices.PREFER_NOT_TO_SAY)


class _AttributesWithConsentsForm(forms.ModelForm):
    """What the person's own form and the staff's admin form share: the languages boxes, the consents already
    given (``active_consents``) and the ticked consent boxes (``consented()``). Subclasses name the model."""

    languages = forms.MultipleChoiceField(
        label=_("Idiomas que habla"),
        choices=choices.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.active_consents: set[str] = (
            set(self.instance.consents.active().values_list("attribute", flat=True))
            if self.instance.pk
            else set()
        )

    def consented(self) -> set[str]:
        return {a for a in SENSITIVE_ATTRIBUTES if self.cleaned_data.get(consent_field_name(a))}


class ParticipantAttributesForm(_AttributesWithConsentsForm):
    """The shared participant attributes, with one consent box per sensitive one (profile and questionnaires)."""

    class Meta:
        model = Participant
        fields = list(ATTRIBUTE_NAMES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for attribute in SENSITIVE_ATTRIBUTES:
            self.fields[consent_field_name(attribute)] = forms.BooleanField(
                label=_("Doy mi consentimiento para que SERMIG guarde esta respuesta."),
                required=False,
                initial=attribute in self.active_consents,
                help_text=SENSITIVE_EXPLANATIONS[attribute],
            )
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "bday-year"})
        self.fields["commune"].widget.attrs["autocomplete"] = "address-level2"

    def clean(self) -> dict:
        cleaned = super().clean()
        for attribute in SENSITIVE_ATTRIBUTES:
            consent_given = cleaned.get(consent_field_name(attribute))
            # Unticking an active consent withdraws it (the value is deleted); a new answer needs the tick.
            if (
                is_disclosed(cleaned.get(attribute))
                and not consent_given
                and attribute not in self.active_consents
            ):
                self.add_error(
                    attribute,
                    _(
                        "Para guardar esta respuesta, marque la casilla de consentimiento. "
                        "Si no quiere responder, elija «Prefiero no decirlo»."
                    ),
                )
        return cleaned

    def is_blank(self) -> bool:
        """Unbound, for someone who has given no attribute and no consent: then the form's markup is the
        same for everyone (in one language, with one prefix), and a page may share it."""
        return (
            not self.is_bound
            and not self.active_consents
            and all(self.initial.get(name) in (None, "", []) for name in self.Meta.fields)
        )

    def general_fields(self) -> list:
        return [self[name] for name in self.Meta.fields if name not in SENSITIVE_ATTRIBUTES]

    def sensitive_rows(self) -> list[dict]:
        return [
            {"field": self[attribute], "consent": self[consent_field_name(attribute)]}
            for attribute in SENSITIVE_ATTRIBUTES
        ]

    def attributes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ProfileForm(ParticipantAttributesForm):
    """'My account': name and language, then the participant attributes."""

    name = forms.CharField(label=_("Nombre"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Idioma preferido"),
        choices=settings.LANGUAGES,
        help_text=_("Las páginas y los correos usarán este idioma."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].initial = user.name
        self.fields["preferred_language"].initial = user.preferred_language


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta y mis datos personales se borrarán y que esto no se puede deshacer."),
        required=True,
    )


class StaffParticipantForm(_AttributesWithConsentsForm):
    """Staff (admin, assisted entry) record a consent given on paper or by phone before a sensitive value."""

    class Meta:
        model = Participant
        fields = ["user", *ParticipantAttributesForm.Meta.fields]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for attribute in self.active_consents:
            name = consent_field_name(attribute)
            if name in self.fields:
                self.fields[name].initial = True
                self.fields[name].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean()
        for attribute in SENSITIVE_ATTRIBUTES:
            if attribute not in self.fields or attribute in self.active_consents:
                continue
            if not is_disclosed(cleaned.get(attribute)):
                continue
            if not cleaned.get(consent_field_name(attribute)):
                self.add_error(
                    attribute,
                    _(
                        "Para guardar este dato, marque que la persona dio su consentimiento. Si no lo dio, "
                        "deje el dato vacío."
                    ),
                )
        return cleaned

    def consented(self) -> set[str]:
        return super().consented() - self.active_consents


# One "consent signed on paper" box per sensitive attribute, declared on the class so admin fieldsets can place
# each one next to the attribute it covers.
for _attribute in SENSITIVE_ATTRIBUTES:
    _field = forms.BooleanField(
        label=_("La persona dio su consentimiento para este dato"),
        required=False,
        help_text=_(
            "Márquelo solo si la persona aceptó que guardemos este dato: firmando en papel o diciéndolo por teléfono."
        ),
    )
    StaffParticipantForm.base_fields[consent_field_name(_attribute)] = _field
    StaffParticipantForm.declared_fields[consent_field_name(_attribute)] = _field


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (``ACCOUNT_FORMS["signup"]``), as long for a known email as for a new one."""

    def try_save(self, request):
        if self.account_already_exists:
            # A new account costs a password hash (most of a sign-up's time); a known email, which gets the same
            # reply and an "account already exists" email instead, costs the same hash, thrown away.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
