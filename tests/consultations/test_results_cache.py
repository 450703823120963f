"""Published results are computed on write, in Celery, and readers get the last copy at once (issue 12, item 1).

Tasks run in-process here (``CELERY_TASK_ALWAYS_EAGER``) after the commit: ``django_capture_on_commit_callbacks``
stands in for the commit of the request or service that changed the results.
"""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations import results, services
from consultations.answers import AnswerValue
from consultations.models import Channel, Consultation, ModerationStatus, ResultsSnapshot
from sermig_portal.cache import reset_circuits
from tests.consultations.factories import (
    ConsultationFactory,
    DialogueFactory,
    DialogueOptionCountFactory,
    approve,
    build_questionnaire,
    complete_answers,
    submitted_response,
)
from tests.helpers import enable_mfa, grant, logged_in, run_in_parallel

pytestmark = pytest.mark.django_db

MODERATION = "/admin/consultations/answer/"


@pytest.fixture
def reader(bob):
    """Signed in, so never served from the anonymous page cache: every view runs the results view."""
    return logged_in(bob)


@pytest.fixture
def computations(monkeypatch):
    """How many times the answers were read to compute results (one reading serves every language)."""
    calls = []
    original = results.results_counts

    def counting(consultation):
        calls.append(consultation.pk)
        return original(consultation)

    monkeypatch.setattr(results, "results_counts", counting)
    return calls


@pytest.fixture
def answered(results_questionnaire, django_capture_on_commit_callbacks):
    qn = results_questionnaire
    with django_capture_on_commit_callbacks(execute=True):
        for choice in ["Sí"] * 6 + ["No"] * 5:
            submitted_response(qn.consultation, {qn.q["atendido"]: AnswerValue(option_ids=[qn.o[choice].pk])})
        idea = submitted_response(qn.consultation, {qn.q["idea"]: AnswerValue(text="Más horarios")})
        approve(idea.answers.get(), "Más horarios")
    return qn


def url_of(qn, language: str = "es") -> str:
    with translation.override("es"):  # a request leaves its language active in the thread
        path = reverse("consultations:results", kwargs={"slug": qn.slug})
    return path if language == "es" else path.replace("/consultas/", f"/{language}/consultas/", 1)


def view(browser, qn, language: str = "es") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url_of(qn, language))
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


def sí_row(html: str) -> list[str]:
    """The cells of «Sí» in the first question's table: online, assisted, in person, total, share."""
    row = re.search(r'<th[^>]*scope="row"[^>]*>\s*Sí\s*</th>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def sí_count(html: str) -> int:
    return int(sí_row(html)[0])


def test_a_cold_start_computes_every_language_in_one_pass(reader, answered, computations):
    ResultsSnapshot.objects.all().delete()
    cache.clear()
    first, _ = view(reader, answered)  # asks for the copy (without a worker, the task runs right here)
    assert sí_count(first) == 6
    kreyol, _ = view(reader, answered, "ht")
    english, _ = view(reader, answered, "en")
    assert computations == [answered.consultation.pk]
    assert "Participación por canal" in first and "Participación por canal" not in kreyol
    assert sí_count(kreyol) == sí_count(english) == 6
    assert set(ResultsSnapshot.objects.values_list("language", flat=True)) == {"es", "ht", "en"}


def test_readers_share_the_copy_without_counting(reader, alice, answered, computations):
    first, _ = view(reader, answered)
    with CaptureQueriesContext(connection) as queries:
        again = logged_in(alice).get(url_of(answered)).content.decode()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert computations == []  # the copy was made when the responses came in
    assert sí_count(again) == sí_count(first) == 6
    assert "COUNT(" not in sql and "MAX(" not in sql  # nothing counted on the read path
    assert "Resultados calculados el" in again


def test_when_the_shared_cache_is_empty_the_copy_comes_from_the_database(reader, answered, computations):
    cache.clear()
    html, _ = view(reader, answered)
    assert sí_count(html) == 6 and computations == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_cold_readers_compute_once_and_nobody_waits_for_it(bob, computations):
    qn = build_questionnaire(ConsultationFactory(with_results=True, slug="en-frio"))
    for choice in ["Sí"] * 6:
        submitted_response(qn.consultation, {qn.q["atendido"]: AnswerValue(option_ids=[qn.o[choice].pk])})
    ResultsSnapshot.objects.all().delete()
    cache.clear()
    browsers = [logged_in(bob) for _ in range(8)]

    def read():
        try:
            page = browsers.pop().get(url_of(qn))
            return page.status_code, "Estamos calculando" in page.content.decode()
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    outcomes = run_in_parallel(read, threads=8)
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert computations == [qn.consultation.pk]  # one computation, for every language
    assert {status for status, _waiting in outcomes} == {200}
    # Here tasks run in the reader's process: the one reader who asked waited for it; the others were told
    # the results are being computed instead of waiting.
    assert sum(1 for _status, waiting in outcomes if waiting) >= 1
    assert sí_count(logged_in(bob).get(url_of(qn, "en")).content.decode()) == 6


def paper_response(qn, staff, reference: str):
    return services.assisted_response_record(
        consultation=qn.consultation,
        staff=staff,
        channel=Channel.ASSISTED_PAPER,
        answers={**complete_answers(qn), qn.q["atendido"]: AnswerValue(option_ids=[qn.o["Sí"].pk])},
        attributes={},
        consented=set(),
        paper_reference=reference,
    )


def test_new_responses_schedule_one_recompute_and_the_next_copy_counts_them(
    reader, answered, staff_member, monkeypatch, django_capture_on_commit_callbacks
):
    before, _ = view(reader, answered)
    asked = []
    monkeypatch.setattr(results, "enqueue", lambda task, *args, **kwargs: asked.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        paper_response(answered, staff_member, "F-1")
    with django_capture_on_commit_callbacks(execute=True):
        paper_response(answered, staff_member, "F-2")
    assert asked == [((answered.consultation.pk,), {"countdown": 60})]  # debounced: one for both
    # Until it runs, readers get the last copy at once.
    assert sí_count(view(reader, answered)[0]) == 6
    results.results_refresh(consultation_id=answered.consultation.pk)
    after, _ = view(reader, answered)
    assert sí_row(after) != sí_row(before)  # two assisted answers more (small cells are suppressed)
    # The next change asks again.
    with django_capture_on_commit_callbacks(execute=True):
        paper_response(answered, staff_member, "F-3")
    assert len(asked) == 2
    assert sí_count(before) == 6


@pytest.mark.django_db(transaction=True)
def test_readers_never_wait_for_a_computation_in_progress(reader, answered, monkeypatch):
    view(reader, answered)
    started, release = threading.Event(), threading.Event()
    original = results.results_page_languages

    def slow(consultation):
        started.set()
        release.wait(10)
        return original(consultation)

    monkeypatch.setattr(results, "results_page_languages", slow)
    cache.clear()  # the shared copy is gone too: the reader falls back on the database's

    def compute():
        try:
            results.results_refresh(consultation_id=answered.consultation.pk)
        finally:
            connection.close()

    computing = threading.Thread(target=compute)
    computing.start()
    try:
        assert started.wait(10)
        began = time.monotonic()
        html, _ = view(reader, answered)
        assert time.monotonic() - began < 1
        assert sí_count(html) == 6
    finally:
        release.set()
        computing.join(10)


def test_a_run_that_finds_another_computing_leaves_word_for_one_more(
    answered, computations, django_capture_on_commit_callbacks
):
    pk = answered.consultation.pk
    cache.add(results._lock_key(pk), 1, 60)  # another worker is computing
    assert results.results_refresh(consultation_id=pk) is False
    assert computations == []
    cache.delete(results._lock_key(pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert results.results_refresh(consultation_id=pk) is True
    # ...and, told that a change came in meanwhile, it ran once more (in-process here).
    assert computations == [pk, pk]


def test_dialogue_input_and_moderation_are_in_the_next_copy(
    reader, staff_member, answered, django_capture_on_commit_callbacks
):
    html, _ = view(reader, answered)
    assert "40" not in sí_row(html) and "Más horarios" in html
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = DialogueFactory(
            consultation=answered.consultation, title="Diálogo en Arica", commune="Arica"
        )
        DialogueOptionCountFactory(dialogue=dialogue, option=answered.o["Sí"], count=40)
    assert "40" in sí_row(view(reader, answered)[0])

    grant(enable_mfa(staff_member), "moderate_answers")
    answer = answered.consultation.responses.get(answers__text="Más horarios").answers.get()
    with django_capture_on_commit_callbacks(execute=True):
        hidden = logged_in(staff_member).post(MODERATION, {"action": "hide", "_selected_action": [answer.pk]})
    assert hidden.status_code == 302
    assert "Más horarios" not in view(reader, answered)[0]


def test_an_edited_published_text_is_in_the_next_copy(
    reader, staff_member, answered, django_capture_on_commit_callbacks
):
    view(reader, answered)
    grant(enable_mfa(staff_member), "moderate_answers")
    answer = answered.consultation.responses.get(answers__text="Más horarios").answers.get()
    url = reverse("admin:consultations_answer_change", args=[answer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        saved = logged_in(staff_member).post(
            url, {"published_text": "Más horarios en la tarde", "moderation": ModerationStatus.APPROVED}
        )
    assert saved.status_code == 302
    assert "Más horarios en la tarde" in view(reader, answered)[0]


def test_saving_a_copy_loaded_before_a_change_keeps_the_change_visible(
    reader, answered, django_capture_on_commit_callbacks
):
    stale = Consultation.objects.get(pk=answered.consultation.pk)
    before, _ = view(reader, answered)
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = DialogueFactory(consultation=answered.consultation, title="Diálogo en Arica")
        DialogueOptionCountFactory(dialogue=dialogue, option=answered.o["Sí"], count=43)
        stale.title_es = "Otro título"
        stale.save()  # e.g. an admin form opened before the dialogue was recorded
    after, _ = view(reader, answered)
    assert "43" not in sí_row(before) and "43" in sí_row(after)


def test_the_sweep_asks_again_for_copies_a_lost_task_left_behind(answered, monkeypatch):
    asked = []
    monkeypatch.setattr(results, "results_refresh_schedule", lambda **kw: asked.append(kw) or True)
    assert results.results_refresh_sweep() == 0  # the copy is current
    submitted_response(
        answered.consultation, {answered.q["atendido"]: AnswerValue(option_ids=[answered.o["No"].pk])}
    )
    ResultsSnapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=5))
    assert results.results_refresh_sweep() == 1
    assert asked == [{"consultation_id": answered.consultation.pk}]


def test_with_redis_unreachable_readers_get_the_database_copy_and_a_refresh_still_computes(
    reader, answered, settings, computations
):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("REDIS_URL is not set: the project's Redis cache is what this test breaks")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 5},
        },
    }
    reset_circuits()
    try:
        assert sí_count(view(reader, answered)[0]) == 6
        assert results.results_refresh(consultation_id=answered.consultation.pk) is True
        assert computations == [answered.consultation.pk]
    finally:
        reset_circuits()


def test_with_the_cache_off_every_view_computes(reader, answered, settings, computations):
    settings.RESULTS_CACHE_SECONDS = 0
    view(reader, answered)
    view(reader, answered)
    assert len(computations) == 2


# --- The page around the copy, shared between readers (engine.fragments) ---------------------------------


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 30


def test_a_page_waiting_for_its_first_copy_is_never_shared(reader, alice, answered, fragments, monkeypatch):
    monkeypatch.setattr(results, "enqueue", lambda task, *args, **kwargs: None)  # the worker is busy
    ResultsSnapshot.objects.all().delete()
    cache.clear()
    waiting, _ = view(reader, answered)
    assert "Estamos calculando" in waiting
    results.results_refresh(consultation_id=answered.consultation.pk)
    # The next reader gets the copy at once, not the "computing" page another reader saw.
    assert sí_count(logged_in(alice).get(url_of(answered)).content.decode()) == 6


def test_a_page_showing_an_older_copy_is_not_shared_and_the_next_copy_shows_at_once(
    reader, answered, fragments, monkeypatch, django_capture_on_commit_callbacks
):
    before, _ = view(reader, answered)
    monkeypatch.setattr(results, "enqueue", lambda task, *args, **kwargs: None)  # computed below
    with django_capture_on_commit_callbacks(execute=True):
        dialogue = DialogueFactory(consultation=answered.consultation, commune="Arica")
        DialogueOptionCountFactory(dialogue=dialogue, option=answered.o["Sí"], count=40)
    older, _ = view(reader, answered)  # the last copy while the next one is computed
    assert sí_row(older) == sí_row(before)
    results.results_refresh(consultation_id=answered.consultation.pk)
    newer, _ = view(reader, answered)
    assert "40" in sí_row(newer)
    again, queries = view(reader, answered)
    main = "<main"  # the header's logout form carries a fresh CSRF token each time
    assert again.split(main)[1] == newer.split(main)[1]
    assert queries == 2  # now shared: the session's user and the consultation only
