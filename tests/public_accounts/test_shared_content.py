"""The account page's content and its Q&A are the same for every reader in a language: rendered once and
shared (engine.fragments), a page of questions at a time, while what is the reader's own (the follow button,
a staff preview) never enters the shared copy."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engine.notifications import subscription_set
from participants.roles import PARTICIPATION_TEAM
from public_accounts import services, views
from public_accounts.models import Status
from tests.factories import UserFactory
from tests.helpers import enable_mfa, logged_in
from tests.public_accounts.factories import QuestionFactory, answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments(settings):
    settings.FRAGMENT_CACHE_SECONDS = 30


def test_readers_share_the_qa_and_keep_their_own_follow_button(fragments, account, alice, bob):
    answered(QuestionFactory(account=account, text="¿Cuánto tarda una visa?"), text="Noventa días.")
    services.answers_publish_all(account=account)
    subscription_set(user=alice, target=account)
    first = logged_in(alice).get(account.get_absolute_url()).content.decode()
    reader = logged_in(bob)
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(account.get_absolute_url()).content.decode()
    anonymous = Client().get(account.get_absolute_url()).content.decode()
    for html in (first, again, anonymous):
        assert "¿Cuánto tarda una visa?" in html and "Noventa días." in html
    assert "Usted sigue esta cuenta pública" in first and "Avisarme de las respuestas" not in first
    assert "Avisarme de las respuestas" in again and "Usted sigue esta cuenta pública" not in again
    assert "Avisarme de las respuestas" not in anonymous and "csrfmiddlewaretoken" not in anonymous
    # Bob's page read the account, his session and follow state: nothing of the Q&A.
    assert not any("public_accounts_question" in q["sql"] for q in queries.captured_queries)


def test_a_page_of_questions_at_a_time_and_a_merged_duplicate_links_to_the_answer(
    fragments, account, settings
):
    settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE = 2
    done = answered(QuestionFactory(account=account, text="¿Respondida en la página 1?"), text="Así es.")
    QuestionFactory(account=account, accepted=True, text="¿Segunda?")
    QuestionFactory(account=account, accepted=True, text="¿Tercera?")
    duplicate = QuestionFactory(account=account, text="¿La misma otra vez?")
    services.question_moderate(question=duplicate, status=Status.MERGED, merged_into=done)
    services.answers_publish_all(account=account)
    client = Client()

    first = client.get(account.get_absolute_url()).content.decode()
    assert "¿Respondida en la página 1?" in first and "¿Tercera?" not in first
    assert "Página 1 de 2" in first and 'href="?pagina=2#respuestas"' in first
    second = client.get(account.get_absolute_url(), {"pagina": 2}).content.decode()
    assert "¿La misma otra vez?" in second and "¿Respondida en la página 1?" not in second
    assert f'href="{done.get_absolute_url()}"' in second
    answer = client.get(done.get_absolute_url())
    assert answer.status_code == 200 and "Así es." in answer.content.decode()


def test_the_section_filter_is_kept_by_the_page_links(fragments, account, settings):
    settings.PUBLIC_ACCOUNT_QUESTIONS_PER_PAGE = 1
    first, second = account.sections.all()
    QuestionFactory(account=account, accepted=True, section=first, text="¿Primera sección?")
    QuestionFactory.create_batch(2, account=account, accepted=True, section=second, text="¿Segunda sección?")
    html = Client().get(account.get_absolute_url(), {"seccion": second.pk}).content.decode()
    assert "¿Segunda sección?" in html and "¿Primera sección?" not in html
    assert f'href="?seccion={second.pk}&amp;pagina=2#respuestas"' in html


@pytest.mark.parametrize(
    "query", [{"pagina": "x"}, {"pagina": "99999999"}, {"seccion": "<b>"}, {"seccion": "7:1"}]
)
def test_odd_parameters_show_a_valid_page(fragments, account, query):
    QuestionFactory(account=account, accepted=True, text="¿Alguna?")
    response = Client().get(account.get_absolute_url(), query)
    assert response.status_code == 200 and "¿Alguna?" in response.content.decode()


def test_a_staff_preview_is_not_shared(fragments, draft_account):
    team = UserFactory(email="equipo-pc@example.org", is_staff=True)
    team.groups.add(Group.objects.get(name=PARTICIPATION_TEAM))
    section = draft_account.sections.create(order=1, title="Borrador", title_es="Borrador")
    preview = logged_in(enable_mfa(team)).get(draft_account.get_absolute_url()).content.decode()
    assert "Borrador" in preview and "Vista previa para el equipo" in preview

    section.title = section.title_es = "Texto final"
    section.save()
    draft_account.published_at = timezone.now() - timedelta(minutes=1)
    draft_account.save()
    html = Client().get(draft_account.get_absolute_url()).content.decode()
    assert "Texto final" in html and "Borrador" not in html


def test_the_kept_account_row_still_decides_who_sees_it_by_its_dates(fragments, draft_account, account):
    """The page keeps the account's row as long as its shared content; who may see the account is decided on
    each request: a staff preview of a draft does not open it to visitors, and a public page needs no query."""
    team = UserFactory(email="equipo-pc@example.org", is_staff=True)
    team.groups.add(Group.objects.get(name=PARTICIPATION_TEAM))
    assert logged_in(enable_mfa(team)).get(draft_account.get_absolute_url()).status_code == 200
    assert Client().get(draft_account.get_absolute_url()).status_code == 404
    assert Client().get("/cuenta-publica/1999/").status_code == 404

    visitor = Client()
    visitor.get(account.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert visitor.get(account.get_absolute_url()).status_code == 200
    assert not queries.captured_queries


def test_the_answers_page_holds_every_answer_once_a_page_at_a_time(fragments, account, monkeypatch):
    monkeypatch.setattr(views, "ANSWERS_PER_PAGE", 2)
    first, second = account.sections.all()
    texts = ["¿Sin sección?", "¿Segunda sección?", "¿Primera sección A?", "¿Primera sección B?"]
    sections = [None, second, first, first]
    for text, section in zip(texts, sections, strict=True):
        answered(QuestionFactory(account=account, section=section, text=text))
    services.answers_publish_all(account=account)
    client = Client()
    url = reverse("public_accounts:answers", kwargs={"year": account.year})

    pages = [client.get(url, {"pagina": n}).content.decode() for n in (1, 2)]
    assert "Página 1 de 2" in pages[0] and "Página 2 de 2" in pages[1]
    everything = "".join(pages)
    for text in texts:
        assert everything.count(text) == 1
    order = [everything.index(t) for t in ("¿Primera sección A?", "¿Primera sección B?", "¿Segunda sección?")]
    assert order == sorted(order) and everything.index("¿Sin sección?") > order[-1]
    assert "¿Primera sección A?" in pages[0] and "¿Sin sección?" in pages[1]
