"""Resume where you left: "Continue my response" opens the section the draft stopped at, not step 1; the
page's answering details agree (required ranking, preview that saves nothing)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from consultations import services
from consultations.answers import resume_step
from consultations.models import Response
from tests.consultations.factories import complete_answers
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def q(pk: int, required: bool = False, depends_on: int | None = None):
    return SimpleNamespace(pk=pk, required=required, depends_on_option_id=depends_on)


SECTIONS = [[q(1, required=True), q(2)], [q(3), q(4)], [q(5, required=True)]]


@pytest.mark.parametrize(
    ("answered", "expected", "why"),
    [
        (set(), 1, "nothing saved: the beginning"),
        ({2}, 1, "section 1 saved half-way: its required question is still open"),
        ({1}, 2, "section 1 complete: the next one"),
        ({1, 3}, 3, "section 2 answered: on to section 3"),
        ({1, 5}, None, "every section done (section 2 is optional): the review"),
        ({1, 3, 5}, None, "everything answered: the review"),
    ],
)
def test_resume_step(answered, expected, why):
    assert resume_step(SECTIONS, chosen=set(), answered=answered) == expected, why


def test_a_required_question_hidden_by_its_condition_does_not_hold_the_person_back():
    sections = [[q(1, required=True)], [q(2, required=True, depends_on=9)], [q(3)]]
    assert resume_step(sections, chosen=set(), answered={1}) == 2  # the section after the last answered
    assert resume_step(sections, chosen={9}, answered={1}) == 2  # shown now, and unanswered


def resume(client, qn):
    return client.get(reverse("consultations:resume", kwargs={"slug": qn.slug}))


def test_continue_opens_the_section_after_the_saved_one(open_questionnaire, alice_draft, alice):
    browser = logged_in(alice)
    detail = browser.get(open_questionnaire.consultation.get_absolute_url()).content.decode()
    resume_url = reverse("consultations:resume", kwargs={"slug": open_questionnaire.slug})
    assert resume_url in detail  # "Continue my response"
    response = resume(browser, open_questionnaire)
    assert response["Location"] == reverse(
        "consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 2}
    )


def test_continue_reaches_the_review_when_every_section_is_answered(open_questionnaire, alice):
    draft = services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )
    services.response_save_answers(response=draft, answers=complete_answers(open_questionnaire))
    response = resume(logged_in(alice), open_questionnaire)
    assert response["Location"] == reverse("consultations:review", kwargs={"slug": open_questionnaire.slug})


def test_continue_without_a_draft_starts_and_a_sent_response_thanks(open_questionnaire, alice):
    browser = logged_in(alice)
    assert resume(browser, open_questionnaire)["Location"].endswith("/responder/1/")
    draft = services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )
    services.response_save_answers(response=draft, answers=complete_answers(open_questionnaire))
    services.response_submit(response=draft)
    assert resume(browser, open_questionnaire)["Location"].endswith("/gracias/")


def test_continue_asks_strangers_to_sign_in(client, open_questionnaire):
    response = resume(client, open_questionnaire)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_ranking_question_is_required_or_optional_as_a_whole(open_questionnaire, alice):
    open_questionnaire.q["prioridades"].required = True
    open_questionnaire.q["prioridades"].save()
    page = logged_in(alice).get(
        reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 2})
    )
    html = page.content.decode()
    box = html[html.index(f'id="pregunta-{open_questionnaire.q["prioridades"].pk}"') :]
    box = box[: box.index("</fieldset>")]
    assert "(obligatoria)" in box
    assert "(opcional)" not in box  # its items are not "optional" one by one


def test_a_condition_on_the_same_page_is_marked_for_the_script(open_questionnaire, alice):
    html = (
        logged_in(alice)
        .get(reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 1}))
        .content.decode()
    )
    attended = open_questionnaire.q["atendido"]
    condition = open_questionnaire.o["Discriminación"]
    box = f'id="pregunta-{open_questionnaire.q["que_paso"].pk}" data-condition-field="q{open_questionnaire.q["barreras"].pk}" data-condition-value="{condition.pk}"'
    assert box in html
    assert f'id="pregunta-{attended.pk}" data-condition' not in html
    assert '<script src="/static/js/portal.js" defer></script>' in html


def test_saving_a_draft_in_preview_says_nothing_was_saved_and_stays_in_preview(
    open_questionnaire, admin_user
):
    browser = logged_in(admin_user)
    url = (
        reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 1})
        + "?vista_previa=1"
    )
    data = {f"q{open_questionnaire.q['atendido'].pk}": str(open_questionnaire.o["No"].pk), "action": "save"}
    response = browser.post(url, data)
    assert response["Location"] == url
    page = browser.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Vista previa: no se guardó nada."]
    assert not Response.objects.exists()
