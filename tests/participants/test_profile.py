"""'My account': attributes with one consent box per sensitive attribute."""

import pytest
from allauth.account.models import EmailAddress

from participants import choices
from participants.models import Consent, Participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marie(client):
    user = UserFactory(email="marie@example.org", name="Marie", preferred_language="es")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user


def profile_data(**overrides) -> dict:
    data = {
        "name": "Marie Joseph",
        "preferred_language": "es",
        "birth_year": "1990",
        "age_band": "",
        "nationality": "HT",
        "region": "CL-RM",
        "commune": "Estación Central",
        "languages": ["ht", "fr"],
        **{
            name: ""
            for name in (
                "gender_identity",
                "sex_at_birth",
                "sexual_orientation",
                "migration_status",
                "indigenous_people",
                "disability",
            )
        },
    }
    data.update(overrides)
    return data


def test_profile_requires_login(client):
    response = client.get("/cuenta/perfil/")
    assert response.status_code == 302
    assert "/cuenta/login/" in response["Location"]


def test_saving_non_sensitive_attributes(client, marie):
    response = client.post("/cuenta/perfil/", profile_data())
    assert response.status_code == 302
    participant = Participant.objects.get(user=marie)
    assert participant.nationality == "HT"
    assert participant.languages == ["ht", "fr"]
    assert participant.age_band == choices.AgeBand.FROM_30
    marie.refresh_from_db()
    assert marie.name == "Marie Joseph"


def test_sensitive_value_without_consent_is_refused_with_a_field_error(client, marie):
    response = client.post("/cuenta/perfil/", profile_data(gender_identity="woman"))
    assert response.status_code == 200
    assert "gender_identity" in response.context["form"].errors
    content = response.content.decode()
    assert 'href="#id_gender_identity"' in content  # the error summary links to the field
    assert not Participant.objects.filter(user=marie, gender_identity="woman").exists()
    # Nothing else was half-saved either.
    marie.refresh_from_db()
    assert marie.name == "Marie"


def test_sensitive_value_with_consent_is_saved_with_an_online_consent(client, marie):
    client.post("/cuenta/perfil/", profile_data(gender_identity="woman", consent_gender_identity="on"))
    participant = Participant.objects.get(user=marie)
    assert participant.gender_identity == "woman"
    consent = Consent.objects.get(participant=participant)
    assert consent.attribute == "gender_identity" and consent.channel == "online" and consent.is_active


def test_unticking_consent_withdraws_it_and_deletes_the_value(client, marie):
    client.post("/cuenta/perfil/", profile_data(migration_status="refugee", consent_migration_status="on"))
    response = client.post("/cuenta/perfil/", profile_data(migration_status="refugee"), follow=True)
    participant = Participant.objects.get(user=marie)
    assert participant.migration_status == ""
    consent = Consent.objects.get(participant=participant, attribute="migration_status")
    assert consent.withdrawn_at is not None
    assert "borramos su respuesta" in response.content.decode()


def test_prefer_not_to_say_needs_no_consent(client, marie):
    response = client.post("/cuenta/perfil/", profile_data(sexual_orientation=choices.PREFER_NOT_TO_SAY))
    assert response.status_code == 302
    assert Participant.objects.get(user=marie).sexual_orientation == choices.PREFER_NOT_TO_SAY


def test_tampered_choice_is_refused(client, marie):
    response = client.post("/cuenta/perfil/", profile_data(region="CL-XX", languages=["klingon"]))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "region" in errors and "languages" in errors


def test_changing_the_language_moves_the_pages_to_it(client, marie):
    response = client.post("/cuenta/perfil/", profile_data(preferred_language="ht"))
    assert response["Location"] == "/ht/cuenta/perfil/"
    marie.refresh_from_db()
    assert marie.preferred_language == "ht"


def test_every_sensitive_question_explains_why_it_is_asked(client, marie):
    content = client.get("/cuenta/perfil/").content.decode()
    for attribute in (
        "gender_identity",
        "sex_at_birth",
        "sexual_orientation",
        "migration_status",
        "indigenous_people",
        "disability",
    ):
        assert f'id="id_consent_{attribute}"' in content
        assert f'id="id_consent_{attribute}_helptext"' in content
    assert "grupos pequeños se ocultan" in content


def test_profile_page_query_count_is_bounded(client, marie, django_assert_max_num_queries):
    client.post("/cuenta/perfil/", profile_data(gender_identity="woman", consent_gender_identity="on"))
    with django_assert_max_num_queries(12):
        assert client.get("/cuenta/perfil/").status_code == 200
