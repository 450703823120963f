"""Nobody can join an organisation to its choices: not the schema, not admin, not a page or an export."""

import pytest
from django.contrib import admin
from django.db import connection, models
from django.urls import reverse

from cosoc.elections import services
from cosoc.elections.models import Ballot, BallotChoice, Phase, VoteRecord
from tests.elections.factories import move_to
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_a_ballot_holds_no_key_time_or_order_that_leads_to_its_voter():
    for model in (Ballot, BallotChoice):
        for field in model._meta.get_fields():
            assert not isinstance(field, (models.DateTimeField, models.DateField, models.TimeField)), field
            assert not isinstance(field, models.AutoField), (
                f"{field}: a sequence gives away the order of casting"
            )
            related = getattr(field, "related_model", None)
            if field.is_relation and related is not None:
                assert related._meta.model_name in {"election", "ballot", "candidacy", "ballotchoice"}, field
        assert isinstance(model._meta.pk, models.UUIDField)
    # The vote record knows the organisation and the time, and nothing of the ballot.
    related = {f.related_model._meta.model_name for f in VoteRecord._meta.get_fields() if f.is_relation}
    assert related == {"election", "organization"}


def test_admin_has_no_page_for_ballots_choices_or_vote_records():
    for model in (Ballot, BallotChoice, VoteRecord):
        assert not admin.site.is_registered(model)


def test_the_election_admin_shows_turnout_only(voting, org_a, org_b, rosa, tomas, admin_user):
    marie = voting.candidacies.get(name="Marie Pierre")
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[marie.pk])
    page = (
        logged_in(admin_user).get(reverse("admin:cosoc_election_change", args=[voting.pk])).content.decode()
    )
    assert "Categoría 1: 1 / 1" in page and "Categoría 2: 0 / 1" in page
    assert "Marie Pierre" not in page
    for url in ("/admin/cosoc/ballot/", "/admin/cosoc/ballotchoice/", "/admin/cosoc/voterecord/"):
        assert logged_in(admin_user).get(url).status_code == 404


def test_ballots_come_out_in_no_order_of_casting(voting, org_a, org_b, rosa, tomas):
    """Whatever order the database returns, ballots sort by a random key: the first cast is not first."""
    marie = voting.candidacies.get(name="Marie Pierre")
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[marie.pk])
    services.ballot_cast(election=voting, organization=org_b, by=tomas, candidacy_ids=[], blank=True)
    assert Ballot._meta.ordering == ["id"]
    assert all(ballot.id.version == 4 for ballot in Ballot.objects.all())


def test_closing_the_vote_shakes_the_ballot_box(voting, org_a, org_b, rosa, tomas):
    """Ballots are rewritten in random order in one transaction: neither their physical order nor the
    transaction that wrote them follows the order of casting (the vote records keep that)."""
    marie = voting.candidacies.get(name="Marie Pierre")
    carla = voting.candidacies.get(name="Carla Soto")
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[marie.pk])
    services.ballot_cast(election=voting, organization=org_b, by=tomas, candidacy_ids=[carla.pk])
    before = set(Ballot.objects.values_list("pk", flat=True))
    move_to(voting, Phase.COUNTING)
    after = set(Ballot.objects.values_list("pk", flat=True))
    assert len(after) == 2 and not before & after, "every ballot has a new random key"
    assert sorted(BallotChoice.objects.values_list("candidacy__name", flat=True)) == [
        "Carla Soto",
        "Marie Pierre",
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(DISTINCT xmin::text) FROM cosoc_ballot WHERE election_id = %s", [voting.pk]
            )
            assert cursor.fetchone()[0] == 1
