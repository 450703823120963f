from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engine.models import Frequency, Subscription
from engine.notifications.tokens import UnsubscribeRequest


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


def following_exists(*, user, model: type[models.Model]) -> Exists:
    """``is_following`` as a subquery over a queryset of ``model`` (``.annotate(x=following_exists(…))``): a
    page that shows one thing and whether its reader follows it reads both in one query."""
    return Exists(
        Subscription.objects.active().filter(
            user=user, content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
    )


def is_following(*, user, target) -> bool:
    """Whether ``user`` gets emails about ``target`` itself (a saved object)."""
    return (
        Subscription.objects.active()
        .filter(user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
        .exists()
    )
