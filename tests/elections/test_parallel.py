"""One ballot per organisation, even when 20 requests cast it at the same instant (real PostgreSQL)."""

import pytest
from django.db import connection

from cosoc.elections import services
from cosoc.elections.models import Ballot, BallotChoice, VoteRecord
from tests.helpers import run_in_parallel

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
