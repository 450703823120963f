import pytest

from tests.factories import ParticipantFactory, UserFactory
from tests.organizations.factories import DocumentFactory, represented


@pytest.fixture
def rosa(db):
    """Representative of organisation A (reads Kreyòl)."""
    user = UserFactory(email="rosa@example.org", name="Rosa Joseph", preferred_language="ht")
    ParticipantFactory(user=user)
    return user


@pytest.fixture
def tomas(db):
    """Representative of organisation B."""
    user = UserFactory(email="tomas@example.org", name="Tomás Vera", preferred_language="es")
    ParticipantFactory(user=user)
    return user


@pytest.fixture
def organization_a(rosa, file_storage):
    organization = represented(rosa, legal_name="Asociación Haitiana de Quilicura", accredited=True)
    DocumentFactory(organization=organization)
    return organization


@pytest.fixture
def organization_b(tomas, file_storage):
    organization = represented(tomas, legal_name="Colectivo Venezolano del Biobío", region="CL-BI")
    DocumentFactory(organization=organization)
    return organization
