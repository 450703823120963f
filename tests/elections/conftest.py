import pytest

from cosoc.elections.models import Phase
from tests.elections.factories import candidacy, election_at, move_to
from tests.factories import ParticipantFactory, UserFactory
from tests.organizations.factories import represented


@pytest.fixture
def rosa(db):
    """Representative of organisation A (category 1; reads Kreyòl)."""
    user = UserFactory(email="rosa@example.org", name="Rosa Joseph", preferred_language="ht")
    ParticipantFactory(user=user)
    return user


@pytest.fixture
def tomas(db):
    """Representative of organisation B (category 2)."""
    return UserFactory(email="tomas@example.org", name="Tomás Vera")


@pytest.fixture
def org_a(rosa):
    return represented(rosa, legal_name="Asociación Haitiana de Quilicura", accredited=True, category=1)


@pytest.fixture
def org_b(tomas):
    return represented(tomas, legal_name="ONG Acogida Sur", accredited=True, category=2, region="CL-BI")


@pytest.fixture
def voting(org_a, org_b):
    """An election with voting open: A and B on the roll, two candidates in category 1 and one in 2."""
    election = election_at(Phase.VOTING)
    move_to(election, Phase.CANDIDACIES)
    candidacy(election, org_a, name="Marie Pierre", gender="woman")
    candidacy(election, org_a, name="Jean Louis", gender="man")
    candidacy(election, org_b, name="Carla Soto", gender="woman")
    return move_to(election, Phase.VOTING)
