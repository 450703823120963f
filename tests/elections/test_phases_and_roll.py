"""Phases move by their dates and hours, staff may take them over, the roll freezes at the cut-off, and
voting refuses to open with an empty roll or no candidates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cosoc.elections import services
from cosoc.elections.models import Phase, RollEntry
from cosoc.elections.tasks import election_phases_sweep_task
from engine.models import Notification
from participants.organizations import services as registry_services
from tests.elections.factories import candidacy, election_at, move_to
from tests.factories import UserFactory
from tests.helpers import logged_in
from tests.organizations.factories import OrganizationFactory, represented

pytestmark = pytest.mark.django_db


def test_the_sweep_moves_each_election_to_the_phase_its_dates_call_for(org_a, rosa):
    election = election_at(Phase.CANDIDACIES)
    assert election_phases_sweep_task() >= 1
    election.refresh_from_db()
    assert election.phase == Phase.CANDIDACIES
    assert election.roll_frozen_at is not None, "passing the roll's date froze it"
    # Representatives heard of it, in every language (the email picks theirs).
    message = Notification.objects.filter(recipient=rosa).latest("pk").context["message"]
    assert "candidaturas" in message["es"] and message["ht"] != message["es"]


def test_the_roll_is_the_accredited_organisations_at_the_cut_off_in_their_category(org_a, org_b, rosa):
    pending = OrganizationFactory(legal_name="Aún en revisión")
    election = election_at(Phase.ROLL_PUBLISHED)
    services.election_phases_sweep()
    election.refresh_from_db()
    assert election.phase == Phase.ROLL_PUBLISHED
    assert set(RollEntry.objects.values_list("organization__legal_name", "category")) == {
        (org_a.legal_name, 1),
        (org_b.legal_name, 2),
    }
    # Later accreditations and category changes do not touch the frozen roll.
    staff = UserFactory(is_staff=True)
    registry_services.organization_accredit(organization=pending, by=staff)
    org_a.requested_category = 3
    org_a.save()
    registry_services.organization_change_approve(organization=org_a, by=staff)
    assert services.election_roll_freeze(election=election) == 0
    assert RollEntry.objects.count() == 2
    assert RollEntry.objects.get(organization=org_a).category == 1
    page = logged_in(rosa).get(reverse("cosoc:elections:roll", args=[election.pk])).content.decode()
    assert org_b.legal_name in page and "Aún en revisión" not in page


def test_the_roll_is_not_public_before_its_date(org_a, client):
    election = election_at(Phase.ACCREDITATION)
    services.election_phases_sweep()
    assert client.get(reverse("cosoc:elections:roll", args=[election.pk])).status_code == 404


def test_voting_refuses_to_open_with_an_empty_roll_in_a_category_with_seats(org_a):
    election = election_at(Phase.VOTING, seats={1: 2, 2: 1})
    move_to(election, Phase.CANDIDACIES)
    candidacy(election, org_a, name="Marie Pierre")
    services.election_phase_resume_dates(election=election, by=UserFactory(is_staff=True))
    services.election_phases_sweep()
    election.refresh_from_db()
    assert election.phase == Phase.CANDIDATES_PUBLISHED, "stopped before voting"
    assert "categoría 2 tiene cupos pero ninguna organización en el padrón" in election.blocked_reason
    with pytest.raises(services.ElectionRefusal, match="ninguna organización en el padrón"):
        move_to(election, Phase.VOTING)


def test_voting_refuses_to_open_without_confirmed_candidates(org_a, org_b):
    election = election_at(Phase.VOTING)
    move_to(election, Phase.CANDIDACIES)
    candidacy(election, org_a, name="Marie Pierre")
    candidacy(election, org_b, name="Propuesta", confirmed=False)
    with pytest.raises(services.ElectionRefusal) as refusal:
        move_to(election, Phase.VOTING)
    assert "categoría 2 tiene cupos pero ninguna candidatura confirmada" in str(refusal.value)
    election.refresh_from_db()
    assert election.phase == Phase.CANDIDACIES


def test_staff_take_a_phase_over_and_the_dates_stop_moving_it_until_resumed(org_a, org_b):
    election = election_at(Phase.CANDIDACIES)
    move_to(election, Phase.ROLL_PUBLISHED)
    services.election_phases_sweep()
    election.refresh_from_db()
    assert election.phase == Phase.ROLL_PUBLISHED and election.phase_set_by_staff
    services.election_phase_resume_dates(election=election, by=UserFactory(is_staff=True))
    services.election_phases_sweep()
    election.refresh_from_db()
    assert election.phase == Phase.CANDIDACIES


def test_voting_closes_at_its_hour(voting):
    voting.phase_set_by_staff = False
    voting.voting_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    voting.results_published_at = timezone.now() + datetime.timedelta(days=1)
    voting.save()
    services.election_phases_sweep()
    voting.refresh_from_db()
    assert voting.phase == Phase.COUNTING
    assert not voting.voting_is_open


def test_the_dashboard_says_in_which_category_and_when_the_organisation_votes(voting, org_a, rosa):
    page = logged_in(rosa).get(reverse("organizations:dashboard")).content.decode()
    closes = timezone.localtime(voting.voting_closes_at)
    assert "Su organización vota en la categoría 1; la votación abre el" in page
    assert f"a las {closes:%H:%M}." in page
    assert "Votar ahora" in page


def test_the_dashboard_says_why_an_organisation_cannot_vote(voting, rosa):
    represented(rosa, legal_name="Acreditada tarde", accredited=True)
    represented(rosa, legal_name="Postulando")
    page = logged_in(rosa).get(reverse("organizations:dashboard")).content.decode()
    assert "no estaba acreditada al corte" in page


def test_before_the_cut_off_the_dashboard_says_what_is_needed(rosa):
    election_at(Phase.REGISTRATION)
    services.election_phases_sweep()
    represented(rosa, legal_name="Postulando")
    page = logged_in(rosa).get(reverse("organizations:dashboard")).content.decode()
    assert "debe estar acreditada en el Registro antes del corte" in page


def test_once_ballots_exist_staff_cannot_take_the_election_back_before_voting(voting, org_a, rosa):
    services.ballot_cast(election=voting, organization=org_a, by=rosa, candidacy_ids=[], blank=True)
    with pytest.raises(services.ElectionRefusal, match="Ya hay votos emitidos"):
        move_to(voting, Phase.CANDIDACIES)
    voting.refresh_from_db()
    assert voting.phase == Phase.VOTING
