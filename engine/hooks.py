"""What the engine adds to shared pages: the person's subscriptions in "my data"."""

from django.utils.translation import gettext_lazy as _

from engine.models import Subscription
from participants import data_export


def _subscriptions(user, participant) -> list[dict]:
    return [
        {
            "following": str(subscription.target_label),
            "frequency": subscription.frequency,
            "since": data_export.iso(subscription.created_at),
        }
        for subscription in _of(user)
    ]


def _subscriptions_readable(user, participant) -> list[data_export.Group]:
    subscriptions = list(_of(user))
    if not subscriptions:
        return []
    return [
        data_export.Group(
            _("Lo que sigue y cada cuánto le escribimos"),
            [data_export.Item(s.target_label, s.get_frequency_display()) for s in subscriptions],
        )
    ]


def _of(user):
    return Subscription.objects.filter(user=user).select_related("topic").prefetch_related("target_object")


data_export.register("subscriptions", _("Mis avisos"), _subscriptions, _subscriptions_readable)
