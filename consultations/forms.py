from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.answers import AnswerValue, chosen_options, is_visible
from consultations.models import Channel, Question, QuestionKind, TopicProposal

OTHER = "other"


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class QuestionnaireForm(forms.Form):
    """The questions of one section (or of the whole questionnaire), built from the database.

    Option values are option ids, so a tampered id fails ChoiceField validation; text length is capped
    per question type; fields that are not part of the form are refused by the view.
    """

    def __init__(
        self,
        *args,
        questions: list[Question],
        chosen: set[int] = frozenset(),
        enforce_required: bool = False,
        initial_answers: dict[int, AnswerValue] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.chosen = set(chosen)
        self.enforce_required = enforce_required
        initial_answers = initial_answers or {}
        for question in questions:
            self._add_fields(question, initial_answers.get(question.pk))

    def _add_fields(self, question: Question, initial: AnswerValue | None) -> None:
        name = field_name(question)
        options = [(str(o.pk), o.text) for o in question.options.all()]
        common = {"label": question.text, "help_text": question.help_text, "required": False}
        if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            if question.allow_other:
                options.append((OTHER, _("Otra")))
            self.fields[name] = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
            if initial:
                self.initial[name] = (
                    OTHER
                    if initial.other_text and not initial.option_ids
                    else (str(initial.option_ids[0]) if initial.option_ids else None)
                )
        elif question.kind == QuestionKind.MULTIPLE:
            if question.allow_other:
                options.append((OTHER, _("Otra")))
            self.fields[name] = forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
            if initial:
                self.initial[name] = [str(o) for o in initial.option_ids] + (
                    [OTHER] if initial.other_text else []
                )
        elif question.kind == QuestionKind.RANKING:
            positions = [("", "—")] + [(str(i), str(i)) for i in range(1, len(options) + 1)]
            for option_id, text in options:
                field = forms.ChoiceField(
                    choices=positions,
                    label=text,
                    required=False,
                    help_text=_("Posición de esta opción (1 = la más importante)"),
                )
                field.ranking_of = question
                self.fields[f"{name}_rank_{option_id}"] = field
                if initial and int(option_id) in initial.ranks:
                    self.initial[f"{name}_rank_{option_id}"] = str(initial.ranks[int(option_id)])
        else:
            widget = (
                forms.Textarea(attrs={"rows": 5})
                if question.kind == QuestionKind.LONG_TEXT
                else forms.TextInput
            )
            self.fields[name] = forms.CharField(max_length=question.max_length, widget=widget, **common)
            if initial:
                self.initial[name] = initial.text
        if question.allow_other and question.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.SCALE,
        ):
            self.fields[f"{name}_other"] = forms.CharField(
                label=_("Si eligió «Otra», escriba cuál"), max_length=200, required=False
            )
            if initial:
                self.initial[f"{name}_other"] = initial.other_text

    def clean(self) -> dict:
        cleaned = super().clean()
        values = self.answer_values(cleaned)
        chosen = self.chosen | chosen_options(values.values())
        for question in self.questions:
            name = field_name(question)
            value = values[question]
            # A ranking question has one field per option: its errors go on the first one.
            target = (
                name
                if name in self.fields
                else next((f for f in self.fields if f.startswith(f"{name}_rank_")), None)
            )
            if question.kind == QuestionKind.RANKING:
                ranks = list(value.ranks.values())
                if len(ranks) != len(set(ranks)):
                    self.add_error(target, _("Cada posición se puede usar una sola vez."))
            selected = cleaned.get(name)
            picked_other = selected == OTHER or (isinstance(selected, list) and OTHER in selected)
            if picked_other and not value.other_text:
                self.add_error(f"{name}_other", _("Escriba su otra respuesta."))
            if (
                self.enforce_required
                and question.required
                and is_visible(question, chosen)
                and value.is_empty
            ):
                self.add_error(target, _("Responda esta pregunta."))
        return cleaned

    def answer_values(self, cleaned: dict | None = None) -> dict[Question, AnswerValue]:
        cleaned = self.cleaned_data if cleaned is None else cleaned
        values: dict[Question, AnswerValue] = {}
        for question in self.questions:
            name = field_name(question)
            value = AnswerValue()
            if question.kind == QuestionKind.RANKING:
                for option in question.options.all():
                    rank = cleaned.get(f"{name}_rank_{option.pk}")
                    if rank:
                        value.ranks[option.pk] = int(rank)
            elif question.is_choice:
                selected = cleaned.get(name) or []
                selected = selected if isinstance(selected, list) else [selected]
                value.option_ids = [int(v) for v in selected if v and v != OTHER]
                if OTHER in selected:
                    value.other_text = cleaned.get(f"{name}_other", "")
            else:
                value.text = cleaned.get(name, "") or ""
            values[question] = value
        return values

    def question_rows(self) -> list[dict]:
        """Bound fields grouped per question, for the template."""
        rows = []
        for question in self.questions:
            name = field_name(question)
            if question.kind == QuestionKind.RANKING:
                fields = [self[f] for f in self.fields if f.startswith(f"{name}_rank_")]
            else:
                fields = [self[name]]
            other = self[f"{name}_other"] if f"{name}_other" in self.fields else None
            rows.append({"question": question, "fields": fields, "other": other})
        return rows


class AnonymousEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Su correo electrónico"),
        help_text=_(
            "Le enviaremos un enlace para responder. No guardamos su correo: solo una huella cifrada "
            "para que cada persona responda una vez."
        ),
    )


class TopicProposalForm(forms.ModelForm):
    class Meta:
        model = TopicProposal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class AssistedChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Cómo se recibió la respuesta"),
        choices=[
            (Channel.ASSISTED_PAPER, Channel.ASSISTED_PAPER.label),
            (Channel.ASSISTED_PHONE, Channel.ASSISTED_PHONE.label),
        ],
        widget=forms.RadioSelect,
    )
    paper_reference = forms.CharField(
        label=_("Referencia del formulario en papel"),
        max_length=64,
        required=False,
        help_text=_("El número o código escrito en el formulario. Obligatorio para respuestas en papel."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("channel") == Channel.ASSISTED_PAPER
            and not cleaned.get("paper_reference", "").strip()
        ):
            self.add_error(
                "paper_reference",
                _("Escriba el número o código del formulario en papel, para no registrarlo dos veces."),
            )
        return cleaned
