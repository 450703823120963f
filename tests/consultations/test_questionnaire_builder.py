"""The questionnaire builder in admin (issue 13, items 9–10): a section's questions with their options on one
page, conditions chosen as "question → option" among earlier questions, language labels, missing languages
and the warning before publishing untranslated content. The browser journey is
tests/browser/test_questionnaire_builder.py."""

import re

import pytest
from django.urls import reverse

from consultations.models import Consultation, Option, Question, QuestionKind, Section
from tests.consultations.factories import ConsultationFactory, OptionFactory, build_questionnaire
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/consultations/consultation/"


def section_url(section: Section) -> str:
    return reverse("admin:consultations_section_change", args=[section.pk])


def question_prefix(data: dict, question: Question) -> str:
    """The form prefix of ``question`` among the section page's posted fields (``questions-2``)."""
    return next(
        key[: -len("-id")]
        for key, value in data.items()
        if re.fullmatch(r"questions-\d+-id", key) and str(value) == str(question.pk)
    )


def post_section(client, section: Section, change) -> tuple:
    """Load the section's page, change its posted data with ``change(data)`` and post it."""
    data = admin_form_data(client.get(section_url(section)))
    change(data)
    return client.post(section_url(section), data), data


def fully_translated(consultation: Consultation) -> Consultation:
    """Every text of the consultation and its questionnaire written in Kreyòl and English too."""
    for model, lookup, fields in (
        (Consultation, "pk", ["title", "summary"]),
        (Section, "consultation", ["title"]),
        (Question, "section__consultation", ["text"]),
        (Option, "question__section__consultation", ["text"]),
    ):
        for row in model.objects.filter(**{lookup: consultation.pk}):
            for field in fields:
                spanish = getattr(row, f"{field}_es") or getattr(row, field)
                for language in ("es", "ht", "en"):
                    setattr(row, f"{field}_{language}", f"{spanish} [{language}]")
            row.save()
    return Consultation.objects.get(pk=consultation.pk)


# --- One page per section ---------------------------------------------------------------------------


def test_a_section_page_edits_its_questions_with_their_options(admin_client, open_questionnaire):
    qn = open_questionnaire
    section = qn.sections[0]
    version = qn.consultation.questionnaire_version

    def rename(data):
        prefix = question_prefix(data, qn.q["atendido"])
        data[f"{prefix}-text_es"] = "¿Le atendieron bien?"
        option_key = next(
            k
            for k, v in data.items()
            if k.startswith(f"{prefix}-options-") and k.endswith("-id") and str(v) == str(qn.o["Sí"].pk)
        )
        data[option_key.replace("-id", "-text_ht")] = "Wi"

    response, _data = post_section(admin_client, section, rename)

    assert response.status_code == 302
    assert Question.objects.get(pk=qn.q["atendido"].pk).text_es == "¿Le atendieron bien?"
    assert Option.objects.get(pk=qn.o["Sí"].pk).text_ht == "Wi"
    # Answering pages keep the questionnaire in memory: the save tells them it changed.
    assert Consultation.objects.get(pk=qn.consultation.pk).questionnaire_version > version


def test_saving_a_section_leads_back_to_its_consultation(admin_client, open_questionnaire):
    section = open_questionnaire.sections[0]
    response, _data = post_section(admin_client, section, lambda data: data.update(_save="Guardar"))
    assert response["Location"] == reverse(
        "admin:consultations_consultation_change", args=[open_questionnaire.consultation.pk]
    )


def test_a_new_section_starts_in_its_consultation_after_the_last_one(admin_client, open_questionnaire):
    consultation = open_questionnaire.consultation
    page = admin_client.get(reverse("admin:consultations_section_add") + f"?consultation={consultation.pk}")
    form = page.context["adminform"].form
    assert str(form["consultation"].value()) == str(consultation.pk)
    assert form["order"].value() == 4
    # The consultation's page links there.
    change = admin_client.get(reverse("admin:consultations_consultation_change", args=[consultation.pk]))
    assert f"/admin/consultations/section/add/?consultation={consultation.pk}" in change.content.decode()


def test_a_text_question_with_options_is_refused(admin_client, open_questionnaire):
    qn = open_questionnaire
    response, _data = post_section(
        admin_client,
        qn.sections[0],
        lambda data: data.update(
            {f"{question_prefix(data, qn.q['atendido'])}-kind": QuestionKind.SHORT_TEXT}
        ),
    )
    assert response.status_code == 200
    assert "Una pregunta de texto no lleva opciones" in response.content.decode()
    assert Question.objects.get(pk=qn.q["atendido"].pk).kind == QuestionKind.SINGLE


# --- Conditions: question → option, earlier questions only -----------------------------------------------


def test_conditions_are_offered_as_question_and_option_of_this_consultation(admin_client, open_questionnaire):
    other = build_questionnaire(ConsultationFactory(slug="otra"))
    html = admin_client.get(section_url(open_questionnaire.sections[1])).content.decode()
    mine = open_questionnaire.o["Discriminación"]
    assert f'<option value="{mine.pk}">¿barreras? → Discriminación</option>' in html
    assert f'<option value="{other.o["Discriminación"].pk}"' not in html
    # Grouped by section; text questions have no options to choose.
    assert '<optgroup label="Política Nacional Migratoria — Salud">' in html


def test_a_condition_on_an_earlier_section_is_saved(admin_client, open_questionnaire):
    qn = open_questionnaire
    idea = qn.q["idea"]

    def condition(data):
        data[f"{question_prefix(data, idea)}-depends_on_option"] = str(qn.o["Idioma"].pk)

    response, _data = post_section(admin_client, qn.sections[1], condition)
    assert response.status_code == 302
    assert Question.objects.get(pk=idea.pk).depends_on_option == qn.o["Idioma"]


def test_a_condition_on_a_later_question_is_refused_with_the_reason(admin_client, open_questionnaire):
    qn = open_questionnaire
    atendido = qn.q["atendido"]

    def later(data):
        data[f"{question_prefix(data, atendido)}-depends_on_option"] = str(qn.o["Muy fácil"].pk)

    response, _data = post_section(admin_client, qn.sections[0], later)
    assert response.status_code == 200
    assert "«¿facilidad?» va después de esta pregunta" in response.content.decode()
    assert Question.objects.get(pk=atendido.pk).depends_on_option is None


def test_a_condition_in_the_same_section_follows_the_order_posted(admin_client, open_questionnaire):
    qn = open_questionnaire
    barreras, atendido = qn.q["barreras"], qn.q["atendido"]

    def swap(data):
        # "barreras" moves first while "atendido" is made to depend on it: allowed in the new order.
        data[f"{question_prefix(data, barreras)}-order"] = "0"
        data[f"{question_prefix(data, atendido)}-depends_on_option"] = str(qn.o["Idioma"].pk)

    response, _data = post_section(admin_client, qn.sections[0], swap)
    assert response.status_code == 302
    assert Question.objects.get(pk=atendido.pk).depends_on_option == qn.o["Idioma"]

    def itself(data):
        data[f"{question_prefix(data, barreras)}-depends_on_option"] = str(qn.o["Idioma"].pk)

    response, _data = post_section(admin_client, qn.sections[0], itself)
    assert "no puede depender de sí misma" in response.content.decode()


def test_a_condition_on_another_consultations_option_is_refused(admin_client, open_questionnaire):
    other = build_questionnaire(ConsultationFactory(slug="otra"))
    qn = open_questionnaire

    def foreign(data):
        data[f"{question_prefix(data, qn.q['idea'])}-depends_on_option"] = str(other.o["Sí"].pk)

    response, _data = post_section(admin_client, qn.sections[1], foreign)
    assert response.status_code == 200
    assert Question.objects.get(pk=qn.q["idea"].pk).depends_on_option is None


# --- Languages: labels, missing languages, publishing ------------------------------------------------


def test_each_translated_box_names_its_language(admin_client):
    html = admin_client.get("/admin/consultations/consultation/add/").content.decode()
    for language in ("Español", "Creole haitiano", "Inglés"):
        assert f"Título ({language}):" in html
    assert 'aria-label="Abre el: fecha"' in html


def test_the_change_list_shows_which_languages_are_missing(admin_client, open_questionnaire):
    complete = fully_translated(ConsultationFactory(slug="completa", title="Completa"))
    missing_english = fully_translated(
        build_questionnaire(ConsultationFactory(slug="sin-ingles")).consultation
    )
    Option.objects.filter(question__section__consultation=missing_english).update(text_en="")
    page = admin_client.get(CHANGELIST)
    rows = {row.pk: row for row in page.context["cl"].result_list}
    admin = page.context["cl"].model_admin
    assert admin.languages_missing(rows[complete.pk]) == "—"
    assert admin.languages_missing(rows[missing_english.pk]) == "Inglés"
    assert admin.languages_missing(rows[open_questionnaire.consultation.pk]) == "Creole haitiano, Inglés"


@pytest.mark.parametrize("rows", [10, 100])
def test_the_change_list_costs_the_same_queries_for_10_or_100_consultations(
    admin_client, django_assert_max_num_queries, rows
):
    ConsultationFactory.create_batch(rows)
    with django_assert_max_num_queries(12):
        assert admin_client.get(CHANGELIST + "?all=").status_code == 200


def test_publishing_untranslated_consultations_asks_first(admin_client, open_questionnaire):
    consultation = open_questionnaire.consultation
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    data = {"action": "publish", "_selected_action": [consultation.pk]}

    page = admin_client.post(CHANGELIST, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Creole haitiano:" in html and "8 preguntas" in html and "Inglés:" in html
    assert not Consultation.objects.get(pk=consultation.pk).is_published

    admin_client.post(CHANGELIST, {**data, "publish_anyway": "yes"})
    assert Consultation.objects.get(pk=consultation.pk).is_published


def test_a_translated_consultation_is_published_at_once(admin_client):
    consultation = fully_translated(ConsultationFactory(is_published=False))
    response = admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [consultation.pk]})
    assert response.status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).is_published


def test_ticking_published_on_untranslated_content_says_what_is_missing(admin_client, open_questionnaire):
    consultation = open_questionnaire.consultation
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    data = admin_form_data(admin_client.get(url))
    data["is_published"] = "on"

    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors["is_published"][0]
    assert "Creole haitiano: título, resumen en lenguaje claro, 3 secciones" in errors
    assert not Consultation.objects.get(pk=consultation.pk).is_published

    data["publish_anyway"] = "on"
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert Consultation.objects.get(pk=consultation.pk).is_published


def test_options_added_later_count_as_missing_until_translated(admin_client):
    consultation = fully_translated(build_questionnaire(ConsultationFactory(slug="nueva")).consultation)
    question = Question.objects.filter(section__consultation=consultation, kind=QuestionKind.SINGLE).first()
    OptionFactory(question=question, text="Nueva", text_es="Nueva")
    rows = admin_client.get(CHANGELIST).context["cl"].result_list
    admin_row = next(row for row in rows if row.pk == consultation.pk)
    assert admin_client.get(CHANGELIST).context["cl"].model_admin.languages_missing(admin_row) == (
        "Creole haitiano, Inglés"
    )
