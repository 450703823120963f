"""The question-visibility rule and what submitting checks, as pure functions (no database)."""

from types import SimpleNamespace

from consultations.answers import (
    AnswerValue,
    chosen_options,
    depends_on_other_questions,
    hidden_answered,
    is_visible,
    missing,
    section_questions,
)


def question(pk: int, *, required: bool = False, condition: tuple[int, int] | None = None):
    """``condition``: (option id, id of the question that option belongs to)."""
    option_id, question_id = condition if condition else (None, None)
    return SimpleNamespace(
        pk=pk,
        required=required,
        depends_on_option_id=option_id,
        depends_on_option=SimpleNamespace(question_id=question_id) if condition else None,
    )


# Question 1 asks "were you served?" (option 11: no); question 2 "why not?" shows only after option 11.
served = question(1, required=True)
why_not = question(2, required=True, condition=(11, 1))
free_idea = question(3)


def test_a_question_without_condition_is_always_shown():
    assert is_visible(served, set())


def test_a_conditional_question_is_shown_only_after_its_option():
    assert not is_visible(why_not, set())
    assert not is_visible(why_not, {12})
    assert is_visible(why_not, {11, 12})


def test_chosen_options_ignore_ranks_and_texts():
    values = [AnswerValue(option_ids=[11]), AnswerValue(ranks={21: 1, 22: 2}), AnswerValue(text="hola")]
    assert chosen_options(values) == {11}


def test_an_answer_is_empty_when_only_blanks_were_typed():
    assert AnswerValue(text="   ", other_text=" ").is_empty
    assert not AnswerValue(ranks={21: 1}).is_empty
    assert not AnswerValue(other_text="otra cosa").is_empty


def test_missing_lists_required_shown_questions_without_answer():
    questions = [served, why_not, free_idea]
    assert missing(questions, chosen=set(), answered=set()) == [served]
    assert missing(questions, chosen={11}, answered={1}) == [why_not]
    assert missing(questions, chosen={11}, answered={1, 2}) == []


def test_a_hidden_required_question_does_not_stop_a_submission():
    assert missing([served, why_not], chosen={12}, answered={1}) == []


def test_answers_to_questions_hidden_by_a_change_of_mind_are_dropped():
    # "No" was chosen, "why not?" answered, then the answer changed to "yes" (12).
    assert hidden_answered([served, why_not, free_idea], chosen={12}, answered={1, 2, 3}) == [2]
    assert hidden_answered([served, why_not], chosen={11}, answered={1, 2}) == []


def test_a_section_page_leaves_out_questions_whose_earlier_condition_was_not_met():
    # "why not?" sits in section 2; its condition is in section 1, already answered with "yes".
    assert section_questions([why_not, free_idea], earlier={1}, chosen={12}) == [free_idea]
    assert section_questions([why_not, free_idea], earlier={1}, chosen={11}) == [why_not, free_idea]


def test_a_condition_in_the_same_section_is_decided_on_the_page():
    # Both questions on one page: the person has not chosen yet, so the question stays (shown when needed).
    assert section_questions([served, why_not], earlier=set(), chosen=set()) == [served, why_not]


def test_a_page_needs_saved_answers_only_for_conditions_on_other_questions():
    assert not depends_on_other_questions([served, why_not], others_than={1, 2})
    assert depends_on_other_questions([why_not, free_idea], others_than={2, 3})
    assert not depends_on_other_questions([free_idea], others_than=set())
