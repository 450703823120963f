"""The computed results are shared by every reader and computed again as soon as what they merge changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.answers import AnswerValue
from consultations.models import Channel, Consultation, ModerationStatus
from tests.consultations.factories import (
    DialogueFactory,
    DialogueOptionCountFactory,
    approve,
    submitted_response,
)
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db

MODERATION = "/admin/consultations/answer/"


@pytest.fixture
def reader(bob):
    """Signed in, so never served from the anonymous page cache: every view runs the results view."""
    return logged_in(bob)


@pytest.fixture
def answered(results_questionnaire):
    qn = results_questionnaire
    for choice in ["Sí"] * 6 + ["No"] * 5:
        submitted_response(qn.consultation, {qn.q["atendido"]: AnswerValue(option_ids=[qn.o[choice].pk])})
    idea = submitted_response(qn.consultation, {qn.q["idea"]: AnswerValue(text="Más horarios")})
    approve(idea.answers.get(), "Más horarios")
    return qn


def view(browser, qn) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(reverse("consultations:results", kwargs={"slug": qn.slug}))
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


def sí_row(html: str) -> list[str]:
    """The cells of «Sí» in the first question's table: online, assisted, in person, total, share."""
    row = re.search(r'<th[^>]*scope="row"[^>]*>\s*Sí\s*</th>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def sí_count(html: str) -> int:
    return int(sí_row(html)[0])


def test_the_second_reader_gets_the_computed_results_without_computing_them(reader, alice, answered):
    first, computing = view(reader, answered)
    again, cached = view(logged_in(alice), answered)
    assert cached < computing
    assert sí_count(again) == sí_count(first) == 6


def test_each_language_is_computed_for_itself(reader, answered):
    spanish, _ = view(reader, answered)
    creole = reader.get(
        reverse("consultations:results", kwargs={"slug": answered.slug}).replace(
            "/consultas/", "/ht/consultas/", 1
        )
    )
    assert creole.status_code == 200
    assert "Participación por canal" in spanish
    assert "Participación por canal" not in creole.content.decode()


def test_a_new_submitted_response_is_counted_on_the_next_view(reader, answered):
    html, _ = view(reader, answered)
    assert sí_count(html) == 6
    submitted_response(
        answered.consultation,
        {answered.q["atendido"]: AnswerValue(option_ids=[answered.o["Sí"].pk])},
        channel=Channel.ONLINE,
    )
    html, _ = view(reader, answered)
    assert sí_count(html) == 7


def test_dialogue_input_shows_on_the_next_view(reader, answered):
    html, _ = view(reader, answered)
    assert "40" not in sí_row(html)
    dialogue = DialogueFactory(consultation=answered.consultation, title="Diálogo en Arica", commune="Arica")
    count = DialogueOptionCountFactory(dialogue=dialogue, option=answered.o["Sí"], count=40)
    first, _ = view(reader, answered)
    count.count = 41
    count.save()
    second, _ = view(reader, answered)
    assert "40" in sí_row(first) and "41" in sí_row(second)


def test_a_text_hidden_by_a_moderator_leaves_the_page_at_once(reader, staff_member, answered):
    html, _ = view(reader, answered)
    assert "Más horarios" in html
    grant(enable_mfa(staff_member), "moderate_answers")
    answer = answered.consultation.responses.get(answers__text="Más horarios").answers.get()
    moderator = logged_in(staff_member)
    hidden = moderator.post(MODERATION, {"action": "hide", "_selected_action": [answer.pk]})
    assert hidden.status_code == 302
    html, _ = view(reader, answered)
    assert "Más horarios" not in html


def test_an_edited_published_text_shows_at_once(reader, staff_member, answered):
    view(reader, answered)
    grant(enable_mfa(staff_member), "moderate_answers")
    answer = answered.consultation.responses.get(answers__text="Más horarios").answers.get()
    url = reverse("admin:consultations_answer_change", args=[answer.pk])
    saved = logged_in(staff_member).post(
        url, {"published_text": "Más horarios en la tarde", "moderation": ModerationStatus.APPROVED}
    )
    assert saved.status_code == 302
    html, _ = view(reader, answered)
    assert "Más horarios en la tarde" in html


def test_saving_a_copy_loaded_before_a_change_keeps_the_change_visible(reader, answered):
    stale = Consultation.objects.get(pk=answered.consultation.pk)
    before, _ = view(reader, answered)
    dialogue = DialogueFactory(consultation=answered.consultation, title="Diálogo en Arica")
    DialogueOptionCountFactory(dialogue=dialogue, option=answered.o["Sí"], count=43)
    stale.title_es = "Otro título"
    stale.save()  # e.g. an admin form opened before the dialogue was recorded
    after, _ = view(reader, answered)
    assert "43" not in sí_row(before) and "43" in sí_row(after)


def test_with_the_cache_off_every_view_computes(reader, answered, settings):
    settings.RESULTS_CACHE_SECONDS = 0
    view(reader, answered)  # the questionnaire and the translations are kept by other caches
    _, second = view(reader, answered)
    _, third = view(reader, answered)
    assert third == second
    with_cache = settings.RESULTS_CACHE_SECONDS = 300
    assert with_cache
    view(reader, answered)
    _, cached = view(reader, answered)
    assert cached < third
