from django import template
from django.utils.translation import gettext as _

from consultations.answers import AnswerValue
from consultations.models import Question, QuestionKind

register = template.Library()


@register.simple_tag
def answer_display(question: Question, answers: dict[int, AnswerValue]) -> str:
    """A person's answer as plain text (auto-escaped by the template)."""
    value = answers.get(question.pk)
    if value is None or value.is_empty:
        return _("Sin respuesta")
    options = {option.pk: option.text for option in question.options.all()}
    if question.kind == QuestionKind.RANKING:
        ordered = sorted(value.ranks.items(), key=lambda item: item[1])
        return " · ".join(f"{rank}. {options.get(option_id, '')}" for option_id, rank in ordered)
    if question.is_choice:
        chosen = [options.get(option_id, "") for option_id in value.option_ids]
        if value.other_text:
            chosen.append(f"{_('Otra')}: {value.other_text}")
        return ", ".join(chosen)
    return value.text
