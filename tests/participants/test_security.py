"""Throttling, admin login through allauth, MFA for staff, and the sensitive-data access log."""

import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import translation

from participants import choices, services
from participants.mfa import mfa_required_for
from participants.models import Participant, SensitiveDataAccess
from tests.factories import ParticipantFactory, UserFactory
from tests.helpers import enable_mfa, login, totp_code, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_sixth_failed_login_is_refused_and_the_right_password_works_after_the_cool_off(
    client, password, monkeypatch
):
    verified(UserFactory(email="lucie@example.org"))
    with translation.override("es"):
        too_many = translation.gettext("Too many failed login attempts. Try again later.")
    for _attempt in range(5):
        response = login(client, "lucie@example.org", "mal-mal-mal-mal")
        assert response.status_code == 200
        assert too_many not in response.content.decode()
    # The sixth attempt is refused even with the right password, with a clear message.
    sixth = login(client, "lucie@example.org", password)
    assert sixth.status_code == 200
    assert "_auth_user_id" not in client.session
    assert too_many in sixth.content.decode()

    # Five minutes later the cool-off is over.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 301)
    assert login(client, "lucie@example.org", password).status_code == 302
    assert "_auth_user_id" in client.session


def test_throttling_is_per_email(client, password):
    verified(UserFactory(email="lucie@example.org"))
    verified(UserFactory(email="pierre@example.org"))
    for _attempt in range(5):
        login(client, "lucie@example.org", "mal-mal-mal-mal")
    assert login(client, "pierre@example.org", password).status_code == 302


def test_throttling_uses_real_redis_when_configured(client, password, redis_url, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    test_throttling_is_per_email(client, password)


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/login/")


def test_staff_without_mfa_is_sent_to_set_it_up(client, staff_member):
    client.force_login(staff_member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].endswith("/cuenta/2fa/totp/activate/")


def test_staff_with_mfa_reaches_admin(client, staff_member):
    enable_mfa(staff_member)
    client.force_login(staff_member)
    assert client.get("/admin/").status_code == 200


def test_cosoc_members_need_mfa_too(client):
    member = UserFactory(email="consejera@example.org")
    assert not mfa_required_for(member)
    group, _ = Group.objects.get_or_create(name="COSOC members")
    member.groups.add(group)
    assert mfa_required_for(member)


def test_staff_login_asks_for_the_second_factor(client, staff_member, password):
    verified(staff_member)
    enable_mfa(staff_member)
    response = login(client, staff_member.email, password)
    assert response.status_code == 302
    assert response["Location"].endswith("/cuenta/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    wrong = client.post(
        "/cuenta/2fa/authenticate/", {"code": "000000" if totp_code() != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    assert client.post("/cuenta/2fa/authenticate/", {"code": totp_code()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_citizen_reaching_admin_is_refused(client, alice):
    client.force_login(alice)
    assert client.get("/admin/login/").status_code == 403


@pytest.fixture
def auditor(client, staff_member):
    enable_mfa(staff_member)
    staff_member.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_participant",
                "change_participant",
                "add_participant",
                "view_sensitive_attributes",
                "view_sensitivedataaccess",
            ]
        )
    )
    client.force_login(staff_member)
    return staff_member


def test_opening_sensitive_data_is_logged(client, auditor):
    participant = ParticipantFactory()
    assert client.get(f"/admin/participants/participant/{participant.pk}/change/").status_code == 200
    entry = SensitiveDataAccess.objects.get()
    assert entry.staff == auditor and entry.participant_ref == participant.pk


def test_no_log_without_sensitive_permission(client, staff_member):
    enable_mfa(staff_member)
    staff_member.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(staff_member)
    participant = ParticipantFactory()
    client.get(f"/admin/participants/participant/{participant.pk}/change/")
    assert not SensitiveDataAccess.objects.exists()


def test_access_log_cannot_be_edited_from_admin(client, auditor):
    participant = ParticipantFactory()
    client.get(f"/admin/participants/participant/{participant.pk}/change/")
    entry = SensitiveDataAccess.objects.get()
    assert client.get("/admin/participants/sensitivedataaccess/").status_code == 200
    assert (
        client.post(
            f"/admin/participants/sensitivedataaccess/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        f"/admin/participants/sensitivedataaccess/{entry.pk}/change/", {"action": "tamper"}
    )
    assert response.status_code in (200, 403)
    entry.refresh_from_db()
    assert entry.action == "view"
    assert SensitiveDataAccess.objects.count() == 1


def test_staff_records_paper_consent_in_admin(client, auditor):
    response = client.post(
        "/admin/participants/participant/add/",
        {
            "birth_year": "",
            "age_band": "30-44",
            "nationality": "HT",
            "region": "CL-AN",
            "commune": "Calama",
            "languages": ["ht"],
            "gender_identity": "woman",
            "consent_gender_identity": "on",
            "sex_at_birth": "",
            "sexual_orientation": "",
            "migration_status": "irregular",
            "indigenous_people": "",
            "disability": "",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
        },
    )
    # migration_status has no paper consent: refused with a field error, nothing stored.
    assert response.status_code == 200
    assert "migration_status" in response.context["adminform"].form.errors
    assert not Participant.objects.exists()

    response = client.post(
        "/admin/participants/participant/add/",
        {
            "birth_year": "",
            "age_band": "30-44",
            "nationality": "HT",
            "region": "CL-AN",
            "commune": "Calama",
            "languages": ["ht"],
            "gender_identity": "woman",
            "consent_gender_identity": "on",
            "sex_at_birth": "",
            "sexual_orientation": "",
            "migration_status": "irregular",
            "consent_migration_status": "on",
            "indigenous_people": "",
            "disability": "",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.migration_status == choices.MigrationStatus.IRREGULAR
    consents = {c.attribute: c for c in participant.consents.all()}
    assert set(consents) == {"gender_identity", "migration_status"}
    assert {c.channel for c in consents.values()} == {"staff"}
    assert {c.recorded_by for c in consents.values()} == {auditor}


def test_services_refuse_sensitive_value_without_consent_even_from_staff(staff_member):
    participant = ParticipantFactory()
    participant.migration_status = choices.MigrationStatus.IRREGULAR
    with pytest.raises(Exception):  # noqa: B017 - the model-level rule, whatever the caller
        services.participant_save_with_consents(
            participant=participant, channel="staff", recorded_by=staff_member
        )
