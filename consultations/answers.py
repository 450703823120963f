"""What a person answered, and which questions they are asked: pure functions, no database.

A question with a condition (``depends_on_option``) is shown only when that option was chosen. The rule is
written once here and used by the answering form (``forms.py``), the answering and review pages
(``views.py``), submission (``services.py``) and nowhere else. Functions take questions as loaded by
``selectors.questionnaire`` and sets of option/question ids, so they can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class ConditionalQuestion(Protocol):
    """What the rule reads of a question (``consultations.models.Question`` has all of it)."""

    pk: int
    required: bool
    depends_on_option_id: int | None


@dataclass
class AnswerValue:
    """One person's answer to one question, as the form cleans it and the database stores it."""

    option_ids: list[int] = field(default_factory=list)
    ranks: dict[int, int] = field(default_factory=dict)
    text: str = ""
    other_text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.option_ids or self.ranks or self.text.strip() or self.other_text.strip())


def is_visible(question: ConditionalQuestion, chosen: set[int]) -> bool:
    """Shown unless its condition names an option that was not chosen."""
    return question.depends_on_option_id is None or question.depends_on_option_id in chosen


def chosen_options(values: Iterable[AnswerValue]) -> set[int]:
    """Every option chosen in these answers (ranked options do not open conditions)."""
    return {option_id for value in values for option_id in value.option_ids}


def missing(questions: Iterable[ConditionalQuestion], chosen: set[int], answered: set[int]) -> list:
    """Required questions that are shown and have no answer: what stops a submission."""
    return [q for q in questions if q.required and is_visible(q, chosen) and q.pk not in answered]


def hidden_answered(
    questions: Iterable[ConditionalQuestion], chosen: set[int], answered: set[int]
) -> list[int]:
    """Ids of answered questions that a later change of mind hid: their answers are not kept."""
    return [q.pk for q in questions if q.pk in answered and not is_visible(q, chosen)]


def condition_question_id(question) -> int | None:
    """The question whose option opens ``question``, or None when it is always shown."""
    return question.depends_on_option.question_id if question.depends_on_option_id else None


def depends_on_other_questions(questions: Iterable, others_than: set[int]) -> bool:
    """Whether any of ``questions`` has its condition on a question outside ``others_than``."""
    return any(
        (condition := condition_question_id(q)) is not None and condition not in others_than
        for q in questions
    )


def section_questions(questions: Iterable, *, earlier: set[int], chosen: set[int]) -> list:
    """The questions of one section page.

    A question whose condition lies in an earlier section is left out when that condition was not met (the
    person has already answered there); a condition on the same section or a later one is decided as the person
    answers, so the question stays on the page. ``earlier`` holds the ids of the questions of earlier sections;
    ``chosen`` the options chosen outside this section.
    """
    return [
        q
        for q in questions
        if q.depends_on_option_id is None
        or condition_question_id(q) not in earlier
        or q.depends_on_option_id in chosen
    ]


def resume_step(sections: list[list], *, chosen: set[int], answered: set[int]) -> int | None:
    """Where a person picks up a draft: the section after the last one with answers (where they were going),
    or an earlier one that still has a shown required question unanswered (a draft saved half-way); None
    when every section is done and what is left is the review.

    ``sections`` holds each section's questions in order; steps count from 1.
    """
    first_missing = None
    last_answered = 0
    for number, questions in enumerate(sections, start=1):
        if first_missing is None and missing(questions, chosen, answered):
            first_missing = number
        if any(q.pk in answered for q in questions):
            last_answered = number
    step = min(first_missing or len(sections) + 1, last_answered + 1)
    return step if step <= len(sections) else None
