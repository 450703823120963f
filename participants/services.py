from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from participants.choices import ConsentChannel
from participants.models import CONSENT_TEXT_VERSION, SENSITIVE_ATTRIBUTES, Consent, Participant, User


def consent_give(
    *,
    participant: Participant,
    attribute: str,
    channel: str = ConsentChannel.ONLINE,
    text_version: str = CONSENT_TEXT_VERSION,
    recorded_by=None,
) -> Consent:
    """Record consent for one sensitive attribute; giving it again keeps the active record."""
    if attribute not in SENSITIVE_ATTRIBUTES:
        raise ValueError(f"{attribute!r} is not a sensitive attribute")
    if channel == ConsentChannel.STAFF and recorded_by is None:
        raise ValueError("A staff-recorded consent needs the staff member who recorded it")
    with transaction.atomic():
        # Lock the participant so two requests cannot create two active consents at once.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
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


def participant_record(
    *,
    user: User | None = None,
    consented: Iterable[str] = (),
    channel: str = ConsentChannel.ONLINE,
    recorded_by: User | None = None,
    **attributes,
) -> Participant:
    """Create a participant with its attributes and the consents that cover the sensitive ones, atomically."""
    consented = set(consented)
    sensitive = {name: attributes.pop(name) for name in list(attributes) if name in SENSITIVE_ATTRIBUTES}
    with transaction.atomic():
        participant = Participant(user=user, **attributes)
        participant.full_clean(exclude=["user"])
        participant.save()
        for attribute in sorted(consented & set(sensitive)):
            consent_give(
                participant=participant, attribute=attribute, channel=channel, recorded_by=recorded_by
            )
        if sensitive:
            participant_update(participant=participant, **sensitive)
    return participant
