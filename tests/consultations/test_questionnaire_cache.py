"""The questionnaire kept in memory between requests is never older than the database."""

import pytest
from django.urls import reverse

from consultations.models import Consultation, Option
from consultations.selectors import questionnaire
from tests.consultations.factories import OptionFactory
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def fresh(consultation) -> Consultation:
    """The consultation as the next request loads it."""
    return Consultation.objects.get(pk=consultation.pk)


def option_texts(consultation) -> list[str]:
    return [
        o.text for s in questionnaire(fresh(consultation)) for q in s.questions.all() for o in q.options.all()
    ]


def test_a_second_request_reads_the_questionnaire_from_memory(django_assert_num_queries, open_questionnaire):
    consultation = fresh(open_questionnaire.consultation)
    first = questionnaire(consultation)
    with django_assert_num_queries(0):
        again = questionnaire(consultation)
    assert again is first


def test_an_edited_option_is_read_afresh(open_questionnaire):
    consultation = open_questionnaire.consultation
    assert "Idioma" in option_texts(consultation)
    option = Option.objects.get(pk=open_questionnaire.o["Idioma"].pk)
    option.text = "Lengua"
    option.save()
    texts = option_texts(consultation)
    assert "Lengua" in texts and "Idioma" not in texts


def test_added_and_deleted_options_and_questions_are_read_afresh(open_questionnaire):
    consultation = open_questionnaire.consultation
    before = option_texts(consultation)
    OptionFactory(question=open_questionnaire.q["atendido"], text="A veces", order=32000)
    assert option_texts(consultation) == [*before[:2], "A veces", *before[2:]]
    open_questionnaire.q["barreras"].delete()  # its options go with it, by cascade
    texts = option_texts(consultation)
    assert "Idioma" not in texts and "A veces" in texts
    open_questionnaire.sections[2].delete()
    assert len(questionnaire(fresh(consultation))) == 2


def test_saving_a_copy_loaded_before_a_change_keeps_the_change_visible(open_questionnaire):
    consultation = open_questionnaire.consultation
    stale = fresh(consultation)
    option_texts(consultation)  # cached
    option = Option.objects.get(pk=open_questionnaire.o["Idioma"].pk)
    option.text = "Lengua"
    option.save()
    stale.title = "Otro título"
    stale.save()  # e.g. the admin's form, or a task, holding the consultation from before
    reloaded = fresh(consultation)
    assert reloaded.title == "Otro título"
    assert "Lengua" in option_texts(consultation)


def test_cached_sections_do_not_carry_the_first_requests_consultation(open_questionnaire):
    sections = questionnaire(fresh(open_questionnaire.consultation))
    assert all("consultation" not in section._state.fields_cache for section in sections)


def test_an_option_renamed_in_the_admin_shows_on_the_answer_page(
    admin_client, alice_client, open_questionnaire
):
    question = open_questionnaire.q["atendido"]
    url = reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 1})
    assert "Sí" in alice_client.get(url).content.decode()

    # Options are edited with their question, on the page of its section.
    change = reverse("admin:consultations_section_change", args=[question.section_id])
    data = admin_form_data(admin_client.get(change))
    first = Option.objects.get(pk=open_questionnaire.o["Sí"].pk)
    key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(first.pk))
    data[key.replace("-id", "-text_es")] = "Sí, me atendieron"
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    assert "Sí, me atendieron" in alice_client.get(url).content.decode()
