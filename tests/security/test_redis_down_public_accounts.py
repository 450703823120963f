"""Redis stops while citizens ask about the public account: nobody is stopped with it (as for consultations in
``test_redis_down.py``, whose fixtures and helpers these use).

Questions are stored once each, their authors find them, the account's pages answer; what the handling of
a question notifies waits in the outbox and goes out once when Redis is back. The one-time email link (a
person without an account) works with Redis down too: its state lives in the database and the session's
database copy.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from engine import tasks
from engine.models import Notification, NotificationStatus
from public_accounts import services
from public_accounts.models import Channel, Question, Status
from tests.helpers import run_in_parallel
from tests.public_accounts.factories import PublicAccountFactory, SectionFactory
from tests.security.redis_outage import RETRY_AFTER, browser_of, citizen

pytestmark = [pytest.mark.usefixtures("postgresql_only"), pytest.mark.django_db(transaction=True)]

CITIZENS = 10


@pytest.fixture
def account():
    """In its questions window (the factory's default), with one section."""
    account = PublicAccountFactory(year=2026)
    SectionFactory(account=account, title="Regularización", title_es="Regularización")
    return account


def ask_url(account) -> str:
    return reverse("public_accounts:ask", kwargs={"year": account.year})


def question_data(account, text: str) -> dict:
    return {
        "kind": "question",
        "section": account.sections.get().pk,
        "topic": "",
        "text": text,
        "language": "ht",
    }


def text_of(n: int) -> str:
    return f"Kilè papye moun {n} yo ap pare?"


def test_with_redis_stopped_citizens_ask_each_question_is_stored_once_and_notices_go_out_once_it_is_back(
    portal_on, account
):
    citizens = [citizen(n) for n in range(CITIZENS)]
    browsers = {user.pk: browser_of(user) for user in citizens}  # signed in while Redis was up
    assert browsers[citizens[0].pk].get(ask_url(account)).status_code == 200

    portal_on.stop()

    # Each citizen sends their question twice at the same instant (a double click): 20 requests at once.
    pending = [user for user in citizens for _twice in range(2)]

    def ask():
        user = pending.pop()
        reply = browsers[user.pk].post(
            ask_url(account), question_data(account, text_of(citizens.index(user)))
        )
        return user.pk, reply.status_code, reply.get("Location")

    results = run_in_parallel(ask, threads=2 * CITIZENS)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(results) == 2 * CITIZENS
    questions = {q.participant.user_id: q for q in Question.objects.select_related("participant")}
    assert len(questions) == CITIZENS  # one per citizen, none lost, none doubled
    for user_pk, status, location in results:
        assert (status, location) == (302, questions[user_pk].get_absolute_url())
    for n, user in enumerate(citizens):
        assert questions[user.pk].text == text_of(n)
        assert (questions[user.pk].status, questions[user.pk].channel) == (Status.PENDING, Channel.ONLINE)

    # Each author finds theirs on "my questions" and on its own page; the account's pages answer.
    for n, user in enumerate(citizens):
        mine = browsers[user.pk].get(reverse("public_accounts:my-questions"))
        assert mine.status_code == 200
        assert text_of(n) in mine.content.decode()
        assert browsers[user.pk].get(questions[user.pk].get_absolute_url()).status_code == 200
    for browser in (Client(), browsers[citizens[0].pk]):
        for path in (reverse("public_accounts:index"), account.get_absolute_url()):
            assert browser.get(path).status_code == 200, path
    assert text_of(0) not in Client().get(account.get_absolute_url()).content.decode()  # pending: not public

    # Asking notifies nothing; the team's handling does, through the outbox, which waits for the broker.
    assert Notification.objects.count() == 0
    services.question_moderate(
        question=questions[citizens[0].pk], status=Status.REJECTED, reason="Fuera de tema"
    )
    assert mail.outbox == []
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 1

    portal_on.start()
    time.sleep(RETRY_AFTER)

    tasks.notifications_sweep_task.apply()
    tasks.notifications_sweep_task.apply()  # beat runs it every minute: a second run sends nothing again
    assert [m.to for m in mail.outbox] == [[citizens[0].email]]
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 1
    assert Question.objects.count() == CITIZENS
    assert (
        text_of(1) in browsers[citizens[1].pk].get(reverse("public_accounts:my-questions")).content.decode()
    )


def test_with_redis_stopped_a_person_without_an_account_confirms_by_link_and_asks(portal_on, account):
    person = Client()
    portal_on.stop()

    sent = person.post(
        reverse("public_accounts:email-start", kwargs={"year": account.year}), {"email": "Rose@Example.org"}
    )
    assert sent.status_code == 200
    # The link goes straight to the mail server (no broker): it is out at once.
    assert [m.to for m in mail.outbox] == [["rose@example.org"]]
    link = re.search(r"http://testserver(/\S+/sin-cuenta/[0-9a-f-]+/)", mail.outbox[0].body).group(1)
    assert person.get(link).status_code == 200
    confirmed = person.post(link)
    assert (confirmed.status_code, confirmed["Location"]) == (302, ask_url(account))

    asked = person.post(ask_url(account), question_data(account, "¿Puedo trabajar?"))
    question = Question.objects.get()
    assert (asked.status_code, asked["Location"]) == (302, question.get_absolute_url())
    assert (question.contact, question.participant.user) == ("rose@example.org", None)
    again = person.post(ask_url(account), question_data(account, "¿Puedo trabajar?"))  # a double click
    assert again["Location"] == question.get_absolute_url() and Question.objects.count() == 1
    assert person.get(question.get_absolute_url()).status_code == 200  # hers: this browser sees it
    assert Client().get(question.get_absolute_url()).status_code == 404  # pending: nobody else does
    assert "ya se usó" in Client().post(link, follow=True).content.decode()  # used: nobody else gets in

    portal_on.start()
    time.sleep(RETRY_AFTER)

    # The session written while Redis was down is still hers once it is back (read from the database).
    assert person.get(question.get_absolute_url()).status_code == 200
    assert person.get(ask_url(account)).context["email"] == "rose@example.org"
    assert len(mail.outbox) == 1
