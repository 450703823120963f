"""Casting one secret ballot: choose, confirm, cast; every refusal says what is wrong."""

import pytest
from django.urls import reverse

from cosoc.elections import services
from cosoc.elections.models import Ballot, BallotChoice, Candidacy, Phase, VoteRecord
from tests.elections.factories import candidacy, election_at, move_to
from tests.helpers import logged_in
from tests.organizations.factories import represented

pytestmark = pytest.mark.django_db


def vote_url(election, organization) -> str:
    return reverse("cosoc:elections:vote", args=[election.pk, organization.pk])


def test_a_representative_chooses_confirms_and_casts(voting, org_a, rosa):
    browser = logged_in(rosa)
    marie = Candidacy.objects.get(name="Marie Pierre")
    form = browser.get(vote_url(voting, org_a)).content.decode()
    assert "Marie Pierre" in form and "Carla Soto" not in form, "only the organisation's own category"
    review = browser.post(vote_url(voting, org_a), {"step": "review", "candidacies": [marie.pk]})
    assert review.status_code == 200
    assert "Confirmar y emitir el voto" in review.content.decode()
    assert not VoteRecord.objects.exists(), "the confirmation page casts nothing"
    cast = browser.post(vote_url(voting, org_a), {"step": "cast", "candidacies": [marie.pk]})
    assert cast.status_code == 302
    voted = browser.get(cast["Location"]).content.decode()
    assert "votó el" in voted
    assert VoteRecord.objects.get().organization == org_a
    assert list(BallotChoice.objects.values_list("candidacy__name", flat=True)) == ["Marie Pierre"]
    # Coming back: no second ballot form, the date it voted.
    again = browser.get(vote_url(voting, org_a))
    assert again.status_code == 302 and "voto-emitido" in again["Location"]
    dashboard = browser.get(reverse("organizations:dashboard")).content.decode()
    assert "Su organización votó el" in dashboard


def test_any_representative_of_the_organisation_may_cast_it_but_only_once(voting, org_a, rosa, tomas):
    represented_also = org_a.representatives.create(user=tomas)
    assert represented_also
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[], blank=True)
    with pytest.raises(services.ElectionRefusal, match="ya votó el"):
        services.ballot_cast(election=voting, organization=org_a, by=tomas, candidacy_ids=[], blank=True)
    assert VoteRecord.objects.count() == 1 and Ballot.objects.count() == 1


def test_a_blank_ballot_is_counted_as_blank(voting, org_a, rosa):
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[], blank=True)
    ballot = Ballot.objects.get()
    assert ballot.is_blank and not ballot.choices.exists() and ballot.category == 1


@pytest.mark.parametrize(
    ("choice", "blank", "message"),
    [
        ("other_category", False, "categoría 1"),
        ("two", False, "como máximo"),
        ("none", False, "Marque al menos una candidatura"),
        ("one", True, "voto en blanco no lleva"),
        ("unconfirmed", False, "confirmadas"),
    ],
)
def test_bad_ballots_are_refused_with_a_specific_message_and_nothing_is_written(
    voting, org_a, rosa, choice, blank, message
):
    unconfirmed = candidacy(voting, org_a, name="Sin confirmar", confirmed=False)
    ids = {
        "other_category": [Candidacy.objects.get(name="Carla Soto").pk],
        "two": list(Candidacy.objects.filter(category=1, status="confirmed").values_list("pk", flat=True)),
        "none": [],
        "one": [Candidacy.objects.get(name="Marie Pierre").pk],
        "unconfirmed": [unconfirmed.pk],
    }[choice]
    response = logged_in(rosa).post(
        vote_url(voting, org_a), {"step": "cast", "candidacies": ids, "blank": "on" if blank else ""}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "hubo un problema" not in response.content.decode().lower()
    assert not VoteRecord.objects.exists() and not Ballot.objects.exists()


def test_outside_the_window_the_page_says_when_voting_opens(org_a, rosa):
    election = election_at(Phase.CANDIDATES_PUBLISHED)
    move_to(election, Phase.CANDIDATES_PUBLISHED)
    page = logged_in(rosa).get(vote_url(election, org_a)).content.decode()
    assert "La votación no está abierta: abre el" in page
    with pytest.raises(services.ElectionRefusal, match="no está abierta"):
        services.ballot_cast(election=election, organization=org_a, by=rosa, candidacy_ids=[], blank=True)


def test_after_closing_the_page_says_it_closed(voting, org_a, rosa):
    move_to(voting, Phase.COUNTING)
    page = logged_in(rosa).get(vote_url(voting, org_a)).content.decode()
    assert "La votación cerró el" in page


def test_an_organisation_not_on_the_roll_is_told_why(voting, rosa):
    late = represented(rosa, legal_name="Acreditada tarde", accredited=True)
    page = logged_in(rosa).get(vote_url(voting, late)).content.decode()
    assert "no está en el padrón" in page
    with pytest.raises(services.ElectionRefusal, match="no está en el padrón"):
        services.ballot_cast(election=voting, organization=late, by=rosa, candidacy_ids=[], blank=True)


def test_people_who_do_not_represent_the_organisation_get_404(voting, org_a, tomas, alice):
    for person in (tomas, alice):
        assert (
            logged_in(person).post(vote_url(voting, org_a), {"step": "cast", "blank": "on"}).status_code
            == 404
        )
    with pytest.raises(services.ElectionRefusal, match="no representa"):
        services.ballot_cast(election=voting, organization=org_a, by=tomas, candidacy_ids=[], blank=True)
    assert not VoteRecord.objects.exists()


def test_tampered_ids_are_404(voting, org_a, rosa):
    browser = logged_in(rosa)
    assert browser.get(reverse("cosoc:elections:vote", args=[voting.pk + 999, org_a.pk])).status_code == 404
    assert browser.get(reverse("cosoc:elections:vote", args=[voting.pk, org_a.pk + 999])).status_code == 404
