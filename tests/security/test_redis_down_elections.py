"""Redis stops during a COSOC election's voting: representatives still vote (as consultations submit in
``test_redis_down.py``, whose fixtures and helpers these use).

Every ballot is counted once, no organisation votes twice (a double click included), the results are right
and their pages answer; the phase notices wait in the outbox and go out once when Redis is back.
"""

from __future__ import annotations

import copy
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cosoc.elections.models import Ballot, CandidateResult, CategoryResult, Phase, VoteRecord
from engine import tasks
from engine.models import Notification, NotificationStatus
from tests.elections.factories import candidacy, election_at, move_to
from tests.factories import UserFactory
from tests.helpers import run_in_parallel
from tests.organizations.factories import represented
from tests.security.redis_outage import RETRY_AFTER, browser_of

pytestmark = [pytest.mark.usefixtures("postgresql_only"), pytest.mark.django_db(transaction=True)]

# Who each organisation votes for, by category (None: a blank ballot).
VOTES = {
    1: ["Ana", "Ana", "Ana", "Carla", "Carla", "Beto", None],
    2: ["Darío", "Darío", None],
}


def vote_url(election, organization) -> str:
    return reverse("cosoc:elections:vote", kwargs={"pk": election.pk, "organization_pk": organization.pk})


def voted_url(election, organization) -> str:
    return reverse("cosoc:elections:voted", kwargs={"pk": election.pk, "organization_pk": organization.pk})


def test_with_redis_stopped_representatives_vote_at_once_each_ballot_counts_once_and_results_are_right(
    portal_on,
):
    voters = []  # (representative, organisation, name chosen or None)
    for category, choices in VOTES.items():
        for n, choice in enumerate(choices):
            person = UserFactory(email=f"rep{category}-{n}@example.org")
            organization = represented(
                person, legal_name=f"Organización {category}-{n}", accredited=True, category=category
            )
            voters.append((person, organization, choice))
    election = election_at(Phase.VOTING, seats={1: 2, 2: 1})
    move_to(election, Phase.CANDIDACIES)
    first_of = {category: next(o for _p, o, _c in voters if o.category == category) for category in VOTES}
    people = {
        name: candidacy(election, first_of[category], name=name, gender=gender)
        for name, gender, category in [
            ("Ana", "woman", 1),
            ("Beto", "man", 1),
            ("Carla", "woman", 1),
            ("Darío", "man", 2),
        ]
    }
    move_to(election, Phase.VOTING)
    tasks.notifications_sweep_task.apply()  # the notices of the phases so far go out while Redis is up
    mail.outbox.clear()
    browsers = {person.pk: browser_of(person) for person, _o, _c in voters}  # signed in while Redis was up

    portal_on.stop()

    # Each representative confirms their choice; then casts it twice at the same instant (a double click).
    posts = []
    for person, organization, choice in voters:
        data = {"candidacies": [people[choice].pk]} if choice else {"blank": "on"}
        confirm = browsers[person.pk].post(vote_url(election, organization), {**data, "step": "review"})
        assert confirm.status_code == 200 and b'value="cast"' in confirm.content
        for _twice in range(2):
            clone = Client()
            clone.cookies = copy.deepcopy(browsers[person.pk].cookies)
            posts.append((clone, organization, {**data, "step": "cast"}))

    def cast():
        clone, organization, data = posts.pop()
        reply = clone.post(vote_url(election, organization), data)
        return organization.pk, reply.status_code, reply.get("Location")

    results = run_in_parallel(cast, threads=len(posts))

    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(results) == 2 * len(voters)
    # One request of each pair casts; the other gets the same "voted" page.
    assert sorted(r[:3] for r in results) == sorted(
        2 * [(o.pk, 302, voted_url(election, o)) for _p, o, _c in voters]
    )
    assert VoteRecord.objects.filter(election=election).count() == len(voters)
    assert Ballot.objects.filter(election=election).count() == len(voters)

    # Nobody votes twice: a later try lands on the "voted" page, and nothing is added.
    person, organization, _choice = voters[0]
    again = browsers[person.pk].post(
        vote_url(election, organization), {"candidacies": [people["Beto"].pk], "step": "cast"}
    )
    assert (again.status_code, again["Location"]) == (302, voted_url(election, organization))
    assert browsers[person.pk].get(voted_url(election, organization)).status_code == 200
    assert Ballot.objects.filter(election=election).count() == len(voters)

    # Counting and results, with Redis still down; their notices wait for the broker.
    move_to(election, Phase.COUNTING)
    move_to(election, Phase.RESULTS)
    expected = {"Ana": 3, "Carla": 2, "Beto": 1, "Darío": 2}
    assert dict(CandidateResult.objects.values_list("candidacy__name", "votes")) == expected
    assert set(CandidateResult.objects.filter(elected=True).values_list("candidacy__name", flat=True)) == {
        "Ana",
        "Carla",
        "Darío",
    }
    assert sorted(CategoryResult.objects.values_list("category", "on_roll", "voted", "blank")) == [
        (1, 7, 7, 1),
        (2, 3, 3, 1),
    ]
    page = Client().get(reverse("cosoc:elections:results", kwargs={"pk": election.pk}))
    assert page.status_code == 200 and "Carla" in page.content.decode()
    representative = browsers[voters[0][0].pk]
    for path in (
        reverse("cosoc:elections:index"),
        reverse("cosoc:elections:detail", kwargs={"pk": election.pk}),
    ):
        assert Client().get(path).status_code == 200, path
        assert representative.get(path).status_code == 200, path
    assert representative.get(reverse("organizations:dashboard")).status_code == 200
    pending = Notification.objects.filter(status=NotificationStatus.PENDING).count()
    assert pending == 2 * len(voters) and mail.outbox == []  # counting, then results: each representative

    portal_on.start()
    time.sleep(RETRY_AFTER)

    tasks.notifications_sweep_task.apply()
    tasks.notifications_sweep_task.apply()  # beat runs it every minute: a second run sends nothing again
    assert sorted(m.to[0] for m in mail.outbox) == sorted(2 * [person.email for person, _o, _c in voters])
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 0
