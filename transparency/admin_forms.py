"""The publication's change form: publishing asks for the missing translations and warns of personal data;
a substantive change asks for its one-line note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from engine.admin_helpers import describe_gaps, translation_gaps
from transparency import rules
from transparency.models import PUBLIC_STATUSES, Publication, Status

PERSONAL_DATA_NAMES = {
    "rut": _("RUT"),
    "passport": _("pasaporte"),
    "email": _("correo electrónico"),
    "phone": _("teléfono"),
}


def describe_personal_data(hits: list[rules.PersonalDataHit]) -> str:
    return "; ".join(f"{PERSONAL_DATA_NAMES[hit.kind]}: {hit.text}" for hit in hits)


class PublicationAdminForm(forms.ModelForm):
    substantive_change = forms.BooleanField(
        label=_("Es un cambio sustantivo"),
        required=False,
        help_text=_(
            "Márquelo cuando cambia el contenido (cifras, plazos, decisiones), no una errata. Se guarda una "
            "versión nueva con la fecha de hoy, la anterior sigue visible y se avisa a quienes siguen el tema."
        ),
    )
    change_note = forms.CharField(
        label=_("Qué cambió (una línea)"),
        max_length=200,
        required=False,
        help_text=_("Por ejemplo: «Se agrega la ejecución de octubre»."),
    )
    change_note_ht = forms.CharField(label=_("Qué cambió (Creole haitiano)"), max_length=200, required=False)
    change_note_en = forms.CharField(label=_("Qué cambió (Inglés)"), max_length=200, required=False)
    publish_anyway = forms.BooleanField(
        label=_("Publicar aunque falten traducciones"),
        required=False,
        help_text=_("Márquelo solo si las personas que leen en Creole haitiano o en inglés pueden esperar."),
    )
    no_personal_data = forms.BooleanField(
        label=_("Revisé el texto: no contiene datos personales"),
        required=False,
        help_text=_(
            "La transparencia activa no publica datos personales (RUT, pasaporte, correo, teléfono de "
            "personas). Márquelo solo si lo que se detectó no es un dato personal (por ejemplo, el teléfono "
            "de una oficina pública)."
        ),
    )

    class Meta:
        model = Publication
        fields = [
            "type",
            "title",
            "slug",
            "summary",
            "body",
            "responsible_unit",
            "topics",
            "published_on",
            "updated_on",
            "update_frequency",
            "status",
        ]

    def _texts(self, cleaned: dict[str, Any]) -> list[str]:
        return [str(value) for name, value in cleaned.items() if isinstance(value, str)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        was_public = self.instance.pk is not None and self.initial.get("status") in PUBLIC_STATUSES
        turning_on = status == Status.PUBLISHED and self.initial.get("status") != Status.PUBLISHED
        will_be_public = status in PUBLIC_STATUSES
        if cleaned.get("substantive_change"):
            if not was_public:
                self.add_error(
                    "substantive_change",
                    gettext("Solo una publicación ya publicada tiene versiones: publíquela primero."),
                )
            elif not (cleaned.get("change_note") or "").strip():
                self.add_error(
                    "change_note",
                    gettext("Escriba en una línea qué cambió: se muestra en el historial de versiones."),
                )
        if turning_on and not cleaned.get("publish_anyway"):
            gaps = translation_gaps(self.instance, values=cleaned)
            if gaps:
                self.add_error(
                    "status",
                    gettext("Faltan textos por traducir (%(gaps)s). Tradúzcalos o marque «%(anyway)s».")
                    % {"gaps": describe_gaps(gaps), "anyway": self.fields["publish_anyway"].label},
                )
        if will_be_public and (turning_on or self.has_changed()) and not cleaned.get("no_personal_data"):
            hits = rules.personal_data(*self._texts(cleaned))
            if hits:
                self.add_error(
                    "status",
                    gettext(
                        "Atención: el texto parece contener datos personales (%(found)s). Quítelos antes de "
                        "publicar, o marque «%(checked)s» si no lo son."
                    )
                    % {
                        "found": describe_personal_data(hits),
                        "checked": self.fields["no_personal_data"].label,
                    },
                )
        return cleaned

    def change_notes(self) -> dict[str, str]:
        return {
            "es": self.cleaned_data.get("change_note", ""),
            "ht": self.cleaned_data.get("change_note_ht", ""),
            "en": self.cleaned_data.get("change_note_en", ""),
        }
