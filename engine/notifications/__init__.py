"""Notifications: what mechanism apps call.

from engine.notifications import notify, subscription_set

notify(kind="consultation_opened", target=consultation, mechanism=Mechanism.CONSULTATIONS,
       topics=consultation.topics.all(), context={"title": {"es": …, "ht": …}, "url_name": …})
"""

from engine.models import Frequency, Mechanism
from engine.notifications.services import (
    notify,
    subscription_set,
    subscription_unsubscribe,
)
from engine.notifications.tokens import unsubscribe_token, unsubscribe_url

__all__ = [
    "Frequency",
    "Mechanism",
    "notify",
    "subscription_set",
    "subscription_unsubscribe",
    "unsubscribe_token",
    "unsubscribe_url",
]
