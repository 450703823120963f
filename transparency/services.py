"""Every write to the register: publishing, substantive updates with their versions, follows, channels.

Keyword-only and typed, one transaction each; notifications are written in the same transaction (the engine's
outbox sends them after commit), and the search index follows every save (``search.watch`` in ``search.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from engine import search
from engine.models import Subscription
from engine.notifications import subscription_set
from transparency import notifications
from transparency.models import Publication, PublicationKind, PublicationVersion, SocialChannel, Status

SOCIAL_CHANNELS_CACHE_KEY = "transparency:social-channels:{language}"


class PublicationRefused(Exception):
    """A write the register's rules do not allow; the message says why, in the reader's language."""


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _version_add(*, publication: Publication, change_note: dict[str, str], day) -> PublicationVersion:
    number = (publication.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PublicationVersion(publication=publication, number=number, published_on=day)
    for language in _languages():
        for field in ("title", "summary", "body"):
            name = build_localized_fieldname(field, language)
            setattr(version, name, getattr(publication, name))
        setattr(version, build_localized_fieldname("change_note", language), change_note.get(language, ""))
    version.save()
    return version


def _note_in_every_language(text) -> dict[str, str]:
    notes = {}
    for language in _languages():
        with translation.override(language):
            notes[language] = str(text())
    return notes


def publication_save(*, publication: Publication, by=None) -> Publication:
    """A correction that is not a substantive change (a typo, a link): saved, reindexed, no new version."""
    with transaction.atomic():
        publication.save()
    return publication


@transaction.atomic
def publication_publish(*, publication: Publication, by=None) -> Publication:
    """Make it public. The first time: publication date (today unless set), version 1 and the announcement."""
    if publication.status == Status.PUBLISHED:
        return publication
    first_time = publication.published_on is None or not publication.versions.exists()
    today = timezone.localdate()
    publication.status = Status.PUBLISHED
    publication.published_on = publication.published_on or today
    publication.updated_on = publication.updated_on or publication.published_on
    publication.save()
    if first_time:
        _version_add(
            publication=publication,
            change_note=_note_in_every_language(lambda: _("Primera publicación.")),
            day=publication.published_on,
        )
        notifications.publication_published(publication=publication)
    return publication


@transaction.atomic
def publication_update(
    *, publication: Publication, change_note: dict[str, str] | str, by=None
) -> Publication:
    """A substantive change to a published text: today's date, a new version with its one-line note (the
    earlier one stays readable) and a notice to followers."""
    if isinstance(change_note, str):
        change_note = {settings.LANGUAGE_CODE: change_note}
    if not (change_note.get(settings.LANGUAGE_CODE) or "").strip():
        raise PublicationRefused(
            _("Escriba en una línea qué cambió: se muestra en el historial de versiones.")
        )
    if not publication.is_public:
        raise PublicationRefused(_("Solo una publicación publicada tiene versiones: publíquela primero."))
    today = timezone.localdate()
    publication.updated_on = max(today, publication.published_on or today)
    publication.save()
    _version_add(publication=publication, change_note=change_note, day=publication.updated_on)
    notifications.publication_updated(publication=publication)
    return publication


@transaction.atomic
def publication_set_status(*, publication: Publication, status: str, by=None) -> Publication:
    """Back to draft or preview (the public loses it: search, feeds and sitemap drop it) or archived."""
    if status == Status.PUBLISHED:
        return publication_publish(publication=publication, by=by)
    publication.status = status
    publication.save()
    return publication


def publication_reindex(*, publication: Publication) -> None:
    """After its topics changed (the M2M is saved after the row, so the save's own reindex missed them)."""
    search.reindex(publication)


def publication_type_follow(*, user, type: str) -> Subscription:
    """Follow every new or substantially updated publication of one type."""
    kind, _created = PublicationKind.objects.get_or_create(type=type)
    return subscription_set(user=user, target=kind)


def social_channels_changed() -> None:
    """The footer's cached list is read again on the next page (every language)."""
    cache.delete_many([SOCIAL_CHANNELS_CACHE_KEY.format(language=code) for code in _languages()])


def social_channel_save(*, channel: SocialChannel) -> SocialChannel:
    with transaction.atomic():
        channel.full_clean()
        channel.save()
        transaction.on_commit(social_channels_changed)
    return channel


def social_channel_delete(*, channel: SocialChannel) -> None:
    with transaction.atomic():
        channel.delete()
        transaction.on_commit(social_channels_changed)
