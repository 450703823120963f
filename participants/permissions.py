"""The account side of every permission check: who counts as staff, and the second-factor rule.

Each mechanism app has its own ``permissions.py`` with named predicates (``may_<verb>(user, obj) -> bool``)
and queryset filters (``visible_to(user)``); they build on the three calls here, so the rule "staff work only
with an activated second factor" lives in one place and holds on every staff page, not only ``/admin/``::

    from participants.permissions import ANONYMOUS, staff_may

    def may_preview(user) -> bool:
        return staff_may(user, "consultations.view_consultation")

``ANONYMOUS`` is the visitor every public surface is built for (search index, feeds, sitemap, iCal, the
home page): "is this public?" is ``may_view(ANONYMOUS, obj)``, the same predicate the page asks.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from participants.mfa import has_mfa

ANONYMOUS = AnonymousUser()


def has_second_factor(user) -> bool:
    """An activated TOTP authenticator; remembered on the user object for the rest of the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_second_factor", None)
    if cached is None:
        cached = user._has_second_factor = has_mfa(user)
    return cached


def is_verified_staff(user) -> bool:
    """Active staff who signed in with a second factor set up: the only people who see staff-only pages."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and has_second_factor(user))


def staff_may(user, permission: str) -> bool:
    """Verified staff holding ``permission`` (``app_label.codename``); superusers hold every permission."""
    return is_verified_staff(user) and user.has_perm(permission)


def may_view_sensitive_attributes(user) -> bool:
    """Staff who may read gender identity, orientation, ethnicity, disability… (each read is logged)."""
    return staff_may(user, "participants.view_sensitive_attributes")
