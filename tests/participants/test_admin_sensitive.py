"""Staff see sensitive attributes only with the dedicated permission."""

import pytest
from django.contrib.auth.models import Permission

from participants import choices, services
from tests.factories import ParticipantFactory
from tests.helpers import enable_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def refugee():
    participant = ParticipantFactory()
    services.consent_give(participant=participant, attribute="migration_status")
    services.participant_update(participant=participant, migration_status=choices.MigrationStatus.REFUGEE)
    return participant


@pytest.fixture
def staff_client(client, staff_member):
    enable_mfa(staff_member)
    staff_member.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_participant", "change_participant", "view_consent"])
    )
    client.force_login(staff_member)
    return client


def test_staff_without_permission_never_receives_sensitive_fields(staff_client, refugee):
    response = staff_client.get(f"/admin/participants/participant/{refugee.pk}/change/")
    assert response.status_code == 200
    assert b'name="migration_status"' not in response.content
    assert b'name="nationality"' in response.content
    # Nor the consents list, which would tell which attributes were disclosed.
    assert staff_client.get("/admin/participants/consent/").status_code == 403


def test_staff_with_permission_see_sensitive_fields(staff_client, staff_member, refugee):
    staff_member.user_permissions.add(Permission.objects.get(codename="view_sensitive_attributes"))
    response = staff_client.get(f"/admin/participants/participant/{refugee.pk}/change/")
    assert b'name="migration_status"' in response.content
    assert staff_client.get("/admin/participants/consent/").status_code == 200


def test_citizen_cannot_reach_admin(client, alice):
    client.force_login(alice)
    response = client.get("/admin/participants/participant/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_withdraw_action_clears_values(admin_client, refugee):
    consent = refugee.consents.get()
    response = admin_client.post(
        "/admin/participants/consent/",
        {"action": "withdraw", "_selected_action": [consent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    refugee.refresh_from_db()
    consent.refresh_from_db()
    assert refugee.migration_status == ""
    assert consent.withdrawn_at is not None
    assert [str(message) for message in response.context["messages"]] == ["1 consentimiento retirado."]
