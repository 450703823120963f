"""Results per category: votes per candidacy, blank ballots, turnout; the tie rule; the elected join the
new term."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cosoc.elections import services
from cosoc.elections.models import CandidateResult, CategoryResult, LotDraw, Phase, TieRule
from cosoc.models import Membership
from tests.elections.factories import candidacy, election_at, move_to
from tests.factories import UserFactory
from tests.organizations.factories import represented

pytestmark = pytest.mark.django_db


@pytest.fixture
def voters(rosa):
    """Five organisations of category 1, all represented by rosa (so one person can cast for each)."""
    return [represented(rosa, legal_name=f"Organización {n}", accredited=True, category=1) for n in range(5)]


def election_with(voters, names_genders, *, seats=1, tie_rule=TieRule.GENDER_THEN_LOT):
    election = election_at(Phase.VOTING, seats={1: seats}, tie_rule=tie_rule)
    move_to(election, Phase.CANDIDACIES)
    people = {
        name: candidacy(election, voters[0], name=name, gender=gender) for name, gender in names_genders
    }
    return move_to(election, Phase.VOTING), people


def cast(election, organization, by, *people):
    services.ballot_cast(
        election=election,
        organization=organization,
        by=by,
        candidacy_ids=[p.pk for p in people],
        blank=not people,
    )


def test_votes_blank_ballots_and_turnout(voters, rosa, client):
    election, people = election_with(voters, [("Ana", "woman"), ("Beto", "man")])
    cast(election, voters[0], rosa, people["Ana"])
    cast(election, voters[1], rosa, people["Ana"])
    cast(election, voters[2], rosa, people["Beto"])
    cast(election, voters[3], rosa)  # blank
    move_to(election, Phase.COUNTING)
    result = CategoryResult.objects.get(election=election, category=1)
    assert (result.on_roll, result.voted, result.blank) == (5, 4, 1)
    assert result.turnout == 0.8
    assert dict(CandidateResult.objects.values_list("candidacy__name", "votes")) == {"Ana": 2, "Beto": 1}
    assert CandidateResult.objects.get(elected=True).candidacy.name == "Ana"
    assert client.get(reverse("cosoc:elections:results", args=[election.pk])).status_code == 404, (
        "not yet public"
    )
    move_to(election, Phase.RESULTS)
    page = client.get(reverse("cosoc:elections:results", args=[election.pk])).content.decode()
    assert "Votaron 4 de 5 organizaciones del padrón; 1 votos en blanco" in page
    assert "80 %" in page
    membership = Membership.objects.get(term=election.term)
    assert (membership.public_name, membership.organization, membership.category) == ("Ana", voters[0], 1)


def test_a_tie_goes_to_gender_balance_first(voters, rosa):
    election, people = election_with(voters, [("Ana", "woman"), ("Carlos", "man"), ("Diego", "man")], seats=2)
    cast(election, voters[0], rosa, people["Carlos"])
    cast(election, voters[1], rosa, people["Carlos"])
    cast(election, voters[2], rosa, people["Ana"])
    cast(election, voters[3], rosa, people["Diego"])
    move_to(election, Phase.COUNTING)
    elected = dict(CandidateResult.objects.filter(elected=True).values_list("candidacy__name", "decided_by"))
    assert elected == {"Carlos": "", "Ana": "gender"}
    assert not CategoryResult.objects.get(category=1).tie_pending


def test_a_tie_gender_cannot_break_waits_for_a_lot_staff_record(voters, rosa):
    election, people = election_with(voters, [("Ana", "woman"), ("Berta", "woman")])
    cast(election, voters[0], rosa, people["Ana"])
    cast(election, voters[1], rosa, people["Berta"])
    move_to(election, Phase.COUNTING)
    assert CategoryResult.objects.get(category=1).tie_pending
    with pytest.raises(services.ElectionRefusal, match="empate por sortear en la categoría 1"):
        move_to(election, Phase.RESULTS)
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ElectionRefusal, match="Elija 1"):
        services.lot_record(election=election, category=1, winners=[], note="Sorteo ante notario", by=staff)
    with pytest.raises(services.ElectionRefusal, match="Describa"):
        services.lot_record(election=election, category=1, winners=[people["Berta"]], note=" ", by=staff)
    services.lot_record(
        election=election, category=1, winners=[people["Berta"]], note="Sorteo con dos testigos", by=staff
    )
    draw = LotDraw.objects.get()
    assert draw.drawn_by == staff and {c.name for c in draw.among.all()} == {"Ana", "Berta"}
    winner = CandidateResult.objects.get(elected=True)
    assert (winner.candidacy.name, winner.decided_by) == ("Berta", "lot")
    move_to(election, Phase.RESULTS)
    assert Membership.objects.get(term=election.term).public_name == "Berta"


def test_with_the_lot_rule_a_tie_goes_straight_to_the_lot(voters, rosa):
    election, people = election_with(
        voters, [("Ana", "woman"), ("Beto", "man")], tie_rule=TieRule.LOT, seats=1
    )
    cast(election, voters[0], rosa, people["Ana"])
    cast(election, voters[1], rosa, people["Beto"])
    move_to(election, Phase.COUNTING)
    assert CategoryResult.objects.get(category=1).tie_pending


def test_results_page_costs_the_same_whatever_the_number_of_candidates(rosa, client):
    def queries(election) -> int:
        url = reverse("cosoc:elections:results", args=[election.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    counts = []
    for size in (10, 100):
        organizations = [represented(rosa, accredited=True, category=1) for _ in range(3)]
        election = election_at(Phase.VOTING, seats={1: 5})
        move_to(election, Phase.CANDIDACIES)
        for n in range(size):
            candidacy(election, organizations[n % 3], name=f"Persona {n}")
        move_to(election, Phase.VOTING)
        move_to(election, Phase.COUNTING)
        CategoryResult.objects.filter(election=election).update(tie_pending=False)
        election.phase = Phase.RESULTS
        election.save()
        counts.append(queries(election))
    assert counts[0] == counts[1]
