from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from engine.models import ReportFormat


class ReportOptionsForm(forms.Form):
    """What every report kind shares: the file format and the language it is written in."""

    format = forms.ChoiceField(label=_("Formato"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    language = forms.ChoiceField(label=_("Idioma del reporte"), choices=settings.LANGUAGES)
