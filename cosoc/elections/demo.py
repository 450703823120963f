"""Demo elections: the finished election of the current term (roll, candidacies, ballots, results with
turnout; its elected candidates are the council's members) and the next term's election, open for
registration, so a representative's dashboard says when their organisation votes. Idempotent; called from
``cosoc/demo.py`` after the council exists."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cosoc.elections import services
from cosoc.elections.models import (
    Ballot,
    BallotChoice,
    Candidacy,
    CandidacyStatus,
    Election,
    Phase,
    RollEntry,
    SeatAllocation,
    VoteRecord,
)
from cosoc.models import Council, Membership, Term
from participants.models import User

SEATS = {1: 7, 2: 7, 3: 6}
DAY = datetime.timedelta(days=1)
# One candidate per category who ran and was not elected (an account of their own).
RUNNERS_UP = {
    1: ("Wilner Jean-Baptiste", "man", "candidato1@demo.sermig.cl"),
    2: ("Sofía Marambio", "woman", "candidata2@demo.sermig.cl"),
    3: ("Gabriel Tapia", "man", "candidato3@demo.sermig.cl"),
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _dates(voting_day: datetime.date) -> dict:
    """The Subdere 2023 rhythm, backwards from the vote: 4 weeks of registration, 1 of accreditation, about
    ten days of candidacies closing at 16:00, 3 days of published candidates, 3 days of voting to 18:00."""
    return {
        "registration_opens_at": _at(voting_day - 52 * DAY, 9),
        "accreditation_starts_at": _at(voting_day - 24 * DAY, 9),
        "roll_published_at": _at(voting_day - 17 * DAY, 9),
        "candidacies_open_at": _at(voting_day - 17 * DAY, 9),
        "candidacies_close_at": _at(voting_day - 3 * DAY, 16),
        "voting_opens_at": _at(voting_day, 9),
        "voting_closes_at": _at(voting_day + 2 * DAY, 18),
        "results_published_at": _at(voting_day + 3 * DAY, 12),
    }


def _account(name: str, email: str) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"name": name})
    return user


def _finished(term: Term, staff: User | None) -> Election | None:
    if Election.objects.filter(term=term).exists():
        return None
    election = Election.objects.create(
        term=term,
        choices_per_ballot=3,
        phase=Phase.DRAFT,
        phase_set_by_staff=True,
        **_dates(term.start - 40 * DAY),
    )
    for category, seats in SEATS.items():
        SeatAllocation.objects.create(election=election, category=category, seats=seats)
    services.election_roll_freeze(election=election)
    on_roll = {entry.organization_id for entry in RollEntry.objects.filter(election=election)}
    candidacies: dict[int, list[Candidacy]] = {1: [], 2: [], 3: []}
    members = Membership.objects.filter(term=term, substitute_for__isnull=True).select_related(
        "user", "organization"
    )
    for membership in members.order_by("category", "pk"):
        if (
            membership.organization_id not in on_roll
            or len(candidacies[membership.category]) >= SEATS[membership.category]
        ):
            continue
        candidacies[membership.category].append(
            Candidacy.objects.create(
                election=election,
                organization=membership.organization,
                category=membership.category,
                user=membership.user,
                name=membership.public_name,
                gender=membership.published_gender or "other",
                bio="Integrante de la organización; propone una agenda de integración y derechos.",
                consent_to_publish=True,
                status=CandidacyStatus.CONFIRMED,
                nominated_at=election.candidacies_open_at + DAY,
            )
        )
    for category, (name, gender, email) in RUNNERS_UP.items():
        organization = (
            RollEntry.objects.filter(election=election, category=category)
            .exclude(organization__in=[c.organization for c in candidacies[category]])
            .first()
        )
        if organization is None:
            continue
        candidacies[category].append(
            Candidacy.objects.create(
                election=election,
                organization=organization.organization,
                category=category,
                user=_account(name, email),
                name=name,
                gender=gender,
                bio="Trabaja en orientación migratoria y propone más diálogos regionales.",
                consent_to_publish=True,
                status=CandidacyStatus.CONFIRMED,
            )
        )
    # Ballots as the voters cast them: each marks three of the council's candidates, the first voter also the
    # runner-up, one votes blank and the last does not vote (so turnout is not 100 %).
    for category, people in candidacies.items():
        members_only = people[: SEATS[category]]
        voters = list(RollEntry.objects.filter(election=election, category=category).order_by("pk"))
        for number, entry in enumerate(voters[:-1]):
            VoteRecord.objects.create(
                election=election,
                organization_id=entry.organization_id,
                category=category,
                voted_at=election.voting_opens_at + (number + 1) * datetime.timedelta(hours=3),
            )
            blank = number == 1
            ballot = Ballot.objects.create(election=election, category=category, is_blank=blank)
            if blank or not members_only:
                continue
            marks = {members_only[(number + k) % len(members_only)] for k in range(3)}
            if number == 0 and len(people) > len(members_only):
                marks = {*list(marks)[:2], people[-1]}
            BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, candidacy=c) for c in marks)
    if staff is not None:
        services.election_phase_set(election=election, phase=Phase.RESULTS, by=staff)
    return election


def _next(term: Term) -> Election | None:
    following = Term.objects.filter(council=term.council, start__gt=term.end).order_by("start").first()
    if following is None:
        following = Term.objects.create(council=term.council, start=term.end + DAY, end=term.end + 730 * DAY)
    if Election.objects.filter(term=following).exists():
        return None
    election = Election.objects.create(
        term=following, choices_per_ballot=1, **_dates(timezone.localdate() + 50 * DAY)
    )
    for category, seats in SEATS.items():
        SeatAllocation.objects.create(election=election, category=category, seats=seats)
    services.election_phases_sweep()
    return election


def load(stdout) -> None:
    council = Council.objects.order_by("pk").first()
    term = Term.objects.filter(council=council).current().first() if council else None
    if term is None:
        return
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    with transaction.atomic():
        finished = _finished(term, staff)
        upcoming = _next(term)
    if finished or upcoming:
        stdout.write(
            "Demo COSOC elections: the current term's (results published) and the next term's (registration open)"
        )
