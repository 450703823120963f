from collections.abc import Iterable
from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from participants import emails
from participants.choices import ConsentChannel
from participants.models import (
    CONSENT_TEXT_VERSION,
    SENSITIVE_ATTRIBUTES,
    Consent,
    DataExport,
    Participant,
    SensitiveDataAccess,
    User,
)


def consent_give(
    *,
    participant: Participant,
    attribute: str,
    channel: str = ConsentChannel.ONLINE,
    text_version: str = CONSENT_TEXT_VERSION,
    recorded_by: User | None = None,
) -> Consent:
    """Record consent for one sensitive attribute; giving it again keeps the active record."""
    _check_consent_request({attribute}, channel, recorded_by)
    with transaction.atomic():
        _lock(participant)
        active = participant.consents.active().filter(attribute=attribute).first()
        if active:
            return active
        return Consent.objects.create(
            participant=participant,
            attribute=attribute,
            channel=channel,
            text_version=text_version,
            recorded_by=recorded_by,
        )


def consent_withdraw(*, participant: Participant, attribute: str) -> None:
    """Withdrawing consent deletes the value it covered and keeps a dated record of the withdrawal."""
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        participant.consents.active().filter(attribute=attribute).update(withdrawn_at=timezone.now())
        setattr(locked, attribute, "")
        locked.save(update_fields=[attribute, "updated_at"])
        setattr(participant, attribute, "")


def participant_save_with_consents(
    *,
    participant: Participant,
    consented: Iterable[str] = (),
    channel: str = ConsentChannel.ONLINE,
    recorded_by: User | None = None,
) -> Participant:
    """Save a participant whose sensitive values are covered by ``consented`` (or by earlier consents).

    A new participant needs a primary key before a consent can point to it, so it is first saved
    without its sensitive values; all of it happens in one transaction, so nothing is half-written.
    """
    with transaction.atomic():
        active = _lock_active_consents(participant)
        _save_with_consents(participant, set(consented), active, channel=channel, recorded_by=recorded_by)
    return participant


def _check_consent_request(attributes: set[str], channel: str, recorded_by: User | None) -> None:
    unknown = attributes - set(SENSITIVE_ATTRIBUTES)
    if unknown:
        raise ValueError(f"{sorted(unknown)!r} are not sensitive attributes")
    if channel == ConsentChannel.STAFF and recorded_by is None:
        raise ValueError("A staff-recorded consent needs the staff member who recorded it")


def _lock(participant: Participant) -> None:
    """Lock the participant's row until the transaction ends, so two requests cannot give the same consent."""
    list(Participant.objects.select_for_update().filter(pk=participant.pk).values_list("pk", flat=True))


def _lock_active_consents(participant: Participant) -> set[str]:
    """Lock the participant and read its active consents."""
    if participant.pk is None:
        return set()
    _lock(participant)
    # A second statement, so it sees what a request that held the lock before us committed (one query joining
    # the consents to the locked row would read them from before the wait).
    return set(participant.consents.active().values_list("attribute", flat=True))


def _save_with_consents(
    participant: Participant,
    consented: set[str],
    active: set[str],
    *,
    channel: str = ConsentChannel.ONLINE,
    recorded_by: User | None = None,
) -> None:
    """The body of ``participant_save_with_consents``, inside the caller's transaction and lock."""
    _check_consent_request(consented, channel, recorded_by)
    participant.full_clean(exclude=["user"], validate_unique=False)
    if participant.pk is None:
        sensitive = {name: getattr(participant, name) for name in SENSITIVE_ATTRIBUTES}
        for name in SENSITIVE_ATTRIBUTES:
            setattr(participant, name, "")
        participant.save()
        for name, value in sensitive.items():
            setattr(participant, name, value)
    # Giving a consent again keeps the active record.
    Consent.objects.bulk_create(
        Consent(
            participant=participant,
            attribute=attribute,
            channel=channel,
            text_version=CONSENT_TEXT_VERSION,
            recorded_by=recorded_by,
        )
        for attribute in sorted(consented - active)
    )
    participant.save(active_consents=active | consented)


def participant_record(
    *,
    user: User | None = None,
    consented: Iterable[str] = (),
    channel: str = ConsentChannel.ONLINE,
    recorded_by: User | None = None,
    **attributes,
) -> Participant:
    """Create a participant with its attributes and the consents that cover the sensitive ones, atomically."""
    return participant_save_with_consents(
        participant=Participant(user=user, **attributes),
        consented=consented,
        channel=channel,
        recorded_by=recorded_by,
    )


def participant_update(*, participant: Participant, **attributes) -> Participant:
    """Save attribute values; sensitive ones need an active consent (the model refuses otherwise)."""
    unknown = set(attributes) - {f.name for f in Participant._meta.get_fields()}
    if unknown:
        raise ValueError(f"Unknown participant attributes: {sorted(unknown)}")
    for name, value in attributes.items():
        setattr(participant, name, value)
    participant.full_clean(exclude=["user"])
    participant.save()
    return participant


def participant_for_user(*, user: User) -> Participant:
    participant, _created = Participant.objects.get_or_create(user=user)
    return participant


def participant_attributes_update(
    *, participant: Participant, attributes: dict, consented: Iterable[str]
) -> list[str]:
    """Save attributes from a form with consent boxes: unticking an active consent withdraws it and deletes
    the value. Returns the attributes whose consent was withdrawn, so the page can say what was deleted."""
    consented = set(consented)
    attributes = dict(attributes)
    with transaction.atomic():
        active = _lock_active_consents(participant)
        withdrawn = sorted(active - consented)
        for attribute in withdrawn:
            consent_withdraw(participant=participant, attribute=attribute)
            attributes[attribute] = ""
        for name, value in attributes.items():
            setattr(participant, name, value)
        _save_with_consents(participant, consented, active - set(withdrawn))
    return withdrawn


def profile_update(
    *,
    user: User,
    name: str,
    preferred_language: str,
    attributes: dict,
    consented: Iterable[str],
) -> list[str]:
    """Save "My account": the login's name and language, and the person's attributes."""
    with transaction.atomic():
        user.name = name
        user.preferred_language = preferred_language
        user.save(update_fields=["name", "preferred_language"])
        participant = participant_for_user(user=user)
        return participant_attributes_update(
            participant=participant, attributes=attributes, consented=consented
        )


def sensitive_access_record(*, staff: User, participant: Participant, action: str = "view") -> None:
    SensitiveDataAccess.objects.create(
        staff=staff, participant=participant, participant_ref=participant.pk, action=action
    )


def data_export_create(*, user: User) -> DataExport:
    now = timezone.now()
    return DataExport.objects.create(
        user=user, created_at=now, expires_at=now + timedelta(seconds=settings.DATA_EXPORT_MAX_AGE)
    )


def data_export_downloaded(*, export: DataExport) -> DataExport:
    """Note when the copy was taken (the owner's own record, shown to no one else)."""
    export.downloaded_at = timezone.now()
    DataExport.objects.filter(pk=export.pk).update(downloaded_at=export.downloaded_at)
    return export


def account_delete(*, request: HttpRequest, user: User) -> None:
    """Delete a login and everything that identifies the person; keep their contributions anonymous.

    The confirmation email goes out first: afterwards the portal no longer knows the address.
    """
    emails.account_deleted(email=user.email, language=user.preferred_language, name=user.name)
    with transaction.atomic():
        participant = Participant.objects.filter(user=user).first()
        if participant is not None:
            for consent in participant.consents.active():
                consent_withdraw(participant=participant, attribute=consent.attribute)
            for attribute in SENSITIVE_ATTRIBUTES:
                setattr(participant, attribute, "")
            participant.user = None
            participant.save(update_fields=["user", "updated_at", *SENSITIVE_ATTRIBUTES])
        for session in UserSession.objects.filter(user=user):
            session.end()
        logout(request)
        user.delete()
