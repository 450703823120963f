"""Results merge online, assisted and in-person input in one dataset; what is published is suppressed."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import Answer, Channel, ModerationStatus, Response
from consultations.results import consultation_results, published_channel_totals, published_results
from tests.consultations.factories import (
    DialogueAttendanceFactory,
    DialogueFactory,
    DialogueOptionCountFactory,
    DialogueSynthesisFactory,
    approve,
    submitted_response,
)
from tests.factories import ParticipantFactory
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db


def public_results_html(qn) -> str:
    response = Client().get(reverse("consultations:results", kwargs={"slug": qn.slug}))
    assert response.status_code == 200
    return response.content.decode()


def chose(qn, **choices) -> dict:
    """Answers by question name → option name(s)."""
    answers = {}
    for name, option_names in choices.items():
        option_names = option_names if isinstance(option_names, list) else [option_names]
        answers[qn.q[name]] = AnswerValue(option_ids=[qn.o[o].pk for o in option_names])
    return answers


@pytest.fixture
def merged(results_questionnaire):
    """6 online, 2 on paper, 1 by phone, two dialogues; one draft that must not count."""
    qn = results_questionnaire
    consultation = qn.consultation
    for choice in ["Sí"] * 4 + ["No"] * 2:
        submitted_response(consultation, chose(qn, atendido=choice, barreras=["Idioma", "Documentos"]))
    submitted_response(consultation, chose(qn, atendido="Sí"), channel=Channel.ASSISTED_PAPER)
    submitted_response(consultation, chose(qn, atendido="No"), channel=Channel.ASSISTED_PAPER)
    submitted_response(consultation, chose(qn, atendido="Sí"), channel=Channel.ASSISTED_PHONE)
    draft = Response.objects.create(consultation=consultation, participant=ParticipantFactory())
    services.response_save_answers(response=draft, answers=chose(qn, atendido="No"))

    iquique = DialogueFactory(consultation=consultation, title="Diálogo en Iquique", commune="Iquique")
    calama = DialogueFactory(consultation=consultation, title="Diálogo en Calama", commune="Calama")
    DialogueOptionCountFactory(dialogue=iquique, option=qn.o["Sí"], count=10)
    DialogueOptionCountFactory(dialogue=iquique, option=qn.o["No"], count=5)
    DialogueOptionCountFactory(dialogue=calama, option=qn.o["Sí"], count=7)
    DialogueOptionCountFactory(dialogue=iquique, option=qn.o["Idioma"], count=9)
    DialogueOptionCountFactory(dialogue=iquique, option=qn.o["Documentos"], count=4)
    DialogueAttendanceFactory(dialogue=iquique, count=20)
    DialogueAttendanceFactory(dialogue=calama, count=15)
    DialogueAttendanceFactory(dialogue=calama, attribute="gender_identity", category="woman", count=8)
    DialogueSynthesisFactory(dialogue=calama, question=qn.q["que_paso"], text="Piden intérpretes de creole.")
    return qn


def result_for(results, question):
    return next(r for r in results if r.question == question)


def test_counts_merge_every_channel_with_a_breakdown(merged):
    qn = merged
    results = consultation_results(qn.consultation)
    atendido = result_for(results, qn.q["atendido"])
    yes, no = atendido.options
    assert yes.by_channel == {
        Channel.ONLINE: 4,
        Channel.ASSISTED_PAPER: 1,
        Channel.ASSISTED_PHONE: 1,
        Channel.IN_PERSON: 17,
    }
    assert yes.total == 23
    assert no.by_channel == {Channel.ONLINE: 2, Channel.ASSISTED_PAPER: 1, Channel.IN_PERSON: 5}
    assert no.total == 8
    assert atendido.respondents_by_channel == {
        Channel.ONLINE: 6,
        Channel.ASSISTED_PAPER: 2,
        Channel.ASSISTED_PHONE: 1,
        Channel.IN_PERSON: 22,
    }
    rows = {row["option"].text: row for row in atendido.rows()}
    assert rows["Sí"]["percent"] == round(100 * 23 / 31, 1)
    assert rows["No"]["percent"] == round(100 * 8 / 31, 1)


def test_several_choices_per_person_count_every_choice_but_each_person_once(merged):
    qn = merged
    barreras = result_for(consultation_results(qn.consultation), qn.q["barreras"])
    totals = {r.option.text: r.total for r in barreras.options}
    assert totals == {"Idioma": 6 + 9, "Documentos": 6 + 4, "Discriminación": 0}
    # A dialogue reports choices, not people: the largest count is the floor of who took part.
    assert barreras.respondents_by_channel == {Channel.ONLINE: 6, Channel.IN_PERSON: 9}


def test_people_per_channel_are_published_with_suppression(merged):
    table = published_channel_totals(merged.consultation)
    shown = {row.code: cell.display for row, (cell,) in zip(table.rows, table.cells, strict=True)}
    # 6 online, 2 on paper, 1 by phone and 35 at dialogues: the two small channels are hidden.
    assert shown == {"online": "6", "paper": "< 5", "phone": "< 5", "in_person": "35"}


def test_ranking_counts_first_places(results_questionnaire):
    qn = results_questionnaire
    ranking = qn.q["prioridades"]
    for first, second in [("Empleo", "Vivienda"), ("Empleo", "Educación"), ("Vivienda", "Empleo")]:
        value = AnswerValue(ranks={qn.o[first].pk: 1, qn.o[second].pk: 2})
        submitted_response(qn.consultation, {ranking: value})
    result = result_for(consultation_results(qn.consultation), ranking)
    assert {r.option.text: r.total for r in result.options} == {"Empleo": 2, "Vivienda": 1, "Educación": 0}
    assert result.respondents == 3


def test_syntheses_of_dialogues_go_with_their_question(merged):
    que_paso = result_for(consultation_results(merged.consultation), merged.q["que_paso"])
    assert [s.text for s in que_paso.syntheses] == ["Piden intérpretes de creole."]
    assert que_paso.syntheses[0].dialogue.commune == "Calama"


@pytest.fixture
def open_texts(results_questionnaire):
    qn = results_questionnaire
    idea = qn.q["idea"]

    def text_answer(text):
        response = submitted_response(qn.consultation, {idea: AnswerValue(text=text)})
        return Answer.objects.get(response=response, question=idea)

    approve(text_answer("Clases de español con Juan Pérez, fono 912345678"), "Clases de español gratuitas")
    pending = text_answer("Pendiente de moderar")
    pending.published_text = "Texto aún no aprobado"
    pending.save()
    hidden = text_answer("Insulto oculto")
    hidden.moderation, hidden.published_text = ModerationStatus.HIDDEN, "Insulto publicado"
    hidden.save()
    approve(text_answer("Aprobada sin texto publicable"), "")
    draft = Response.objects.create(consultation=qn.consultation, participant=ParticipantFactory())
    draft_answer = Answer.objects.create(response=draft, question=idea, text="Borrador")
    approve(draft_answer, "Texto de un borrador")
    return qn


def test_only_approved_moderated_texts_are_published_never_the_raw_text(open_texts):
    qn = open_texts
    idea = result_for(consultation_results(qn.consultation), qn.q["idea"])
    assert idea.texts == ["Clases de español gratuitas"]

    html = public_results_html(qn)
    assert "Clases de español gratuitas" in html
    for never in (
        "Juan Pérez",
        "912345678",
        "Texto aún no aprobado",
        "Insulto",
        "Aprobada sin texto",
        "Texto de un borrador",
    ):
        assert never not in html


def test_results_page_is_public_only_once_results_are_published(
    open_questionnaire, closed_questionnaire, results_questionnaire, client, alice, staff_member
):
    browsers = [client, logged_in(alice), logged_in(staff_member)]
    for qn in (open_questionnaire, closed_questionnaire):
        url = reverse("consultations:results", kwargs={"slug": qn.slug})
        assert [b.get(url).status_code for b in browsers] == [404, 404, 404]
    url = reverse("consultations:results", kwargs={"slug": results_questionnaire.slug})
    assert [b.get(url).status_code for b in browsers] == [200, 200, 200]


def test_staff_who_may_view_consultations_can_preview_results_before_publication(
    closed_questionnaire, staff_member
):
    browser = logged_in(grant(enable_mfa(staff_member), "view_consultation"))
    url = reverse("consultations:results", kwargs={"slug": closed_questionnaire.slug})
    assert browser.get(url).status_code == 404
    assert browser.get(f"{url}?vista_previa=1").status_code == 200


def test_results_page_shows_merged_counts_and_syntheses(merged):
    html = public_results_html(merged)
    assert "Piden intérpretes de creole." in html
    assert "Diálogo en Calama" in html
    assert "Personas que respondieron: 31." in html
    assert re.search(r'<td class="num total">\s*23\s*</td>', html)  # «Sí» over every channel


# --- Suppression -------------------------------------------------------------------------------------


def all_cells(table):
    return [*(c for line in table.cells for c in line), *table.row_totals, *table.column_totals, table.total]


@pytest.fixture
def small_cells(results_questionnaire):
    """«No» has 3 online answers (a small cell); per gender, 8 men and 7 non-binary people chose «Sí»."""
    qn = results_questionnaire
    for gender, choice, n in [
        ("woman", "Sí", 12),
        ("man", "Sí", 8),
        ("non_binary", "Sí", 7),
        ("woman", "No", 3),
    ]:
        for _ in range(n):
            submitted_response(qn.consultation, chose(qn, atendido=choice), gender_identity=gender)
    dialogue = DialogueFactory(consultation=qn.consultation)
    DialogueOptionCountFactory(dialogue=dialogue, option=qn.o["Sí"], count=20)
    DialogueOptionCountFactory(dialogue=dialogue, option=qn.o["No"], count=10)
    return qn


def test_published_tables_never_show_a_small_count(small_cells):
    published = published_results(small_cells.consultation)
    tables = [t for item in published for t in (item.table, item.by_gender) if t is not None]
    assert tables
    for table in tables:
        for cell in all_cells(table):
            assert not (cell.is_shown and 1 <= cell.value < table.k), (table.title, cell)
            assert cell.is_shown or cell.value is None


def test_channel_table_uses_k_and_gender_table_the_sensitive_k(small_cells):
    item = next(
        i
        for i in published_results(small_cells.consultation)
        if i.result.question == small_cells.q["atendido"]
    )
    assert item.table.k == settings.ENGINE_SUPPRESSION_K == 5
    assert item.by_gender.k == settings.ENGINE_SUPPRESSION_K_SENSITIVE == 10

    assert item.table.total.value == 60
    no_online = item.table.cells[1][0]
    assert not no_online.is_shown and no_online.display == "< 5"

    genders = [c.code for c in item.by_gender.columns]
    yes_by_gender = dict(zip(genders, item.by_gender.cells[0], strict=True))
    # 8 and 7 would be published under k = 5, but not in a table about gender identity.
    assert yes_by_gender["man"].display == yes_by_gender["non_binary"].display == "< 10"


def test_results_page_does_not_print_a_small_count(small_cells):
    html = public_results_html(small_cells)
    numbers = re.findall(r'<td class="num[^"]*">\s*([^<]*?)\s*</td>', html)
    assert numbers, "the results page shows tables"
    assert "3" not in numbers
    assert "&lt; 5" in numbers
    assert not re.search(r">\s*3\s*<", html)


def test_a_question_answered_by_few_people_does_not_reveal_how_many(results_questionnaire):
    qn = results_questionnaire
    for _ in range(3):
        submitted_response(qn.consultation, chose(qn, atendido="Sí"))
    html = public_results_html(qn)
    assert "&lt; 5" in html  # the table hides them...
    assert not re.search(r">\s*3\s*<", html)  # ...and nothing else gives the number away
    assert "3 personas" not in html


def test_percentages_are_published_only_where_their_counts_are(merged):
    [item] = [i for i in published_results(merged.consultation) if i.result.question == merged.q["atendido"]]
    shares = dict(item.percentages)
    # 23 of 31 answered «Sí», 8 «No»: both totals are shown, so are their shares.
    assert shares == {"Sí": "74,2 %", "No": "25,8 %"}


def test_no_percentage_gives_away_a_hidden_count(results_questionnaire):
    qn = results_questionnaire
    for _ in range(3):
        submitted_response(qn.consultation, chose(qn, atendido="Sí"))
    [item] = [i for i in published_results(qn.consultation) if i.result.question == qn.q["atendido"]]
    assert all(share == "—" for _option, share in item.percentages)
