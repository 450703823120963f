"""Law 21.719: sensitive attributes only with express, specific consent; withdrawal deletes the value."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from participants import choices, services
from participants.models import Consent, Participant
from tests.factories import ParticipantFactory
from tests.helpers import run_in_parallel

pytestmark = pytest.mark.django_db


def test_sensitive_value_is_refused_without_consent():
    participant = ParticipantFactory()
    participant.gender_identity = choices.GenderIdentity.NON_BINARY

    with pytest.raises(ValidationError) as error:
        participant.save()

    assert "gender_identity" in error.value.message_dict
    participant.refresh_from_db()
    assert participant.gender_identity == ""


def test_consent_covers_only_its_own_attribute():
    participant = ParticipantFactory()
    services.consent_give(participant=participant, attribute="gender_identity")

    services.participant_update(participant=participant, gender_identity=choices.GenderIdentity.WOMAN)
    with pytest.raises(ValidationError) as error:
        services.participant_update(
            participant=participant, sexual_orientation=choices.SexualOrientation.BISEXUAL
        )

    assert list(error.value.message_dict) == ["sexual_orientation"]
    participant.refresh_from_db()
    assert participant.gender_identity == choices.GenderIdentity.WOMAN
    assert participant.sexual_orientation == ""


def test_prefer_not_to_say_needs_no_consent():
    participant = ParticipantFactory()
    services.participant_update(
        participant=participant,
        gender_identity=choices.PREFER_NOT_TO_SAY,
        migration_status=choices.PREFER_NOT_TO_SAY,
    )
    participant.refresh_from_db()
    assert participant.migration_status == choices.PREFER_NOT_TO_SAY


def test_non_sensitive_attributes_need_no_consent():
    participant = ParticipantFactory(nationality="VE", region="CL-AN", birth_year=2001)
    assert participant.age_band == choices.AgeBand.FROM_18
    assert not participant.consents.exists()


def test_withdrawing_consent_clears_the_value_and_keeps_the_record():
    participant = ParticipantFactory()
    services.consent_give(participant=participant, attribute="migration_status")
    services.participant_update(participant=participant, migration_status=choices.MigrationStatus.REFUGEE)

    services.consent_withdraw(participant=participant, attribute="migration_status")

    participant.refresh_from_db()
    assert participant.migration_status == ""
    consent = Consent.objects.get(participant=participant, attribute="migration_status")
    assert consent.withdrawn_at is not None
    # Once withdrawn, the value cannot come back without a new consent.
    participant.migration_status = choices.MigrationStatus.REFUGEE
    with pytest.raises(ValidationError):
        participant.save()


def test_consent_can_be_given_again_after_withdrawal():
    participant = ParticipantFactory()
    services.consent_give(participant=participant, attribute="disability")
    services.consent_withdraw(participant=participant, attribute="disability")

    renewed = services.consent_give(participant=participant, attribute="disability")

    assert renewed.is_active
    assert participant.consents.filter(attribute="disability").count() == 2


def test_giving_consent_twice_keeps_one_active_record():
    participant = ParticipantFactory()
    first = services.consent_give(participant=participant, attribute="disability")
    second = services.consent_give(participant=participant, attribute="disability")
    assert first == second
    assert participant.consents.active().count() == 1


def test_database_refuses_two_active_consents_for_one_attribute():
    participant = ParticipantFactory()
    Consent.objects.create(participant=participant, attribute="disability", channel="online")
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(participant=participant, attribute="disability", channel="online")


def test_staff_recorded_consent_names_who_recorded_it(staff_member):
    participant = ParticipantFactory()
    with pytest.raises(ValueError, match="staff member"):
        services.consent_give(participant=participant, attribute="gender_identity", channel="staff")

    consent = services.consent_give(
        participant=participant, attribute="gender_identity", channel="staff", recorded_by=staff_member
    )
    assert consent.recorded_by == staff_member
    assert consent.text_version


def test_only_sensitive_attributes_take_consent():
    with pytest.raises(ValueError):
        services.consent_give(participant=ParticipantFactory(), attribute="nationality")


def test_recording_a_participant_is_all_or_nothing(staff_member):
    before = Participant.objects.count()
    with pytest.raises(ValidationError):
        services.participant_record(
            consented=["gender_identity"],
            channel="staff",
            recorded_by=staff_member,
            gender_identity=choices.GenderIdentity.WOMAN,
            sexual_orientation=choices.SexualOrientation.GAY_LESBIAN,  # no consent given for this one
            nationality="CO",
        )
    assert Participant.objects.count() == before
    assert not Consent.objects.exists()


def test_recording_a_participant_with_consents(staff_member):
    participant = services.participant_record(
        consented=["gender_identity", "indigenous_people"],
        channel="staff",
        recorded_by=staff_member,
        gender_identity=choices.GenderIdentity.TRANS_MAN,
        indigenous_people=choices.IndigenousPeople.AFRO_DESCENDANT,
        nationality="XX",
    )
    participant.refresh_from_db()
    assert participant.user is None
    assert participant.indigenous_people == choices.IndigenousPeople.AFRO_DESCENDANT
    assert set(participant.consents.values_list("channel", flat=True)) == {"staff"}


def test_languages_must_come_from_the_list():
    participant = ParticipantFactory()
    with pytest.raises(ValidationError) as error:
        services.participant_update(participant=participant, languages=["ht", "klingon"])
    assert "languages" in error.value.message_dict


def test_birth_year_must_be_plausible():
    with pytest.raises(ValidationError) as error:
        services.participant_update(participant=ParticipantFactory(), birth_year=1800)
    assert "birth_year" in error.value.message_dict


@pytest.mark.parametrize("language", ["ht", "en"])
def test_choice_lists_are_translated(language):
    with translation.override(language):
        labels = [str(label) for label in choices.GenderIdentity.labels]
        region = str(choices.Region.ABROAD.label)
    with translation.override("es"):
        spanish = [str(label) for label in choices.GenderIdentity.labels]
        spanish_region = str(choices.Region.ABROAD.label)
    assert labels != spanish
    assert region != spanish_region


def test_stateless_and_undisclosed_nationality_exist():
    participant = ParticipantFactory(nationality="XX")
    with translation.override("es"):
        assert participant.nationality.name == "Persona apátrida"


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_profile_saves_with_one_consent_keep_one_active_record():
    """Two tabs (or a double tap) submit the same answer with its consent: the participant's lock makes the
    second wait and find the first one's consent, instead of failing on the one-active-consent constraint."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers and has no row locks: the race is only meaningful on PostgreSQL"
        )
    participant = ParticipantFactory()

    def save():
        mine = Participant.objects.get(pk=participant.pk)
        return services.participant_attributes_update(
            participant=mine,
            attributes={"gender_identity": choices.GenderIdentity.WOMAN},
            consented={"gender_identity"},
        )

    results = run_in_parallel(save, threads=10)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert list(participant.consents.active().values_list("attribute", flat=True)) == ["gender_identity"]
    assert Participant.objects.get(pk=participant.pk).gender_identity == choices.GenderIdentity.WOMAN
