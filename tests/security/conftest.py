import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from tests.conftest import enable_mfa
from tests.factories import UserFactory


def verified(user):
    """An account whose email is confirmed, so a right password signs it in."""
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def citizen(db):
    return verified(UserFactory(email="marie@example.org", name="Marie Joseph"))


@pytest.fixture
def team_member(db):
    """Staff of the Participation team, with a second factor: the kind of known email an attacker targets."""
    user = UserFactory(email="equipo.participacion@example.org", name="Equipo", is_staff=True)
    user.groups.add(Group.objects.get(name="Participation team"))
    return verified(enable_mfa(user))
