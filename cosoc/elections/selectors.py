"""Reads for the election pages; constant query counts whatever the number of organisations or candidates."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from cosoc.elections import permissions
from cosoc.elections.models import (
    Candidacy,
    CandidacyStatus,
    CandidateResult,
    CategoryResult,
    Election,
    Phase,
    RollEntry,
    VoteRecord,
)
from participants.models import Organization


def election_for_user(*, user, pk: int) -> Election:
    election = Election.objects.select_related("term").filter(pk=pk).first()
    if election is None or not permissions.may_view(user, election):
        raise Http404
    return election


def current_election() -> Election | None:
    """The election people hear about now: the latest announced one."""
    return Election.objects.announced().select_related("term").order_by("-voting_opens_at", "-pk").first()


def roll_by_category(election: Election) -> dict[int, list[RollEntry]]:
    grouped: dict[int, list[RollEntry]] = {}
    for entry in RollEntry.objects.filter(election=election).order_by("category", "legal_name", "pk"):
        grouped.setdefault(entry.category, []).append(entry)
    return grouped


def confirmed_candidacies(election: Election, category: int | None = None):
    candidacies = Candidacy.objects.filter(
        election=election, status=CandidacyStatus.CONFIRMED
    ).select_related("organization")
    if category is not None:
        candidacies = candidacies.filter(category=category)
    return candidacies.order_by("category", "name", "pk")


@dataclass
class CategoryResults:
    result: CategoryResult
    seats: int
    candidates: list[CandidateResult]


def results(election: Election) -> list[CategoryResults]:
    seats = {row.category: row.seats for row in election.seats.all()}
    candidates: dict[int, list[CandidateResult]] = {}
    for row in (
        CandidateResult.objects.filter(election=election)
        .select_related("candidacy__organization")
        .order_by("candidacy__category", "-votes", "candidacy__name")
    ):
        candidates.setdefault(row.candidacy.category, []).append(row)
    return [
        CategoryResults(
            result=result, seats=seats.get(result.category, 0), candidates=candidates.get(result.category, [])
        )
        for result in CategoryResult.objects.filter(election=election).order_by("category")
    ]


@dataclass
class Standing:
    """What a representative's dashboard says about the organisation in the current election."""

    election: Election
    organization: Organization
    state: str  # "voted", "votes", "not_on_roll", "will_vote", "not_accredited"
    category: int | None = None
    voted_at: object = None
    may_vote_now: bool = False
    may_nominate_now: bool = False


def standings(*, organizations) -> list[Standing]:
    election = current_election()
    if election is None or election.phase == Phase.RESULTS or not organizations:
        return []
    ids = [organization.pk for organization in organizations]
    roll = dict(
        RollEntry.objects.filter(election=election, organization_id__in=ids).values_list(
            "organization_id", "category"
        )
    )
    voted = dict(
        VoteRecord.objects.filter(election=election, organization_id__in=ids).values_list(
            "organization_id", "voted_at"
        )
    )
    now = timezone.now()
    rows = []
    for organization in organizations:
        if organization.pk in voted:
            rows.append(
                Standing(election, organization, "voted", roll.get(organization.pk), voted[organization.pk])
            )
        elif organization.pk in roll:
            rows.append(
                Standing(
                    election,
                    organization,
                    "votes",
                    roll[organization.pk],
                    may_vote_now=election.voting_is_open,
                    may_nominate_now=election.phase == Phase.CANDIDACIES
                    and election.candidacies_open_at <= now < election.candidacies_close_at,
                )
            )
        elif election.roll_frozen_at is not None:
            rows.append(Standing(election, organization, "not_on_roll"))
        elif organization.is_accredited:
            rows.append(Standing(election, organization, "will_vote", organization.category))
        else:
            rows.append(Standing(election, organization, "not_accredited", organization.category))
    return rows
