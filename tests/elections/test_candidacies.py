"""Organisations on the roll put forward candidates in their category; staff confirm or refuse with a reason."""

import pytest
from django.urls import reverse

from cosoc.elections import services
from cosoc.elections.models import Candidacy, Phase
from engine.models import Notification
from tests.elections.factories import election_at, move_to
from tests.factories import UserFactory
from tests.helpers import enable_mfa, grant, logged_in
from tests.organizations.factories import represented

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_call(org_a, org_b):
    election = election_at(Phase.CANDIDACIES)
    return move_to(election, Phase.CANDIDACIES)


def form(**overrides) -> dict:
    data = {
        "name": "Marie Pierre",
        "email": "marie@example.org",
        "gender": "woman",
        "bio": "Dirigenta de la comunidad haitiana de Quilicura.",
        "consent_to_publish": "on",
    }
    data.update(overrides)
    return data


def nominate_url(election, organization) -> str:
    return reverse("cosoc:elections:nominate", args=[election.pk, organization.pk])


def test_a_representative_nominates_in_the_organisations_category(open_call, org_a, rosa):
    UserFactory(email="marie@example.org")
    response = logged_in(rosa).post(nominate_url(open_call, org_a), form())
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    assert (candidacy.category, candidacy.organization, candidacy.status) == (1, org_a, "proposed")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "nadie@example.org"}, "No hay una cuenta con el correo"),
        ({"consent_to_publish": ""}, "aceptar que se publique"),
    ],
)
def test_bad_nominations_are_refused_clearly(open_call, org_a, rosa, overrides, message):
    UserFactory(email="marie@example.org")
    response = logged_in(rosa).post(nominate_url(open_call, org_a), form(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Candidacy.objects.exists()


def test_nominations_outside_their_dates_or_off_the_roll_are_refused(voting, open_call, rosa):
    UserFactory(email="marie@example.org")
    org_a = voting.roll.get(category=1).organization
    assert (
        "Las candidaturas se presentan del"
        in logged_in(rosa).post(nominate_url(voting, org_a), form()).content.decode()
    )
    late = represented(rosa, legal_name="Acreditada tarde", accredited=True)
    page = logged_in(rosa).post(nominate_url(open_call, late), form()).content.decode()
    assert "no está en el padrón" in page


def test_staff_confirm_or_refuse_and_the_organisation_hears_of_it(open_call, org_a, rosa, staff_member):
    UserFactory(email="marie@example.org")
    UserFactory(email="jean@example.org")
    first = services.candidacy_nominate(
        election=open_call,
        organization=org_a,
        by=rosa,
        email="marie@example.org",
        name="Marie",
        gender="woman",
        bio="Bio",
        consent_to_publish=True,
    )
    second = services.candidacy_nominate(
        election=open_call,
        organization=org_a,
        by=rosa,
        email="jean@example.org",
        name="Jean",
        gender="man",
        bio="Bio",
        consent_to_publish=True,
    )
    runner = grant(
        enable_mfa(staff_member), "view_election", "view_candidacy", "change_candidacy", "run_election"
    )
    admin = logged_in(runner)
    url = reverse("admin:cosoc_candidacy_changelist")
    admin.post(url, {"action": "confirm", "_selected_action": [first.pk]})
    admin.post(
        url,
        {"action": "refuse", "_selected_action": [second.pk], "confirm": "1", "reason": "No es integrante."},
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status, second.refusal_reason) == (
        "confirmed",
        "refused",
        "No es integrante.",
    )
    texts = [n.context["message"]["es"] for n in Notification.objects.filter(recipient=rosa).order_by("pk")]
    assert any("Marie quedó confirmada" in text for text in texts)
    assert any("No es integrante." in text for text in texts)
    public = logged_in(rosa).get(reverse("cosoc:elections:candidates", args=[open_call.pk]))
    assert public.status_code == 404, "published only at their date"
