"""Who may see and do what in COSOC elections; every page, POST and admin action asks these.

Public once announced: the election's page and timeline; the roll once frozen and published; confirmed
candidacies once published; results once published. Representatives act for their own organisation only
(``participants.organizations.permissions.is_representative``). Staff need a second factor. Nobody, staff
included, can see which organisation chose what: no page, admin or export reads ballots with their voter.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cosoc.elections.models import Election, Phase
from participants.models import Organization
from participants.organizations.permissions import is_representative
from participants.permissions import ANONYMOUS, staff_may

__all__ = [
    "ANONYMOUS",
    "may_act_for",
    "may_preview",
    "may_run",
    "may_view",
    "may_view_candidates",
    "may_view_results",
    "may_view_roll",
    "visible_to",
]


def may_preview(user) -> bool:
    return staff_may(user, "cosoc.view_election")


def may_run(user) -> bool:
    """Move phases, freeze the roll, decide candidacies, count and record lots."""
    return staff_may(user, "cosoc.run_election")


def visible_to(user) -> QuerySet[Election]:
    elections = Election.objects.select_related("term")
    return elections if may_preview(user) else elections.exclude(phase=Phase.DRAFT)


def may_view(user, election: Election) -> bool:
    return election.phase != Phase.DRAFT or may_preview(user)


def may_view_roll(user, election: Election) -> bool:
    return election.roll_is_public or (election.roll_frozen_at is not None and may_preview(user))


def may_view_candidates(user, election: Election) -> bool:
    return election.candidates_are_public or may_preview(user)


def may_view_results(user, election: Election) -> bool:
    return election.results_are_public or (election.category_results.exists() and may_preview(user))


def may_act_for(user, organization: Organization) -> bool:
    """Nominate and vote for the organisation: its representatives (the rules of each act are the services')."""
    return is_representative(user, organization)
