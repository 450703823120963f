from django import forms
from django.utils.translation import gettext_lazy as _

from cosoc.models import OBSERVATION_MAX_LENGTH


class ObservationForm(forms.Form):
    text = forms.CharField(
        label=_("Su observación"),
        max_length=OBSERVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Solo la ven las y los integrantes del consejo y la secretaría ejecutiva. Máximo 2000 caracteres."
        ),
        error_messages={
            "required": _("Escriba su observación antes de enviarla."),
            "max_length": _(
                "La observación es demasiado larga: use como máximo %(limit_value)d caracteres (tiene %(show_value)d)."
            ),
        },
    )
