"""The Django admin: cloning a past consultation, restricted condition choices, and moderation of open text."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import (
    Answer,
    Consultation,
    DialogueOptionCount,
    ModerationStatus,
    Option,
    Question,
    Response,
)
from tests.consultations.factories import (
    ConsultationFactory,
    DialogueFactory,
    ResponseFactory,
    build_questionnaire,
    submitted_response,
)
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/consultations/consultation/"


def clone_via_admin(browser, consultation):
    return browser.post(CHANGELIST, {"action": "clone", "_selected_action": [consultation.pk]})


def test_clone_makes_an_unpublished_copy_with_its_questionnaire(admin_client, results_questionnaire):
    qn = results_questionnaire
    original = qn.consultation
    original.last_notified_phase = "results"
    original.save()
    submitted_response(original, {})

    response = clone_via_admin(admin_client, original)

    clone = Consultation.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:consultations_consultation_change", args=[clone.pk])
    assert clone.slug == f"{original.slug}-copia"
    assert (clone.title, clone.summary) == (original.title, original.summary)
    assert not clone.is_published
    assert clone.results_published_at is None and clone.last_notified_phase == ""
    assert not clone.responses.exists()

    sections = list(clone.sections.order_by("order"))
    assert [s.title for s in sections] == ["Salud", "Convivencia", "Territorio"]
    questions = list(Question.objects.filter(section__consultation=clone).order_by("section__order", "order"))
    originals = list(
        Question.objects.filter(section__consultation=original).order_by("section__order", "order")
    )
    assert [(q.text, q.kind, q.required, q.allow_other) for q in questions] == [
        (q.text, q.kind, q.required, q.allow_other) for q in originals
    ]
    assert [list(q.options.values_list("text", flat=True)) for q in questions] == [
        list(q.options.values_list("text", flat=True)) for q in originals
    ]
    conditional = {q.text: q.depends_on_option for q in questions if q.depends_on_option_id}
    # Conditions point to the copy's own options, within a section and across sections.
    assert conditional["¿que_paso?"].text == "Discriminación"
    assert conditional["¿por_que_no?"].text == "No"
    for option in conditional.values():
        assert option.question.section.consultation == clone

    qn.q["que_paso"].refresh_from_db()
    assert qn.q["que_paso"].depends_on_option == qn.o["Discriminación"]
    assert Option.objects.filter(question__section__consultation=original).count() == 15


def test_cloning_twice_gives_distinct_slugs(admin_client, open_questionnaire):
    clone_via_admin(admin_client, open_questionnaire.consultation)
    clone_via_admin(admin_client, open_questionnaire.consultation)
    slugs = set(Consultation.objects.values_list("slug", flat=True))
    assert slugs == {"politica", "politica-copia", "politica-copia-2"}


def test_staff_who_may_not_add_consultations_cannot_clone(staff_member, open_questionnaire):
    enable_mfa(grant(staff_member, "view_consultation", "change_consultation"))
    browser = logged_in(staff_member)
    assert browser.get(CHANGELIST).status_code == 200
    clone_via_admin(browser, open_questionnaire.consultation)
    assert Consultation.objects.count() == 1


def test_condition_choices_are_limited_to_the_consultations_own_options(admin_client, open_questionnaire):
    other = build_questionnaire(ConsultationFactory(slug="otra"))
    section = open_questionnaire.sections[0]
    html = admin_client.get(reverse("admin:consultations_section_change", args=[section.pk])).content.decode()
    assert f'<option value="{open_questionnaire.o["Discriminación"].pk}"' in html
    assert f'<option value="{other.o["Discriminación"].pk}"' not in html


def test_dialogue_counts_are_limited_to_the_consultations_options(admin_client, open_questionnaire):
    other = build_questionnaire(ConsultationFactory(slug="otra"))
    dialogue = DialogueFactory(consultation=open_questionnaire.consultation)
    url = reverse("admin:consultations_dialogue_change", args=[dialogue.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is DialogueOptionCount
    )
    counts = formset.empty_form.fields["option"].queryset
    assert open_questionnaire.o["Sí"] in counts
    assert other.o["Sí"] not in counts


# --- Moderation of open answers --------------------------------------------------------------------

MODERATION = "/admin/consultations/answer/"


@pytest.fixture
def texts(results_questionnaire):
    qn = results_questionnaire
    idea = qn.q["idea"]
    submitted = submitted_response(
        qn.consultation,
        {
            idea: AnswerValue(text="Llamen a Rosa al 912345678"),
            qn.q["atendido"]: AnswerValue(option_ids=[qn.o["Sí"].pk]),
        },
    )
    other = submitted_response(qn.consultation, {idea: AnswerValue(text="Más horarios")})
    draft = ResponseFactory(consultation=qn.consultation)
    services.response_save_answers(response=draft, answers={idea: AnswerValue(text="Texto de un borrador")})
    return {
        "personal": Answer.objects.get(response=submitted, question=idea),
        "plain": Answer.objects.get(response=other, question=idea),
        "draft": Answer.objects.get(response=draft),
    }


@pytest.fixture
def staff_browser(staff_member):
    enable_mfa(staff_member)
    return logged_in(staff_member)


def test_moderation_needs_its_permission(staff_browser, staff_member, texts):
    assert staff_browser.get(MODERATION).status_code == 403
    url = reverse("admin:consultations_answer_change", args=[texts["plain"].pk])
    assert staff_browser.get(url).status_code == 403
    assert (
        staff_browser.post(
            MODERATION, {"action": "approve_as_is", "_selected_action": [texts["plain"].pk]}
        ).status_code
        == 403
    )
    texts["plain"].refresh_from_db()
    assert texts["plain"].moderation == ModerationStatus.PENDING


def test_moderators_see_submitted_open_texts_only(staff_browser, staff_member, texts):
    grant(staff_member, "moderate_answers")
    response = staff_browser.get(MODERATION)
    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert listed == {texts["personal"], texts["plain"]}


def test_moderators_approve_and_hide(staff_browser, staff_member, texts):
    grant(staff_member, "moderate_answers")
    staff_browser.post(MODERATION, {"action": "approve_as_is", "_selected_action": [texts["plain"].pk]})
    staff_browser.post(MODERATION, {"action": "hide", "_selected_action": [texts["personal"].pk]})
    texts["plain"].refresh_from_db()
    texts["personal"].refresh_from_db()
    assert (texts["plain"].moderation, texts["plain"].published_text) == (
        ModerationStatus.APPROVED,
        "Más horarios",
    )
    assert texts["personal"].moderation == ModerationStatus.HIDDEN
    assert Response.objects.count() == 3


def test_moderators_publish_an_edited_text_without_personal_data(
    staff_browser, staff_member, texts, results_questionnaire
):
    grant(staff_member, "moderate_answers")
    url = reverse("admin:consultations_answer_change", args=[texts["personal"].pk])
    saved = staff_browser.post(
        url, {"published_text": "Llamen a [nombre]", "moderation": ModerationStatus.APPROVED}
    )
    assert saved.status_code == 302
    texts["personal"].refresh_from_db()
    assert texts["personal"].text == "Llamen a Rosa al 912345678"  # the original stays for the record
    results = Client().get(reverse("consultations:results", kwargs={"slug": results_questionnaire.slug}))
    html = results.content.decode()
    assert "Llamen a [nombre]" in html and "912345678" not in html
