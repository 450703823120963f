"""Redis stops while the COSOC reviews an agenda: members still sign in with their second factor and post
observations (as consultations do in ``test_redis_down.py``, whose fixtures and helpers these use).

Each observation is stored once, the other members read it, no public page shows it; what the agenda's
publication notifies waits in the outbox and goes out once when Redis is back.
"""

from __future__ import annotations

import copy
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cosoc import services
from cosoc.models import Observation
from engine import tasks
from engine.models import Notification, NotificationStatus
from participants.demo import DEMO_PASSWORD
from tests.cosoc.factories import AgendaItemFactory, OrganizationFactory, SessionFactory, TermFactory
from tests.factories import UserFactory
from tests.helpers import enable_mfa, login, run_in_parallel, totp_code, verified
from tests.security.redis_outage import RETRY_AFTER, browser_of

pytestmark = [pytest.mark.usefixtures("postgresql_only"), pytest.mark.django_db(transaction=True)]

MEMBERS = 6


def member(term, n: int):
    """A councillor of ``term`` with her second factor (the members' group needs one)."""
    user = verified(UserFactory(email=f"consejera{n}@example.org", name=f"Consejera {n}"))
    services.membership_create(
        term=term, user=user, organization=OrganizationFactory(), role="councillor", start=term.start
    )
    return enable_mfa(user)


def review_url(session) -> str:
    return reverse("cosoc:review", kwargs={"pk": session.pk})


def observe_url(session) -> str:
    return reverse("cosoc:observe", kwargs={"pk": session.pk})


def text_of(n: int) -> str:
    return f"Observación de la consejera {n} sobre el plazo"


def test_with_redis_stopped_members_observe_each_once_the_others_read_it_and_notices_go_out_once_it_is_back(
    portal_on,
):
    term = TermFactory()
    members = [member(term, n) for n in range(MEMBERS)]
    session = SessionFactory(term=term, title="Sesión en revisión")
    item = AgendaItemFactory(session=session, title="Regularización")
    browsers = {user.pk: browser_of(user) for user in members}  # signed in while Redis was up

    portal_on.stop()

    # The secretary publishes the agenda: the members' notices wait for the broker.
    services.session_publish_agenda(session=session)
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == MEMBERS
    assert mail.outbox == []

    # Another member signs in now, through the login form and her second factor.
    late = member(term, MEMBERS)
    browser = Client()
    first = login(browser, late.email, DEMO_PASSWORD)
    assert (first.status_code, first["Location"]) == (302, "/cuenta/2fa/authenticate/")
    assert browser.post("/cuenta/2fa/authenticate/", {"code": totp_code()}).status_code == 302
    assert browser.get(review_url(session)).status_code == 200
    members.append(late)
    browsers[late.pk] = browser

    # Each member posts her observation twice at the same instant (a double click, or a second tab).
    posts = []
    for n, user in enumerate(members):
        for _twice in range(2):
            clone = Client()
            clone.cookies = copy.deepcopy(browsers[user.pk].cookies)
            posts.append((clone, {"target": f"item-{item.pk}", "text": text_of(n)}))

    def observe():
        clone, data = posts.pop()
        reply = clone.post(observe_url(session), data)
        return reply.status_code, reply["Location"]

    results = run_in_parallel(observe, threads=len(posts))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert results == [(302, f"{review_url(session)}#item-{item.pk}")] * 2 * len(members)
    stored = Observation.objects.filter(item=item)
    assert sorted(stored.values_list("text", flat=True)) == sorted(text_of(n) for n in range(len(members)))
    assert {o.author_id for o in stored} == {user.pk for user in members}

    # Every member reads every observation; no public page shows any.
    for user in members:
        page = browsers[user.pk].get(review_url(session))
        assert page.status_code == 200
        assert all(text_of(n) in page.content.decode() for n in range(len(members)))
    citizen = UserFactory(email="ciudadana@example.org")
    for reader in (Client(), browser_of(citizen)):
        for path in (
            reverse("cosoc:index"),
            reverse("cosoc:sessions"),
            reverse("cosoc:session", kwargs={"pk": session.pk}),
            reverse("search") + "?q=plazo",
        ):
            page = reader.get(path)
            assert page.status_code == 200, path
            assert "consejera 0" not in page.content.decode(), path
        assert reader.get(review_url(session)).status_code in (302, 404)
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == MEMBERS

    portal_on.start()
    time.sleep(RETRY_AFTER)

    tasks.notifications_sweep_task.apply()
    tasks.notifications_sweep_task.apply()  # beat runs it every minute: a second run sends nothing again
    # The members seated when the agenda was published hear once each (the late one saw it on the page).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in members[:MEMBERS])
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == MEMBERS
    assert Observation.objects.count() == len(members)


def test_a_change_made_while_redis_was_down_shows_when_redis_comes_back_with_its_old_fragments(portal_on):
    """Redis kept its data (a partition, or persistence): the public session page it had cached must not
    come back without the agenda item added meanwhile."""
    term = TermFactory()
    session = SessionFactory(term=term, title="Sesión con tabla")
    AgendaItemFactory(session=session, title="Punto uno")
    services.session_publish_agenda(session=session)
    page_url = reverse("cosoc:session", kwargs={"pk": session.pk})
    assert "Punto uno" in Client().get(page_url).content.decode()  # now in Redis too

    portal_on.stop(keep_data=True)
    AgendaItemFactory(session=session, title="Punto agregado")
    assert "Punto agregado" in Client().get(page_url).content.decode()
    portal_on.start()
    time.sleep(RETRY_AFTER)

    for _read in range(3):  # the first read may still find the connection broken (a miss)
        page = Client().get(page_url).content.decode()
        assert "Punto uno" in page and "Punto agregado" in page
        time.sleep(RETRY_AFTER)
