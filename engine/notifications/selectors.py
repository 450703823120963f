from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine.models import Frequency, Subscription
from engine.notifications.tokens import UnsubscribeRequest

# A backstop only: every change forgets the person's set at once.
FOLLOWING_CACHE_SECONDS = 600


def unsubscribe_subject(request: UnsubscribeRequest) -> tuple[str | Promise, bool]:
    """What a link turns off, for the confirmation page, and whether it is still on.

    Only the followed thing is named: the page is reachable without logging in, so it shows no email or name.
    """
    if request.weekly_of_user_id is not None:
        still_on = Subscription.objects.filter(
            user_id=request.weekly_of_user_id, frequency=Frequency.WEEKLY
        ).exists()
        return _("el resumen semanal de avisos"), still_on
    subscription = (
        Subscription.objects.select_related("topic", "content_type")
        .filter(pk=request.subscription_id)
        .first()
    )
    if subscription is None:
        return _("estos avisos"), False
    return subscription.target_label, subscription.frequency != Frequency.OFF


def _following_key(user_id: int) -> str:
    return f"following:{user_id}"


def followed_objects(user) -> frozenset[tuple[int, int]]:
    """(content type id, object id) of every single thing the person follows and gets emails about.

    Every page that shows a follow button asks it, so each person's set is kept in the cache and forgotten
    whenever one of their subscriptions changes (``forget_following``: the model's signals in
    ``engine.receivers``, and the services' bulk updates). Redis down: read from the database every time."""
    key = _following_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = frozenset(
            Subscription.objects.active()
            .filter(user=user, content_type__isnull=False)
            .values_list("content_type_id", "object_id")
        )
        cache.set(key, found, FOLLOWING_CACHE_SECONDS)
    return found


def forget_following(user_id: int) -> None:
    """Now, and again when the transaction commits: a page read in between must not keep the old set."""
    key = _following_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def is_following(*, user, target) -> bool:
    """Whether ``user`` gets emails about ``target`` itself (a saved object)."""
    return (ContentType.objects.get_for_model(target).pk, target.pk) in followed_objects(user)
