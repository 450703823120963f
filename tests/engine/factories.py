import factory
from factory.django import DjangoModelFactory

from engine.models import Frequency, Mechanism, ReferenceDistribution, ReferenceShare, Subscription
from participants.models import Participant
from tests.factories import UserFactory


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    mechanism = Mechanism.CONSULTATIONS
    frequency = Frequency.IMMEDIATELY


class ReferenceDistributionFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceDistribution

    name = factory.Sequence(lambda n: f"Referencia {n}")
    name_es = factory.SelfAttribute("name")
    source = "INE–SERMIG"
    year = 2023
    attribute = "nationality"


class ReferenceShareFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceShare

    distribution = factory.SubFactory(ReferenceDistributionFactory)
    category = "VE"
    share = 38


def participants(count: int, **attributes) -> list[Participant]:
    """Statistical rows only: bulk-created, so consent records are not made (tests of counting, not of consent)."""
    return Participant.objects.bulk_create([Participant(**attributes) for _ in range(count)])


def subscribers(count: int, *, prefix: str = "sub", **subscription) -> list[Subscription]:
    users = UserFactory.create_batch(count, email=factory.Sequence(lambda n: f"{prefix}{n}@example.org"))
    return [SubscriptionFactory(user=user, **subscription) for user in users]
