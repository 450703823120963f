from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participants.forms import StaffParticipantForm
from public_accounts.models import Kind, PublicAccount, Section

OTHER_TOPIC = ""


class QuestionForm(forms.Form):
    """A question or observation about one section of the account, or another topic."""

    kind = forms.ChoiceField(
        label=_("¿Qué quiere enviar?"), choices=Kind.choices, initial=Kind.QUESTION, widget=forms.RadioSelect
    )
    section = forms.ChoiceField(label=_("¿Sobre qué parte de la cuenta?"), required=False)
    topic = forms.CharField(
        label=_("Otro tema"),
        required=False,
        max_length=120,
        help_text=_("Si su pregunta no es sobre una sección, diga en pocas palabras sobre qué es."),
    )
    text = forms.CharField(
        label=_("Su pregunta u observación"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Escriba su pregunta u observación.")},
    )
    language = forms.ChoiceField(
        label=_("Idioma en que escribe y quiere la respuesta"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, account: PublicAccount, sections: list[Section], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {str(section.pk): section for section in sections}
        self.fields["section"].choices = [
            (OTHER_TOPIC, _("Otro tema")),
            *((str(s.pk), s.title) for s in sections),
        ]
        limit = settings.PUBLIC_ACCOUNT_QUESTION_MAX_LENGTH
        self.fields["text"].widget.attrs["maxlength"] = str(limit)
        self.fields["text"].help_text = _("Hasta %(limit)s caracteres.") % {"limit": limit}
        self.fields["language"].initial = get_language() or "es"

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Escriba su pregunta u observación."))
        limit = settings.PUBLIC_ACCOUNT_QUESTION_MAX_LENGTH
        if len(text) > limit:
            raise forms.ValidationError(
                _("Su texto tiene %(length)s caracteres; el máximo es %(limit)s. Acórtelo, por favor.")
                % {"length": len(text), "limit": limit}
            )
        return text

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("section") and not (cleaned.get("topic") or "").strip():
            self.add_error("topic", _("Elija una sección o diga sobre qué tema es su pregunta."))
        return cleaned

    @property
    def section_object(self) -> Section | None:
        return self.sections.get(self.cleaned_data.get("section") or "")


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Su correo electrónico"),
        help_text=_(
            "Le enviaremos un enlace para escribir su pregunta. Guardamos el correo solo para enviarle "
            "la respuesta."
        ),
    )


class InPersonQuestionForm(QuestionForm):
    contact = forms.CharField(
        label=_("Contacto para entregar la respuesta (opcional)"),
        required=False,
        max_length=200,
        help_text=_("Correo o teléfono, si la persona quiere recibir la respuesta."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Pregunta, como la hizo la persona")
        self.fields["language"].label = _("Idioma de la pregunta")


class StaffAttributesForm(StaffParticipantForm):
    class Meta(StaffParticipantForm.Meta):
        fields = [name for name in StaffParticipantForm.Meta.fields if name != "user"]
