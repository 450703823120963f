from django import template

from consultations.answers import AnswerValue
from consultations.models import Question
from consultations.selectors import answer_text

register = template.Library()


@register.simple_tag
def answer_display(question: Question, answers: dict[int, AnswerValue]) -> str:
    """A person's answer as plain text (auto-escaped by the template)."""
    return answer_text(question, answers.get(question.pk))
