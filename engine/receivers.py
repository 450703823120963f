"""A person's subscriptions change: the set of what they follow (``engine.notifications.selectors``) is read
again. Saves and deletes of single rows (the services' ``update_or_create``, admin, an account deleted) come
through these signals; the services' bulk updates forget it themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from engine.models import Subscription
from engine.notifications.selectors import forget_following


@receiver(post_save, sender=Subscription, dispatch_uid="engine-following-saved")
@receiver(post_delete, sender=Subscription, dispatch_uid="engine-following-deleted")
def subscription_changed(sender, instance: Subscription, **kwargs) -> None:
    forget_following(instance.user_id)
