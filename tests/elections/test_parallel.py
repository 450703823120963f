"""One ballot per organisation, even when 20 requests cast it at the same instant (real PostgreSQL)."""

import copy

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cosoc.elections import services
from cosoc.elections.models import Ballot, BallotChoice, VoteRecord
from tests.helpers import logged_in, run_in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_parallel_ballots_make_one(voting, org_a, rosa):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a real PostgreSQL")
    marie = voting.candidacies.get(name="Marie Pierre")

    def cast():
        return services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[marie.pk])

    outcomes = run_in_parallel(cast, threads=20)
    refused = [o for o in outcomes if isinstance(o, services.ElectionRefusal)]
    cast_ok = [o for o in outcomes if isinstance(o, services.Cast)]
    assert len(outcomes) == 20
    assert len(cast_ok) == 1, outcomes
    assert len(refused) == 19 and all("ya votó" in str(r) for r in refused)
    assert VoteRecord.objects.count() == 1
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 1


def test_the_cast_button_clicked_twenty_times_at_once_shows_every_click_the_voted_page(voting, org_a, rosa):
    """A double click, or a second tab: every request gets the page the one that cast got, never a refusal
    that reads as if somebody else had voted."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a real PostgreSQL")
    marie = voting.candidacies.get(name="Marie Pierre")
    browser = logged_in(rosa)
    url = reverse("cosoc:elections:vote", args=[voting.pk, org_a.pk])
    voted = reverse("cosoc:elections:voted", args=[voting.pk, org_a.pk])
    clones = []
    for _ in range(20):
        clone = Client()
        clone.cookies = copy.deepcopy(browser.cookies)
        clones.append(clone)

    def cast():
        reply = clones.pop().post(url, {"step": "cast", "candidacies": [marie.pk]})
        return reply.status_code, reply.get("Location")

    assert run_in_parallel(cast, threads=20) == [(302, voted)] * 20
    assert VoteRecord.objects.count() == 1 and Ballot.objects.count() == 1
