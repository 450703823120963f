"""A double click, a second tab or an impatient reload: the same POST arriving many times at once.

Issue 11, item 7. Every one of them gets the page the first one gets (never a 500), and what they write is
written once. Real PostgreSQL: SQLite serialises writers, so the races cannot happen there.
"""

from __future__ import annotations

import copy
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from consultations.models import AnonymousConfirmation, Answer, AnswerOption, Response, TopicProposal
from cosoc import services as cosoc_services
from cosoc.models import Observation
from engine.models import Frequency, Notification, Subscription
from participants.models import Consent, Participant
from tests.consultations.factories import (
    ConsultationFactory,
    ProposalCallFactory,
    build_questionnaire,
)
from tests.cosoc.factories import AgendaItemFactory, OrganizationFactory, SessionFactory, TermFactory
from tests.factories import UserFactory
from tests.helpers import enable_mfa, logged_in, review_data, run_in_parallel

pytestmark = [pytest.mark.django_db(transaction=True)]

TIMES = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers and has no row locks: these races only exist on PostgreSQL")


@pytest.fixture
def qn():
    return build_questionnaire(ConsultationFactory(slug="doble-clic", allow_anonymous=True))


def at_once(browser: Client, posts: list[tuple[str, dict]]) -> list:
    """Each ``(url, data)`` posted at the same instant by a copy of ``browser`` (its cookies: the same
    session), as a double click or a second tab sends them. Returns ``(url, status, Location)`` of each
    request, or the exception it raised."""
    clones = []
    for _ in posts:
        clone = Client()
        clone.cookies = copy.deepcopy(browser.cookies)
        clones.append(clone)
    posts = list(posts)

    def post():
        url, data = posts.pop()
        response = clones.pop().post(url, data)
        return url, response.status_code, response.get("Location")

    return run_in_parallel(post, threads=len(clones))


def same_post(browser: Client, url: str, data: dict, times: int = TIMES) -> list:
    """``times`` copies of one browser posting ``data`` to ``url`` at once: each ``(status, Location)``."""
    return [r if isinstance(r, Exception) else r[1:] for r in at_once(browser, [(url, data)] * times)]


def assert_all_got(results: list, expected: tuple[int, str | None]) -> None:
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert results == [expected] * len(results)


def answer_url(qn, step: int) -> str:
    return reverse("consultations:answer", kwargs={"slug": qn.slug, "step": step})


def review_url(qn) -> str:
    return reverse("consultations:review", kwargs={"slug": qn.slug})


def thanks_url(qn) -> str:
    return reverse("consultations:thanks", kwargs={"slug": qn.slug})


def section_1(qn, choice: str = "Sí") -> dict:
    return {
        f"q{qn.q['atendido'].pk}": str(qn.o[choice].pk),
        f"q{qn.q['barreras'].pk}": [str(qn.o["Documentos"].pk), "other"],
        f"q{qn.q['barreras'].pk}_other": "El transporte",
        f"q{qn.q['que_paso'].pk}": "",
        "action": "next",
    }


def section_2(qn) -> dict:
    return {
        f"q{qn.q['facilidad'].pk}": str(qn.o["Difícil"].pk),
        f"q{qn.q['prioridades'].pk}_rank_{qn.o['Vivienda'].pk}": "1",
        f"q{qn.q['prioridades'].pk}_rank_{qn.o['Empleo'].pk}": "2",
        f"q{qn.q['idea'].pk}": "Clases de español gratis",
        "action": "next",
    }


def section_3(qn) -> dict:
    return {f"q{qn.q['donde'].pk}": str(qn.o["Oficina"].pk), "action": "next"}


def saved_section_1(response: Response, qn) -> dict:
    """What is stored for section 1: each question's answer rows and its chosen options."""
    return {
        name: sorted(
            AnswerOption.objects.filter(answer__response=response, answer__question=qn.q[name]).values_list(
                "option_id", flat=True
            )
        )
        for name in ("atendido", "barreras")
    } | {
        "rows": sorted(
            Answer.objects.filter(response=response, question__section=qn.sections[0]).values_list(
                "question_id", flat=True
            )
        )
    }


# --- Answering ----------------------------------------------------------------------------------------


def test_section_one_posted_twenty_times_before_any_response_exists(qn, alice):
    browser = logged_in(alice)

    results = same_post(browser, answer_url(qn, 1), section_1(qn))

    assert_all_got(results, (302, answer_url(qn, 2)))
    response = Response.objects.get(consultation=qn.consultation)
    assert response.participant == alice.participant
    assert Participant.objects.filter(user=alice).count() == 1
    assert saved_section_1(response, qn) == {
        "atendido": [qn.o["Sí"].pk],
        "barreras": [qn.o["Documentos"].pk],
        "rows": sorted([qn.q["atendido"].pk, qn.q["barreras"].pk]),
    }
    assert Answer.objects.get(response=response, question=qn.q["barreras"]).other_text == "El transporte"


def test_two_tabs_saving_different_answers_at_once_keep_one_of_them_whole(qn, alice):
    browser = logged_in(alice)
    assert browser.post(answer_url(qn, 1), section_1(qn))["Location"] == answer_url(qn, 2)
    response = Response.objects.get(consultation=qn.consultation)
    posts = [(answer_url(qn, 1), section_1(qn, choice=choice)) for choice in ["Sí", "No"] * (TIMES // 2)]

    results = at_once(browser, posts)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert {r[1:] for r in results} == {(302, answer_url(qn, 2))}
    stored = saved_section_1(response, qn)
    assert stored["atendido"] in ([qn.o["Sí"].pk], [qn.o["No"].pk])  # one tab's answer, never both
    assert stored["rows"] == sorted([qn.q["atendido"].pk, qn.q["barreras"].pk])


def test_the_review_page_submitted_twenty_times(qn, alice, django_capture_on_commit_callbacks):
    browser = logged_in(alice)
    for step, data in enumerate([section_1(qn), section_2(qn), section_3(qn)], start=1):
        assert browser.post(answer_url(qn, step), data).status_code == 302

    results = same_post(browser, review_url(qn), review_data(alice.participant))

    assert_all_got(results, (302, thanks_url(qn)))
    response = Response.objects.get(consultation=qn.consultation)
    assert response.status == Response.Status.SUBMITTED
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert len(mail.outbox) == 1  # one confirmation (tasks run eagerly after each commit)


def test_the_review_page_with_a_new_sensitive_answer_submitted_twenty_times(qn, alice):
    browser = logged_in(alice)
    for step, data in enumerate([section_1(qn), section_2(qn), section_3(qn)], start=1):
        browser.post(answer_url(qn, step), data)
    data = review_data(alice.participant, gender_identity="woman", consent_gender_identity="on")

    results = same_post(browser, review_url(qn), data)

    assert_all_got(results, (302, thanks_url(qn)))
    assert Consent.objects.active().filter(participant=alice.participant).count() == 1
    alice.participant.refresh_from_db()
    assert alice.participant.gender_identity == "woman"


def test_a_section_saved_while_the_same_response_is_submitted(qn, alice):
    """The last section posted in one tab while the review is submitted in another: whichever comes second
    sees the other's outcome, and both get a normal page."""
    browser = logged_in(alice)
    for step, data in enumerate([section_1(qn), section_2(qn), section_3(qn)], start=1):
        browser.post(answer_url(qn, step), data)
    posts = [(review_url(qn), review_data(alice.participant)), (answer_url(qn, 3), section_3(qn))] * (
        TIMES // 2
    )

    results = at_once(browser, posts)

    assert [r for r in results if isinstance(r, Exception)] == []
    outcomes: dict[str, set] = {}
    for url, status, location in results:
        outcomes.setdefault(url, set()).add((status, location))
    assert outcomes[review_url(qn)] == {(302, thanks_url(qn))}
    # Saved before the submit: on to the review; after it: the thanks page, as for a submitted response.
    assert outcomes[answer_url(qn, 3)] <= {(302, review_url(qn)), (302, thanks_url(qn))}
    assert Response.objects.get(consultation=qn.consultation).status == Response.Status.SUBMITTED


# --- Without an account -----------------------------------------------------------------------------


def anonymous_start_url(qn) -> str:
    return reverse("consultations:anonymous-start", kwargs={"slug": qn.slug})


def test_asking_for_a_link_twenty_times_at_once(qn):
    browser = Client()
    browser.get(anonymous_start_url(qn))

    results = same_post(browser, anonymous_start_url(qn), {"email": "marie@example.org"})

    assert_all_got(results, (200, None))  # "we sent you a link"
    assert {m.to[0] for m in mail.outbox} == {"marie@example.org"}


def test_confirming_the_link_twice_at_once(qn):
    Client().post(anonymous_start_url(qn), {"email": "marie@example.org"})
    link = re.search(r"http://testserver(/consultas/\S+/sin-cuenta/[0-9a-f-]{36}/)", mail.outbox[0].body)[1]
    browser = Client()
    browser.get(link)

    results = same_post(browser, link, {}, times=2)

    assert_all_got(results, (302, answer_url(qn, 1)))
    assert AnonymousConfirmation.objects.get().used_at is not None


# --- Account, notifications, proposals ----------------------------------------------------------------


def profile_data(**overrides) -> dict:
    data = {
        "name": "Alice Pierre",
        "preferred_language": "es",
        "birth_year": "1990",
        "nationality": "HT",
        "region": "CL-RM",
        "commune": "Santiago",
        "languages": ["ht"],
        "gender_identity": "woman",
        "consent_gender_identity": "on",
    }
    data.update(overrides)
    return data


def test_the_profile_saved_twenty_times_at_once(bob):
    """Bob has no participant profile yet: the first save creates it."""
    Participant.objects.filter(user=bob).delete()
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)
    browser = Client()
    browser.force_login(bob)

    results = same_post(browser, "/cuenta/perfil/", profile_data())

    assert_all_got(results, (302, "/cuenta/perfil/"))
    participant = Participant.objects.get(user=bob)
    assert participant.gender_identity == "woman"
    assert Consent.objects.active().filter(participant=participant).count() == 1


def test_following_a_consultation_twenty_times_at_once(qn, alice):
    url = reverse("consultations:follow", kwargs={"slug": qn.slug})

    results = same_post(logged_in(alice), url, {})

    assert_all_got(results, (302, qn.consultation.get_absolute_url()))
    assert Subscription.objects.filter(user=alice, object_id=qn.consultation.pk).count() == 1


def test_my_notifications_saved_twenty_times_at_once(alice):
    browser = logged_in(alice)
    page = browser.get("/avisos/")
    data = {field.html_name: field.value() or "" for field in page.context["form"]}
    data["mechanism_consultations"] = Frequency.WEEKLY

    results = same_post(browser, "/avisos/", data)

    assert_all_got(results, (302, "/avisos/"))
    assert Subscription.objects.filter(user=alice, mechanism="consultations").count() == 1


def test_a_topic_proposal_sent_twenty_times_at_once(alice):
    call = ProposalCallFactory()
    url = reverse("consultations:proposal-call", kwargs={"pk": call.pk})
    proposal = {"title": "Salud mental de personas migrantes", "description": "Falta atención en creole."}

    results = same_post(logged_in(alice), url, proposal)

    assert_all_got(results, (302, url))
    assert TopicProposal.objects.filter(call=call).count() == 1


def test_a_cosoc_observation_posted_twenty_times_at_once(term_member_in_review):
    user, session, item = term_member_in_review
    browser = logged_in(user)
    url = reverse("cosoc:observe", kwargs={"pk": session.pk})
    review = reverse("cosoc:review", kwargs={"pk": session.pk})

    results = same_post(browser, url, {"target": f"item-{item.pk}", "text": "El plazo es muy corto"})

    assert_all_got(results, (302, f"{review}#item-{item.pk}"))
    assert Observation.objects.filter(item=item, author=user).count() == 1
    # The same words elsewhere, or a reply with them, are other observations.
    first = Observation.objects.get()
    browser.post(url, {"target": f"item-{item.pk}", "text": "El plazo es muy corto", "parent": first.pk})
    assert Observation.objects.filter(item=item, author=user).count() == 2


@pytest.fixture
def term_member_in_review():
    """A councillor (with her second factor) and a session whose agenda is in review, with one item."""
    term = TermFactory()
    user = UserFactory(email="consejera@example.org", name="Consejera")
    cosoc_services.membership_create(
        term=term, user=user, organization=OrganizationFactory(), role="councillor", start=term.start
    )
    session = SessionFactory(term=term)
    item = AgendaItemFactory(session=session)
    cosoc_services.session_publish_agenda(session=session)
    return enable_mfa(user), session, item
