"""An election at any phase, built around now: ``election_at(Phase.VOTING)`` has its roll frozen, its
candidacies confirmed and voting open; every date of earlier phases is in the past."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cosoc.elections import services
from cosoc.elections.models import Candidacy, CandidacyStatus, Election, Phase, SeatAllocation
from tests.cosoc.factories import CouncilFactory, TermFactory
from tests.factories import UserFactory

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _dates(phase: str) -> dict:
    """Dates that make ``phase`` the one due now: its start an hour ago, earlier phases 3 days apart before
    it, later ones 3 days apart after it."""
    order = list(Election.PHASE_STARTS)
    now = timezone.now()
    index = order.index(phase) if phase in order else -1
    dates = {}
    for position, current in enumerate(order):
        offset = (position - index) * 3 * DAY
        dates[Election.PHASE_STARTS[current]] = (
            now + offset - (HOUR if position <= index else datetime.timedelta())
        )
    return dates


class ElectionFactory(DjangoModelFactory):
    class Meta:
        model = Election

    term = factory.SubFactory(
        TermFactory,
        council=factory.SubFactory(CouncilFactory),
        start=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60)),
        end=factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60 + 730)),
    )
    choices_per_ballot = 1

    @factory.lazy_attribute
    def registration_opens_at(self):
        return _dates(Phase.DRAFT)["registration_opens_at"]


def election_at(phase: str, *, seats: dict[int, int] | None = None, **kwargs) -> Election:
    dates = _dates(phase)
    election = ElectionFactory(phase=Phase.DRAFT, **dates, **kwargs)
    for category, count in (seats or {1: 2, 2: 1, 3: 0}).items():
        SeatAllocation.objects.create(election=election, category=category, seats=count)
    return election


def move_to(election: Election, phase: str) -> Election:
    """Through the services, as staff would (effects and checks included)."""
    staff = UserFactory(is_staff=True)
    return services.election_phase_set(election=election, phase=phase, by=staff)


def candidacy(election: Election, organization, *, name: str, gender: str = "woman", confirmed: bool = True):
    return Candidacy.objects.create(
        election=election,
        organization=organization,
        category=organization.category,
        user=UserFactory(name=name),
        name=name,
        gender=gender,
        bio="Trabajo con la comunidad desde 2015.",
        consent_to_publish=True,
        status=CandidacyStatus.CONFIRMED if confirmed else CandidacyStatus.PROPOSED,
    )
