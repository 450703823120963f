from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cosoc.elections.models import Candidacy


class CandidacyForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("Correo de la cuenta de la persona candidata"),
        help_text=_("Si resulta electa, integra el consejo con esta cuenta del portal."),
    )

    class Meta:
        model = Candidacy
        fields = ["name", "gender", "bio", "consent_to_publish"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 600})}
        help_texts = {"bio": _("Hasta 600 caracteres: quién es y qué propone.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_to_publish"].required = True
        self.fields["consent_to_publish"].error_messages["required"] = _(
            "La persona debe aceptar que se publique su candidatura."
        )
        self.fields["gender"].widget = forms.RadioSelect(choices=self.fields["gender"].choices[1:])

    def _post_clean(self) -> None:
        # The candidacy's election, organisation and account are the service's to set and check.
        pass


class BallotForm(forms.Form):
    """The choices of one ballot: candidacies of the organisation's category, or blank."""

    candidacies = forms.TypedMultipleChoiceField(
        label=_("Candidaturas"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    blank = forms.BooleanField(label=_("Votar en blanco"), required=False)

    def __init__(self, *args, candidacies, limit: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidacies"]
        field.choices = [(c.pk, f"{c.name} — {c.organization.legal_name}") for c in candidacies]
        field.help_text = _("Marque hasta %(limit)s.") % {"limit": limit}
        # Ids are checked by the service (another category, a refused candidacy…), with its own message.
        field.valid_value = lambda value: True  # type: ignore[method-assign]
