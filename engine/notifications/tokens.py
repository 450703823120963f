"""Signed one-click unsubscribe links: they work without logging in and cannot be forged or altered.

No expiry: a link in a years-old email must still stop the emails. A token only ever turns something off.
Each token carries the version in ``settings.ENGINE_UNSUBSCRIBE_TOKEN_VERSION`` when it was made (tokens from
before versions are version 0); listing a version in ``ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS`` revokes every
token of it at once, e.g. after a log holding links leaked: those links then show the "invalid link" page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "engine.unsubscribe"


class RevokedToken(signing.BadSignature):
    """Genuine, but of a revoked version."""


@dataclass(frozen=True)
class UnsubscribeRequest:
    subscription_id: int | None = None
    # Set for digests: the link turns off every weekly subscription of that person.
    weekly_of_user_id: int | None = None


def unsubscribe_token(*, subscription_id: int | None = None, weekly_of_user_id: int | None = None) -> str:
    if (subscription_id is None) == (weekly_of_user_id is None):
        raise ValueError("An unsubscribe token is for one subscription or for one person's weekly digest")
    payload: dict[str, int | None] = (
        {"s": subscription_id} if subscription_id is not None else {"w": weekly_of_user_id}
    )
    return signing.dumps({**payload, "v": settings.ENGINE_UNSUBSCRIBE_TOKEN_VERSION}, salt=SALT)


def unsubscribe_request(token: str) -> UnsubscribeRequest:
    """The decoded request; raises signing.BadSignature when the token was altered or made up, and its
    subclass RevokedToken when its version was revoked."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict):
        raise signing.BadSignature("Unexpected payload")
    if payload.get("v", 0) in settings.ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS:
        raise RevokedToken("Revoked version")
    if isinstance(payload.get("s"), int):
        return UnsubscribeRequest(subscription_id=payload["s"])
    if isinstance(payload.get("w"), int):
        return UnsubscribeRequest(weekly_of_user_id=payload["w"])
    raise signing.BadSignature("Unexpected payload")


def absolute_url(path: str) -> str:
    return settings.ENGINE_SITE_URL.rstrip("/") + path


def unsubscribe_url(token: str) -> str:
    """Absolute and in the active language (callers render emails inside translation.override)."""
    return absolute_url(reverse("engine:unsubscribe", args=[token]))
