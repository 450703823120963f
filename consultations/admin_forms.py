"""Forms of the consultations admin: the questionnaire builder's conditions and the dialogue counts.

A condition is chosen as "question → option" among the questions asked before (earlier sections, or earlier
in the same section), never as a bare option id; dialogue counts are chosen as "attribute → category" from
the shared list of participant attributes and as "question → option", so a count cannot point to something
the results do not know.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from nested_admin.formsets import NestedInlineFormSet

from consultations.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    TOTAL_ATTENDANCE,
    Consultation,
    DialogueAttendance,
    Option,
    Question,
    Section,
)
from engine.admin_helpers import PublishGapsFormMixin, translation_gaps
from engine.models import attribute_choices
from participants.models import Participant

# --- Publishing ------------------------------------------------------------------------------------------


def consultation_gaps(consultation: Consultation, values: dict[str, Any] | None = None) -> dict[str, list]:
    """What of the consultation and its questionnaire is written in Spanish only, per language."""
    related = [
        (
            Section.objects.filter(consultation=consultation),
            lambda n: ngettext("%(n)d sección", "%(n)d secciones", n) % {"n": n},
        ),
        (
            Question.objects.filter(section__consultation=consultation),
            lambda n: ngettext("%(n)d pregunta", "%(n)d preguntas", n) % {"n": n},
        ),
        (
            Option.objects.filter(question__section__consultation=consultation),
            lambda n: ngettext("%(n)d opción", "%(n)d opciones", n) % {"n": n},
        ),
    ]
    return translation_gaps(consultation, related=related if consultation.pk else (), values=values)


class ConsultationAdminForm(PublishGapsFormMixin):
    def publish_gaps(self, cleaned):
        return consultation_gaps(self.instance, cleaned)


# --- Conditions ------------------------------------------------------------------------------------------


def _position(section_order: int, section_pk: int | None, order: int, pk: int | None) -> tuple:
    """Where a question stands in the questionnaire; unsaved rows come after saved ones of the same order."""
    big = float("inf")
    return (
        section_order,
        section_pk if section_pk is not None else big,
        order,
        pk if pk is not None else big,
    )


def question_option_choices(
    consultation_id: int | None, *, by_question: bool = False
) -> tuple[list, dict[int, tuple]]:
    """The consultation's choice options labelled "question → option", grouped by section (conditions) or by
    question (dialogue counts, summed per question as staff type), and where each option's question stands.
    One query."""
    options = (
        Option.objects.filter(
            question__section__consultation_id=consultation_id, question__kind__in=CHOICE_KINDS
        )
        .select_related("question__section")
        .order_by(
            "question__section__order", "question__section_id", "question__order", "question_id", "order"
        )
    )
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    labels: dict[str, str] = {}
    positions: dict[int, tuple] = {}
    for option in options:
        question = option.question
        section = question.section
        group = f"{question.section_id}:{question.pk}" if by_question else str(section.pk)
        groups[group].append((option.pk, f"{question.text} → {option.text}"))
        positions[option.pk] = _position(section.order, section.pk, question.order, question.pk)
        labels[group] = question.text if by_question else str(section)
    return [(labels[group], choices) for group, choices in groups.items()], positions


class QuestionBuilderForm(forms.ModelForm):
    depends_on_option = forms.ModelChoiceField(
        queryset=Option.objects.none(),
        required=False,
        label=_("Mostrar solo si en una pregunta anterior se eligió"),
        help_text=_(
            "Pregunta → opción. Solo preguntas anteriores; las preguntas nuevas de esta sección aparecen "
            "aquí después de guardar."
        ),
    )

    class Meta:
        model = Question
        fields = ["order", "kind", "required", "allow_other", "text", "help_text", "depends_on_option"]


class QuestionBuilderFormSet(NestedInlineFormSet):
    """A section's questions: each condition refers to a question asked before this one."""

    consultation_id: int | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        grouped, self.condition_positions = question_option_choices(self.consultation_id)
        self.condition_choices = [("", _("Siempre se muestra")), *grouped]
        queryset = Option.objects.filter(question__section__consultation_id=self.consultation_id)
        for form in self.forms:
            self._limit(form, queryset)

    def _limit(self, form: forms.BaseForm, queryset) -> None:
        field = form.fields.get("depends_on_option")
        if field is not None:
            field.queryset = queryset
            field.choices = self.condition_choices

    @property
    def empty_form(self):
        form = super().empty_form
        if hasattr(self, "condition_choices"):
            self._limit(form, Option.objects.filter(question__section__consultation_id=self.consultation_id))
        return form

    def clean(self) -> None:
        super().clean()
        section: Section = self.instance
        section_order = section.order or 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("depends_on_option"):
                continue
            option: Option = data["depends_on_option"]
            here = _position(section_order, section.pk, data.get("order") or 0, form.instance.pk)
            there = self.condition_positions.get(option.pk)
            if option.question_id == form.instance.pk and form.instance.pk is not None:
                form.add_error("depends_on_option", gettext("Una pregunta no puede depender de sí misma."))
            elif there is None:
                form.add_error(
                    "depends_on_option", gettext("Elija una opción de una pregunta de esta misma consulta.")
                )
            else:
                # A question of this section may have been moved in this same save: use its new place.
                if option.question.section_id == section.pk:
                    moved = self._posted_order(option.question_id)
                    if moved is not None:
                        there = _position(section_order, section.pk, moved, option.question_id)
                if there >= here:
                    form.add_error(
                        "depends_on_option",
                        gettext(
                            "«%(question)s» va después de esta pregunta: elija una opción de una pregunta "
                            "anterior, o cambie el orden."
                        )
                        % {"question": option.question.text},
                    )

    def _posted_order(self, question_id: int) -> int | None:
        for form in self.forms:
            if form.instance.pk == question_id and getattr(form, "cleaned_data", None):
                return form.cleaned_data.get("order") or 0
        return None


class OptionBuilderFormSet(NestedInlineFormSet):
    """A choice question needs options; a text question has none."""

    def clean(self) -> None:
        super().clean()
        question: Question = self.instance
        kept = [
            form
            for form in self.forms
            if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        if question.kind in TEXT_KINDS and kept:
            raise forms.ValidationError(
                gettext("Una pregunta de texto no lleva opciones: bórrelas o cambie el tipo de pregunta.")
            )


# --- Dialogue counts -------------------------------------------------------------------------------------

SEPARATOR = "/"


def attendance_choices() -> list:
    """ "Attribute → category" pairs as grouped choices (value ``attribute/category``): the total first, then
    every attribute reports disaggregate by, with the categories of the shared list."""
    total = SEPARATOR.join(TOTAL_ATTENDANCE)
    groups: list = [("", "---------"), (gettext("Total"), [(total, gettext("Total de asistentes"))])]
    for attribute, label in attribute_choices():
        field = Participant._meta.get_field(attribute)
        categories = list(countries) if attribute == "nationality" else list(field.choices or [])
        groups.append(
            (capfirst(label), [(f"{attribute}{SEPARATOR}{code}", name) for code, name in categories])
        )
    return groups


class AttendanceForm(forms.ModelForm):
    """One count of attendance, its pair chosen from the list (never typed)."""

    pair = forms.ChoiceField(label=_("Dato → categoría"))

    class Meta:
        model = DialogueAttendance
        fields = ["count"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = attendance_choices()
        if self.instance.pk:
            current = SEPARATOR.join((self.instance.attribute, self.instance.category))
            self.initial["pair"] = current
            if not self.instance.is_known:
                # Shown as it was typed, so staff see what to correct; saving it is refused.
                choices.insert(1, (current, gettext("No reconocido: «%(pair)s»") % {"pair": current}))
        self.fields["pair"].choices = choices

    def clean_pair(self) -> str:
        pair = self.cleaned_data["pair"]
        attribute, _sep, category = pair.partition(SEPARATOR)
        self.instance.attribute, self.instance.category = attribute, category
        if not self.instance.is_known:
            raise forms.ValidationError(
                gettext(
                    "«%(pair)s» no es un dato de la lista: elija el dato y la categoría entre las opciones."
                )
                % {"pair": pair}
            )
        return pair


class AttendanceFormSet(BaseInlineFormSet):
    """Each pair once per dialogue, and no attribute adding up to more people than attended."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        sums: dict[str, int] = defaultdict(int)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form) or not data.get("pair"):
                continue
            pair, count = data["pair"], data.get("count") or 0
            if pair in seen:
                form.add_error("pair", gettext("Este dato y categoría ya tiene su cantidad en otra fila."))
            seen.add(pair)
            sums[pair.partition(SEPARATOR)[0]] += count
        total = sums.pop(TOTAL_ATTENDANCE[0], None)
        if total is None:
            return
        labels = dict(attribute_choices())
        over = [
            gettext("%(attribute)s suma %(sum)d") % {"attribute": capfirst(labels[name]), "sum": n}
            for name, n in sums.items()
            if n > total
        ]
        if over:
            raise forms.ValidationError(
                gettext("Hay más personas que el total de asistentes (%(total)d): %(over)s.")
                % {"total": total, "over": "; ".join(over)}
            )


class ConsultationChildFormSet(BaseInlineFormSet):
    """Rows of a dialogue that refer to its consultation's questionnaire; ``consultation_id`` is set by the
    inline (``DialogueChildInline.get_formset``)."""

    consultation_id: int | None = None


class OptionCountFormSet(ConsultationChildFormSet):
    """Counts are given to options of the dialogue's own consultation, chosen as "question → option"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.option_choices = [
            ("", "---------"),
            *question_option_choices(self.consultation_id, by_question=True)[0],
        ]
        for form in self.forms:
            self._limit(form)

    def _limit(self, form: forms.BaseForm) -> None:
        field = form.fields["option"]
        field.queryset = Option.objects.filter(
            question__section__consultation_id=self.consultation_id, question__kind__in=CHOICE_KINDS
        )
        field.choices = self.option_choices

    @property
    def empty_form(self):
        form = super().empty_form
        self._limit(form)
        return form
