"""Every election page and POST for: anonymous, a citizen, the representative of A (category 1), the
representative of B (category 2), staff without permission, and election staff (with a second factor)."""

import pytest
from django.test import Client
from django.urls import reverse

from cosoc.elections.models import Candidacy, Phase, VoteRecord
from tests.elections.factories import election_at
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db

LOGIN = "login"


@pytest.fixture
def browsers(alice, rosa, tomas, staff_member, django_user_model) -> dict[str, Client]:
    runner = grant(
        enable_mfa(django_user_model.objects.create_user("elecciones@example.org", is_staff=True)),
        "view_election",
        "change_election",
        "run_election",
        "view_candidacy",
        "change_candidacy",
    )
    return {
        "anonymous": Client(),
        "citizen": logged_in(alice),
        "rep_a": logged_in(rosa),
        "rep_b": logged_in(tomas),
        "staff": logged_in(enable_mfa(staff_member)),
        "runner": logged_in(runner),
    }


def outcome(response) -> int | str:
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN
    return response.status_code


def test_public_pages_follow_the_phase(browsers, voting, org_a):
    draft = election_at(Phase.VOTING)  # never moved: still a draft
    pages = {
        reverse("cosoc:elections:index"): dict.fromkeys(browsers, 200),
        reverse("cosoc:elections:detail", args=[voting.pk]): dict.fromkeys(browsers, 200),
        reverse("cosoc:elections:roll", args=[voting.pk]): dict.fromkeys(browsers, 200),
        reverse("cosoc:elections:candidates", args=[voting.pk]): dict.fromkeys(browsers, 200),
        # Results are not counted yet: nobody sees them.
        reverse("cosoc:elections:results", args=[voting.pk]): dict.fromkeys(browsers, 404),
        reverse("cosoc:elections:detail", args=[draft.pk]): {**dict.fromkeys(browsers, 404), "runner": 200},
        reverse("cosoc:elections:candidates", args=[draft.pk]): {
            **dict.fromkeys(browsers, 404),
            "runner": 200,
        },
    }
    for url, expected in pages.items():
        assert {who: outcome(b.get(url)) for who, b in browsers.items()} == expected, url


def test_only_the_organisations_representatives_reach_its_ballot_and_nomination(
    browsers, voting, org_a, org_b
):
    for name in ("vote", "nominate", "voted"):
        url = reverse(f"cosoc:elections:{name}", args=[voting.pk, org_a.pk])
        seen = {who: outcome(b.get(url)) for who, b in browsers.items()}
        assert seen["anonymous"] == LOGIN
        assert {seen[w] for w in ("citizen", "rep_b", "staff", "runner")} == {404}, (name, seen)
        assert seen["rep_a"] in (200, 302)


def test_posting_a_ballot_for_another_organisation_is_404_and_writes_nothing(browsers, voting, org_a):
    marie = Candidacy.objects.get(name="Marie Pierre")
    url = reverse("cosoc:elections:vote", args=[voting.pk, org_a.pk])
    for who in ("citizen", "rep_b", "staff", "runner"):
        assert browsers[who].post(url, {"step": "cast", "candidacies": [marie.pk]}).status_code == 404
    assert browsers["anonymous"].post(url, {"step": "cast"}).status_code == 302
    assert not VoteRecord.objects.exists()


def test_election_admin_needs_the_permission_and_a_second_factor(browsers, voting):
    url = reverse("admin:cosoc_election_changelist")
    assert outcome(browsers["staff"].get(url)) == 403
    assert outcome(browsers["runner"].get(url)) == 200
    assert outcome(browsers["rep_a"].get(url)) == LOGIN


def test_candidacy_decisions_in_admin_need_the_run_permission(browsers, voting, org_a, django_user_model):
    proposed = Candidacy.objects.get(name="Marie Pierre")
    Candidacy.objects.filter(pk=proposed.pk).update(status="proposed")
    url = reverse("admin:cosoc_candidacy_changelist")
    viewer = grant(
        enable_mfa(django_user_model.objects.create_user("ve@example.org", is_staff=True)), "view_candidacy"
    )
    logged_in(viewer).post(url, {"action": "confirm", "_selected_action": [proposed.pk]})
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
