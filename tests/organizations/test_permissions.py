"""Who may see and do what in the registry, on every page, POST and document: anonymous, a citizen, the
representative of organisation A (accredited), the representative of organisation B (applied), staff
without the permission, and staff who read applications."""

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Organization
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "citizen", "rep_a", "rep_b", "staff", "reader"]


@pytest.fixture
def browsers(alice, rosa, tomas, staff_member, django_user_model) -> dict[str, Client]:
    reader = grant(
        enable_mfa(django_user_model.objects.create_user("lector@example.org", is_staff=True)),
        "view_organization",
    )
    return {
        "anonymous": Client(),
        "citizen": logged_in(alice),
        "rep_a": logged_in(rosa),
        "rep_b": logged_in(tomas),
        "staff": logged_in(enable_mfa(staff_member)),
        "reader": logged_in(reader),
    }


def urls(a: Organization, b: Organization) -> dict[str, str]:
    return {
        "list": reverse("organizations:index"),
        "detail_a": reverse("organizations:detail", args=[a.pk]),
        "detail_b": reverse("organizations:detail", args=[b.pk]),
        "update_a": reverse("organizations:update", args=[a.pk]),
        "update_b": reverse("organizations:update", args=[b.pk]),
        "document_a": a.documents.get().get_download_url(),
        "document_b": b.documents.get().get_download_url(),
        "document_a_under_b": reverse("organizations:document", args=[b.pk, a.documents.get().pk]),
        "dashboard": reverse("organizations:dashboard"),
        "apply": reverse("organizations:apply"),
        "admin_list": reverse("admin:participants_organization_changelist"),
        "admin_a": reverse("admin:participants_organization_change", args=[a.pk]),
    }


LOGIN = "login"
# Organisation A is accredited (public), B has only applied (private).
EXPECTED = {
    "list": dict.fromkeys(PERSONAS, 200),
    "detail_a": dict.fromkeys(PERSONAS, 200),
    "detail_b": {"anonymous": 404, "citizen": 404, "rep_a": 404, "rep_b": 200, "staff": 404, "reader": 200},
    "update_a": {"anonymous": LOGIN, "citizen": 404, "rep_a": 200, "rep_b": 404, "staff": 404, "reader": 404},
    "update_b": {"anonymous": LOGIN, "citizen": 404, "rep_a": 404, "rep_b": 200, "staff": 404, "reader": 404},
    "document_a": {"anonymous": 404, "citizen": 404, "rep_a": 200, "rep_b": 404, "staff": 404, "reader": 200},
    "document_b": {"anonymous": 404, "citizen": 404, "rep_a": 404, "rep_b": 200, "staff": 404, "reader": 200},
    "document_a_under_b": dict.fromkeys(PERSONAS, 404),
    "dashboard": {
        "anonymous": LOGIN,
        "citizen": 200,
        "rep_a": 200,
        "rep_b": 200,
        "staff": 200,
        "reader": 200,
    },
    "apply": {"anonymous": LOGIN, "citizen": 200, "rep_a": 200, "rep_b": 200, "staff": 200, "reader": 200},
    "admin_list": {
        "anonymous": LOGIN,
        "citizen": LOGIN,
        "rep_a": LOGIN,
        "rep_b": LOGIN,
        "staff": 403,
        "reader": 200,
    },
    "admin_a": {
        "anonymous": LOGIN,
        "citizen": LOGIN,
        "rep_a": LOGIN,
        "rep_b": LOGIN,
        "staff": 403,
        "reader": 200,
    },
}


def outcome(response) -> int | str:
    if response.status_code == 302 and "login" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("target", EXPECTED)
def test_pages(browsers, organization_a, organization_b, target):
    url = urls(organization_a, organization_b)[target]
    seen = {persona: outcome(client.get(url)) for persona, client in browsers.items()}
    assert seen == EXPECTED[target]


def test_private_details_show_only_to_representatives_and_staff(browsers, organization_a):
    url = reverse("organizations:detail", args=[organization_a.pk])
    assert organization_a.contact_email not in browsers["anonymous"].get(url).content.decode()
    assert organization_a.contact_email not in browsers["rep_a"].get(url).content.decode()
    dashboard = browsers["rep_a"].get(reverse("organizations:dashboard")).content.decode()
    assert organization_a.legal_name in dashboard
    assert (
        organization_a.legal_name
        not in browsers["rep_b"].get(reverse("organizations:dashboard")).content.decode()
    )


def test_posts_to_another_organisation_are_404_and_change_nothing(
    browsers, organization_a, organization_b, tomas
):
    before = organization_a.representatives.count()
    for persona in ("citizen", "rep_b", "staff", "reader"):
        response = browsers[persona].post(
            reverse("organizations:representative-add", args=[organization_a.pk]),
            {"email": "tomas@example.org"},
        )
        assert response.status_code == 404, persona
        response = browsers[persona].post(
            reverse("organizations:update", args=[organization_a.pk]), {"legal_name": "Tomado"}
        )
        assert response.status_code == 404, persona
    representative = organization_a.representatives.get()
    response = browsers["rep_b"].post(
        reverse("organizations:representative-remove", args=[organization_b.pk, representative.pk])
    )
    assert response.status_code == 404
    assert organization_a.representatives.count() == before
    organization_a.refresh_from_db()
    assert organization_a.legal_name != "Tomado"


def test_admin_actions_need_the_review_permission(browsers, organization_b):
    response = browsers["reader"].post(
        reverse("admin:participants_organization_changelist"),
        {"action": "accredit", "_selected_action": [organization_b.pk]},
    )
    organization_b.refresh_from_db()
    assert organization_b.status == "applied"
    assert response.status_code in (200, 302)


def test_staff_without_a_second_factor_do_not_read_applications(organization_b, django_user_model):
    staff = grant(
        django_user_model.objects.create_user("sin-mfa@example.org", is_staff=True), "view_organization"
    )
    browser = Client()
    browser.force_login(staff)
    assert browser.get(reverse("organizations:detail", args=[organization_b.pk])).status_code == 404
    assert browser.get(organization_b.documents.get().get_download_url()).status_code == 404
