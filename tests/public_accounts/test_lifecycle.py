"""Phases move by their dates (and staff may override them), the window takes questions only while open,
moderation accepts, merges and rejects, and publishing builds a versioned answers document."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engine.models import Notification
from engine.notifications import subscription_set
from public_accounts import services
from public_accounts.models import AnswerState, Channel, Phase, PublicAccount, Status
from tests.helpers import logged_in, pdf_page_texts
from tests.public_accounts.factories import PublicAccountFactory, QuestionFactory, SectionFactory, answered

pytestmark = pytest.mark.django_db


def test_phases_follow_the_dates():
    now = timezone.now()
    account = PublicAccountFactory(
        cosoc_review_at=now + timedelta(days=1),
        preview_at=now + timedelta(days=2),
        published_at=now + timedelta(days=3),
        presentation_at=now + timedelta(days=4),
        questions_open_at=now + timedelta(days=5),
        questions_close_at=now + timedelta(days=26),
        observations_published_at=now + timedelta(days=70),
    )
    expected = [
        (0, Phase.DRAFT),
        (1, Phase.COSOC_REVIEW),
        (2, Phase.PREVIEW),
        (3, Phase.PUBLISHED),
        (4, Phase.PRESENTATION),
        (5, Phase.QUESTIONS),
        (26, Phase.ANSWERING),
        (70, Phase.OBSERVATIONS),
    ]
    for days, phase in expected:
        assert account.phase_at(now + timedelta(days=days, minutes=1)) == phase, days
    account.answers_published_at = now + timedelta(days=50)
    assert account.phase_at(now + timedelta(days=51)) == Phase.ANSWERS
    # Closing hour: one minute before the close the window is open, at the close it is not.
    close = account.questions_close_at
    assert account.phase_at(close - timedelta(minutes=1)) == Phase.QUESTIONS
    assert account.phase_at(close) == Phase.ANSWERING


def test_staff_override_wins_over_dates(account):
    account.phase_override = Phase.ANSWERING
    assert account.phase == Phase.ANSWERING
    assert not account.is_open_for_questions
    account.save()
    assert not PublicAccount.objects.open_for_questions().filter(pk=account.pk).exists()


def test_public_queryset_matches_the_phase(account, draft_account):
    assert set(PublicAccount.objects.public()) == {account}
    draft_account.phase_override = Phase.PUBLISHED
    draft_account.save()
    assert set(PublicAccount.objects.public()) == {account, draft_account}


def test_phase_sweep_notifies_followers_once(account, alice):
    subscription_set(user=alice, target=account)
    assert services.account_phases_sweep() == 1
    assert services.account_phases_sweep() == 0
    account.refresh_from_db()
    assert account.last_notified_phase == Phase.QUESTIONS


def test_question_inside_the_window_is_stored(account, alice):
    question = services.question_submit(
        account=account, participant=alice.participant, text="  ¿Cuántas visas?  ", language="ht"
    )
    assert question.text == "¿Cuántas visas?"
    assert (question.status, question.channel, question.language) == (Status.PENDING, Channel.ONLINE, "ht")


@pytest.mark.parametrize("trait", ["closed", "upcoming", "draft"])
def test_question_outside_the_window_is_refused(trait, alice):
    account = PublicAccountFactory(**{trait: True})
    with pytest.raises(services.WindowClosed):
        services.question_submit(account=account, participant=alice.participant, text="¿Hola?", language="es")
    assert not account.questions.exists()


def test_same_text_twice_is_stored_once(account, alice):
    first = services.question_submit(
        account=account, participant=alice.participant, text="¿Uno?", language="es"
    )
    second = services.question_submit(
        account=account, participant=alice.participant, text="¿uno?  ", language="es"
    )
    assert first.pk == second.pk
    assert account.questions.count() == 1


def test_accepting_sets_the_deadline_from_the_window(account):
    account.answer_days = 15
    account.save()
    question = QuestionFactory(account=account)
    services.question_moderate(question=question, status=Status.ACCEPTED)
    assert question.due_date == timezone.localtime(account.questions_close_at).date() + timedelta(days=15)


def test_merge_needs_an_accepted_question_of_the_same_account(account):
    original = QuestionFactory(account=account, accepted=True)
    pending = QuestionFactory(account=account)
    duplicate = QuestionFactory(account=account)
    with pytest.raises(services.ModerationRefused):
        services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=pending)
    with pytest.raises(services.ModerationRefused):
        services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=duplicate)
    with pytest.raises(services.ModerationRefused):
        services.question_moderate(
            question=duplicate, status=Status.MERGED, merged_into=QuestionFactory(accepted=True)
        )
    services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=original)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == original


def test_rejection_needs_a_reason_the_author_reads(account, alice):
    question = QuestionFactory(account=account, participant=alice.participant)
    with pytest.raises(services.ModerationRefused):
        services.question_moderate(question=question, status=Status.REJECTED, reason="  ")
    services.question_moderate(question=question, status=Status.REJECTED, reason="Contiene datos personales.")
    assert Notification.objects.filter(recipient=alice).count() == 1
    page = logged_in(alice).get(question.get_absolute_url())
    assert "Contiene datos personales." in page.content.decode()


def test_approve_needs_a_spanish_answer(account):
    question = QuestionFactory(account=account, accepted=True)
    services.answer_draft(question=question, answers={"ht": "Repons"})
    with pytest.raises(services.AnswerRefused):
        services.answer_approve(question=question, by=None)


def test_publish_all_publishes_together_and_versions_the_document(
    account, alice, bob, tmp_path, file_storage
):
    subscription_set(user=bob, target=account)
    first = answered(QuestionFactory(account=account, participant=alice.participant, text="¿Primera?"))
    answered(QuestionFactory(account=account, text="¿Segunda?"))
    waiting = QuestionFactory(account=account, accepted=True, text="¿Sin respuesta aún?")
    duplicate = QuestionFactory(account=account, text="¿Primera otra vez?")
    services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=first)

    document = services.answers_publish_all(account=account)
    assert document.version == 1
    assert document.question_count == 2
    first.refresh_from_db()
    assert first.answer_state == AnswerState.PUBLISHED and first.answered_at is not None
    account.refresh_from_db()
    assert account.answers_published_at is not None
    text = " ".join(pdf_page_texts(bytes(document.file.read()), tmp_path))
    assert text.count("¿Primera?") == 1 and text.count("¿Segunda?") == 1
    assert "¿Sin respuesta aún?" not in text and "¿Primera otra vez?" not in text

    with pytest.raises(services.NothingToPublish):
        services.answers_publish_all(account=account)

    answered(waiting, text="Respuesta tardía.")
    second_version = services.answers_publish_all(account=account)
    assert second_version.version == 2 and second_version.question_count == 3
    text = " ".join(pdf_page_texts(bytes(second_version.file.read()), tmp_path))
    assert text.count("¿Primera?") == 1 and text.count("¿Sin respuesta aún?") == 1
    assert account.answer_documents.count() == 2
    # Bob follows the account: he heard twice (first answers, then new ones); Alice heard of her answer.
    assert Notification.objects.filter(recipient=bob).count() == 2
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_answers_document_groups_by_section_and_keeps_what_people_typed(account, tmp_path, file_storage):
    """The lean PDF markup (no <br>, no inline tags) still shows the sections in the account's order, each
    question under its own section with its line breaks, text with markup as typed, and questions without a
    section last."""
    second = SectionFactory(account=account, order=2, title="Fiscalización", title_es="Fiscalización")
    first = SectionFactory(account=account, order=1, title="Residencias", title_es="Residencias")
    answered(QuestionFactory(account=account, section=second, text="¿Cuántas multas?\nY en regiones."))
    answered(QuestionFactory(account=account, section=first, text="¿Plazos <b>reales</b>?"), text="90 días.")
    answered(QuestionFactory(account=account, section=None, text="¿Otro tema?"))

    document = services.answers_publish_all(account=account)

    text = "\n".join(pdf_page_texts(bytes(document.file.read()), tmp_path))
    assert document.question_count == 3
    order = [
        text.index(s) for s in ("Residencias", "¿Plazos <b>reales</b>?", "Fiscalización", "¿Cuántas multas?")
    ]
    assert order == sorted(order)
    assert text.index("¿Otro tema?") > text.index("Y en regiones.")
    assert "¿Cuántas multas?\nY en regiones." in text
    assert "Respuesta: 90 días." in text
    assert "Versión 1, publicada el" in text
