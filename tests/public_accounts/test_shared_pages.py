"""What the account adds to shared pages: the home page's "open now" and "what's new", search, sitemap,
"my data", and the engine's report (channels together, suppressed)."""

import pytest
from django.test import Client

from engine.models import SearchDocument
from engine.reports.services import report_job_build, report_job_start
from engine.search import search_rebuild
from participants.data_export import readable_user_data, user_data
from public_accounts import reports, selectors, services
from public_accounts.models import Phase, Status
from tests.factories import ParticipantFactory
from tests.helpers import enable_mfa
from tests.public_accounts.factories import QuestionFactory, answered

pytestmark = pytest.mark.django_db


def test_open_window_is_in_open_now_with_its_closing_date(account, closed_account, draft_account, client):
    html = client.get("/").content.decode()
    assert account.title in html
    assert closed_account.title not in html and draft_account.title not in html


def test_answers_out_are_news(account, closed_account, client):
    answered(QuestionFactory(account=closed_account, accepted=True))
    services.answers_publish_all(account=closed_account)
    html = client.get("/").content.decode()
    assert "Respuestas de la cuenta pública 2025" in html


def test_search_and_sitemap_hold_public_accounts_only(account, draft_account, client):
    search_rebuild()
    indexed = set(SearchDocument.objects.values_list("object_id", flat=True).distinct())
    assert str(account.pk) in {str(i) for i in indexed}
    assert str(draft_account.pk) not in {str(i) for i in indexed}
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/cuenta-publica/2026/" in sitemap and "/cuenta-publica/2027/" not in sitemap


def test_phase_sweep_brings_an_account_into_search_when_its_summary_comes_out(draft_account):
    assert not SearchDocument.objects.filter(object_id=draft_account.pk).exists()
    draft_account.phase_override = Phase.PUBLISHED
    draft_account.save()
    services.account_phases_sweep()
    assert SearchDocument.objects.filter(object_id=draft_account.pk).exists()


def test_my_data_lists_my_questions(account, alice):
    question = services.question_submit(
        account=account, participant=alice.participant, text="¿Mía?", language="es"
    )
    services.question_moderate(question=question, status=Status.REJECTED, reason="Fuera de tema")
    assert user_data(alice)["public_accounts"]["data"][0]["rejection_reason"] == "Fuera de tema"
    sections = {str(section.label): section for section in readable_user_data(alice)}
    assert "Cuenta pública: mis preguntas" in sections


def test_report_counts_in_person_with_online_and_suppresses_small_cells(account, staff_member, admin_user):
    for n in range(12):
        QuestionFactory(
            account=account, participant=ParticipantFactory(gender_identity=""), text=f"¿En línea {n}?"
        )
    for n in range(3):
        services.question_record_in_person(
            account=account, staff=staff_member, text=f"¿Presencial {n}?", topic="x"
        )
    rejected = QuestionFactory(account=account)
    services.question_moderate(question=rejected, status=Status.REJECTED, reason="x")

    questions, people = reports.channel_tables(account)
    lines = {row.category.code: [cell.display for cell in row.cells] for row in questions}
    assert selectors.channel_counts(account) == {
        "online": {"questions": 12, "people": 12},
        "in_person": {"questions": 3, "people": 3},
    }
    # 3 is under the threshold: hidden, and 12 with it, or the total (15) would give 3 away.
    assert lines["in_person"][0] == "< 5" and lines["online"][0] == "x" and questions.total.display == "15"

    job = report_job_start(
        kind=reports.PUBLIC_ACCOUNT_QUESTIONS,
        requested_by=enable_mfa(admin_user),
        parameters={"account": account.pk},
        format="xlsx",
        language="es",
        enqueue_build=False,
    )
    job = report_job_build(job_id=job.pk, notify_requester=False)
    assert job.file.size > 0


def test_anonymous_cannot_see_draft_accounts_anywhere(draft_account):
    client = Client()
    assert draft_account.title not in client.get("/cuenta-publica/").content.decode()
    assert draft_account.title not in client.get("/").content.decode()


def test_people_by_gender_and_channel_use_the_sensitive_threshold(account, staff_member):
    for n in range(7):
        participant = ParticipantFactory()
        participant.gender_identity = "woman"
        participant.save(active_consents={"gender_identity"})
        QuestionFactory(account=account, participant=participant, text=f"¿Mujer {n}?")
    table = reports.channel_by_gender(account)
    women = next(row for row in table if row.category.code == "woman")
    assert women.cells[0].display != "7"  # 7 is under the threshold of 10 for a sensitive attribute
    assert table.k == 10
